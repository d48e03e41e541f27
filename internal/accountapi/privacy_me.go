package accountapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The signed-in user's privacy choices (issue 15): GET /v1/me/privacy,
// PUT /v1/me/privacy/purposes/{purpose_id}, GET /v1/me/privacy/history
// and GET /v1/me/privacy/receipts/{receipt_id}, on the privacy service.

func (a *Privacy) privacyScope(ctx context.Context, tenant string) (*account, *tenancy.Tenant, error) {
	if a.privacy == nil {
		return nil, nil, httpx.Internal(errNoPrivacy)
	}
	return meScope(ctx, tenant)
}

func (a *Privacy) getMyPrivacy(ctx context.Context, tenant string) (gen.PrivacyState, error) {
	acct, sc, err := a.privacyScope(ctx, tenant)
	if err != nil {
		return gen.PrivacyState{}, err
	}
	items, err := a.privacy.State(ctx, sc, acct.token.UserID)
	if err != nil {
		return gen.PrivacyState{}, err
	}
	return restapi.PrivacyStateJSON(items), nil
}

func (a *Privacy) setMyPurpose(ctx context.Context, tenant, purposeID string, in *gen.PrivacyDecision) (gen.PrivacyLedgerEntry, error) {
	acct, sc, err := a.privacyScope(ctx, tenant)
	if err != nil {
		return gen.PrivacyLedgerEntry{}, err
	}
	e, err := a.privacy.Decide(ctx, sc, acct.token.UserID, purposeID, in.Granted,
		privacy.Meta{Channel: privacy.ChannelAPI, IP: acct.ip, UserAgent: acct.userAgent})
	if err != nil {
		return gen.PrivacyLedgerEntry{}, restapi.PrivacyProblem(err)
	}
	return restapi.LedgerEntryJSON(e), nil
}

func (a *Privacy) myHistory(ctx context.Context, tenant string, limit *int, cursor *string) (gen.PrivacyHistory, error) {
	acct, sc, err := a.privacyScope(ctx, tenant)
	if err != nil {
		return gen.PrivacyHistory{}, err
	}
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.PrivacyHistory{}, err
	}
	items, next, err := a.privacy.History(ctx, sc, acct.token.UserID, pg)
	if err != nil {
		return gen.PrivacyHistory{}, err
	}
	return restapi.PrivacyHistoryJSON(items, next), nil
}

func (a *Privacy) myReceipt(ctx context.Context, tenant, id string) (gen.PrivacyReceipt, error) {
	acct, sc, err := a.privacyScope(ctx, tenant)
	if err != nil {
		return gen.PrivacyReceipt{}, err
	}
	e, err := a.privacy.Receipt(ctx, sc, acct.token.UserID, id)
	if err != nil {
		return gen.PrivacyReceipt{}, err
	}
	return restapi.ReceiptJSON(e), nil
}

func (a *Privacy) GetMyPrivacy(ctx context.Context, r gen.GetMyPrivacyRequestObject) (gen.GetMyPrivacyResponseObject, error) {
	out, err := a.getMyPrivacy(ctx, "")
	if err != nil {
		return nil, err
	}
	return gen.GetMyPrivacy200JSONResponse(out), nil
}

func (a *Privacy) SetMyPrivacyPurpose(ctx context.Context, r gen.SetMyPrivacyPurposeRequestObject) (gen.SetMyPrivacyPurposeResponseObject, error) {
	out, err := a.setMyPurpose(ctx, "", r.PurposeID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.SetMyPrivacyPurpose200JSONResponse{Body: out, Headers: gen.SetMyPrivacyPurpose200ResponseHeaders{ETag: restapi.EntryETag(&out)}}, nil
}

func (a *Privacy) ListMyPrivacyHistory(ctx context.Context, r gen.ListMyPrivacyHistoryRequestObject) (gen.ListMyPrivacyHistoryResponseObject, error) {
	out, err := a.myHistory(ctx, "", r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListMyPrivacyHistory200JSONResponse(out), nil
}

func (a *Privacy) GetMyPrivacyReceipt(ctx context.Context, r gen.GetMyPrivacyReceiptRequestObject) (gen.GetMyPrivacyReceiptResponseObject, error) {
	out, err := a.myReceipt(ctx, "", r.ReceiptID)
	if err != nil {
		return nil, err
	}
	return gen.GetMyPrivacyReceipt200JSONResponse(out), nil
}

func (a *Privacy) GetTenantMyPrivacy(ctx context.Context, r gen.GetTenantMyPrivacyRequestObject) (gen.GetTenantMyPrivacyResponseObject, error) {
	out, err := a.getMyPrivacy(ctx, r.Tenant)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantMyPrivacy200JSONResponse(out), nil
}

func (a *Privacy) SetTenantMyPrivacyPurpose(ctx context.Context, r gen.SetTenantMyPrivacyPurposeRequestObject) (gen.SetTenantMyPrivacyPurposeResponseObject, error) {
	out, err := a.setMyPurpose(ctx, r.Tenant, r.PurposeID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.SetTenantMyPrivacyPurpose200JSONResponse{Body: out, Headers: gen.SetTenantMyPrivacyPurpose200ResponseHeaders{ETag: restapi.EntryETag(&out)}}, nil
}

func (a *Privacy) ListTenantMyPrivacyHistory(ctx context.Context, r gen.ListTenantMyPrivacyHistoryRequestObject) (gen.ListTenantMyPrivacyHistoryResponseObject, error) {
	out, err := a.myHistory(ctx, r.Tenant, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantMyPrivacyHistory200JSONResponse(out), nil
}

func (a *Privacy) GetTenantMyPrivacyReceipt(ctx context.Context, r gen.GetTenantMyPrivacyReceiptRequestObject) (gen.GetTenantMyPrivacyReceiptResponseObject, error) {
	out, err := a.myReceipt(ctx, r.Tenant, r.ReceiptID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantMyPrivacyReceipt200JSONResponse(out), nil
}
