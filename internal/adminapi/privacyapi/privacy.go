// Package privacyapi serves the Admin API's privacy resources (issue 15):
// the tenant's privacy purposes and the users' consent ledger, on the
// privacy service (internal/privacy).
package privacyapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Privacy serves purposes and users' privacy state, ledger and receipts.
type Privacy struct {
	*resource.Base
	Svc *privacy.Service
	// Actor names the caller (an API key ID, or "bootstrap-token"): the
	// actor of the decisions it records.
	Actor func(ctx context.Context) string
}

func purposesPath(tenant string) string {
	if tenant == "" {
		return "/admin/v1/privacy/purposes/"
	}
	return "/admin/v1/tenants/" + tenant + "/privacy/purposes/"
}

func (a *Privacy) listPurposes(ctx context.Context, limit *int, cursor *string) (gen.PrivacyPurposeList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.PrivacyPurposeList{}, err
	}
	items, next, err := sc.Store.Privacy().ListPurposes(ctx, sc.Tenant.ID, pg)
	if err != nil {
		return gen.PrivacyPurposeList{}, err
	}
	out := gen.PrivacyPurposeList{Items: make([]gen.PrivacyPurpose, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = restapi.PurposeJSON(&items[i])
	}
	return out, nil
}

func (a *Privacy) createPurpose(ctx context.Context, in *gen.PrivacyPurposeCreate) (gen.PrivacyPurpose, error) {
	sc := tenancy.From(ctx)
	p, err := a.Svc.CreatePurpose(ctx, sc, in.ID, privacy.PurposeInput{Name: in.Name, Description: restapi.Val(in.Description),
		LegalBasis: string(in.LegalBasis), Required: restapi.Val(in.Required)})
	if err != nil {
		return gen.PrivacyPurpose{}, err
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "privacy.purpose.created", "", map[string]any{"purpose_id": p.ID, "version": p.Version, "required": p.Required})
	return restapi.PurposeJSON(p), nil
}

func (a *Privacy) getPurpose(ctx context.Context, id string) (gen.PrivacyPurpose, error) {
	p, err := a.Svc.Purpose(ctx, tenancy.From(ctx), id)
	if err != nil {
		return gen.PrivacyPurpose{}, restapi.PrivacyProblem(err)
	}
	return restapi.PurposeJSON(p), nil
}

func (a *Privacy) replacePurpose(ctx context.Context, id string, in *gen.PrivacyPurposeUpdate) (gen.PrivacyPurpose, error) {
	sc := tenancy.From(ctx)
	p, bumped, err := a.Svc.ReplacePurpose(ctx, sc, id, privacy.PurposeInput{Name: in.Name, Description: restapi.Val(in.Description),
		LegalBasis: string(in.LegalBasis), Required: restapi.Val(in.Required)})
	if err != nil {
		return gen.PrivacyPurpose{}, restapi.PrivacyProblem(err)
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "privacy.purpose.updated", "", map[string]any{"purpose_id": p.ID, "version": p.Version, "version_bumped": bumped})
	return restapi.PurposeJSON(p), nil
}

func (a *Privacy) deletePurpose(ctx context.Context, id string) error {
	sc := tenancy.From(ctx)
	err := a.Svc.DeletePurpose(ctx, sc, id)
	return restapi.PrivacyProblem(a.Audited(ctx, err, sc.Tenant.ID, "privacy.purpose.deleted", "", map[string]any{"purpose_id": id}))
}

func (a *Privacy) userState(ctx context.Context, userID string) (gen.PrivacyState, error) {
	items, err := a.Svc.State(ctx, tenancy.From(ctx), userID)
	if err != nil {
		return gen.PrivacyState{}, err
	}
	return restapi.PrivacyStateJSON(items), nil
}

func (a *Privacy) userHistory(ctx context.Context, userID string, limit *int, cursor *string) (gen.PrivacyHistory, error) {
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.PrivacyHistory{}, err
	}
	items, next, err := a.Svc.History(ctx, tenancy.From(ctx), userID, pg)
	if err != nil {
		return gen.PrivacyHistory{}, err
	}
	return restapi.PrivacyHistoryJSON(items, next), nil
}

func (a *Privacy) setUserPurpose(ctx context.Context, userID, purposeID string, in *gen.PrivacyDecisionAdmin) (gen.PrivacyLedgerEntry, error) {
	e, err := a.Svc.Decide(ctx, tenancy.From(ctx), userID, purposeID, in.Granted,
		privacy.Meta{Channel: privacy.ChannelAdmin, ActorID: a.Actor(ctx), Evidence: in.Evidence})
	if err != nil {
		return gen.PrivacyLedgerEntry{}, restapi.PrivacyProblem(err)
	}
	return restapi.LedgerEntryJSON(e), nil
}

func (a *Privacy) userReceipt(ctx context.Context, userID, id string) (gen.PrivacyReceipt, error) {
	e, err := a.Svc.Receipt(ctx, tenancy.From(ctx), userID, id)
	if err != nil {
		return gen.PrivacyReceipt{}, err
	}
	return restapi.ReceiptJSON(e), nil
}

func (a *Privacy) ListPrivacyPurposes(ctx context.Context, r gen.ListPrivacyPurposesRequestObject) (gen.ListPrivacyPurposesResponseObject, error) {
	out, err := a.listPurposes(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListPrivacyPurposes200JSONResponse(out), nil
}

func (a *Privacy) CreatePrivacyPurpose(ctx context.Context, r gen.CreatePrivacyPurposeRequestObject) (gen.CreatePrivacyPurposeResponseObject, error) {
	out, err := a.createPurpose(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := purposesPath("") + out.ID
	return gen.CreatePrivacyPurpose201JSONResponse{Body: out, Headers: gen.CreatePrivacyPurpose201ResponseHeaders{ETag: restapi.PurposeETag(&out), Location: &loc}}, nil
}

func (a *Privacy) GetPrivacyPurpose(ctx context.Context, r gen.GetPrivacyPurposeRequestObject) (gen.GetPrivacyPurposeResponseObject, error) {
	out, err := a.getPurpose(ctx, r.PurposeID)
	if err != nil {
		return nil, err
	}
	return gen.GetPrivacyPurpose200JSONResponse{Body: out, Headers: gen.GetPrivacyPurpose200ResponseHeaders{ETag: restapi.PurposeETag(&out)}}, nil
}

func (a *Privacy) ReplacePrivacyPurpose(ctx context.Context, r gen.ReplacePrivacyPurposeRequestObject) (gen.ReplacePrivacyPurposeResponseObject, error) {
	out, err := a.replacePurpose(ctx, r.PurposeID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.ReplacePrivacyPurpose200JSONResponse{Body: out, Headers: gen.ReplacePrivacyPurpose200ResponseHeaders{ETag: restapi.PurposeETag(&out)}}, nil
}

func (a *Privacy) DeletePrivacyPurpose(ctx context.Context, r gen.DeletePrivacyPurposeRequestObject) (gen.DeletePrivacyPurposeResponseObject, error) {
	if err := a.deletePurpose(ctx, r.PurposeID); err != nil {
		return nil, err
	}
	return gen.DeletePrivacyPurpose204Response{}, nil
}

func (a *Privacy) GetUserPrivacy(ctx context.Context, r gen.GetUserPrivacyRequestObject) (gen.GetUserPrivacyResponseObject, error) {
	out, err := a.userState(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.GetUserPrivacy200JSONResponse(out), nil
}

func (a *Privacy) ListUserPrivacyHistory(ctx context.Context, r gen.ListUserPrivacyHistoryRequestObject) (gen.ListUserPrivacyHistoryResponseObject, error) {
	out, err := a.userHistory(ctx, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListUserPrivacyHistory200JSONResponse(out), nil
}

func (a *Privacy) SetUserPrivacyPurpose(ctx context.Context, r gen.SetUserPrivacyPurposeRequestObject) (gen.SetUserPrivacyPurposeResponseObject, error) {
	out, err := a.setUserPurpose(ctx, r.UserID, r.PurposeID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.SetUserPrivacyPurpose200JSONResponse{Body: out, Headers: gen.SetUserPrivacyPurpose200ResponseHeaders{ETag: restapi.EntryETag(&out)}}, nil
}

func (a *Privacy) GetUserPrivacyReceipt(ctx context.Context, r gen.GetUserPrivacyReceiptRequestObject) (gen.GetUserPrivacyReceiptResponseObject, error) {
	out, err := a.userReceipt(ctx, r.UserID, r.ReceiptID)
	if err != nil {
		return nil, err
	}
	return gen.GetUserPrivacyReceipt200JSONResponse(out), nil
}

func (a *Privacy) ListTenantPrivacyPurposes(ctx context.Context, r gen.ListTenantPrivacyPurposesRequestObject) (gen.ListTenantPrivacyPurposesResponseObject, error) {
	out, err := a.listPurposes(ctx, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantPrivacyPurposes200JSONResponse(out), nil
}

func (a *Privacy) CreateTenantPrivacyPurpose(ctx context.Context, r gen.CreateTenantPrivacyPurposeRequestObject) (gen.CreateTenantPrivacyPurposeResponseObject, error) {
	out, err := a.createPurpose(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	loc := purposesPath(r.Tenant) + out.ID
	return gen.CreateTenantPrivacyPurpose201JSONResponse{Body: out, Headers: gen.CreateTenantPrivacyPurpose201ResponseHeaders{ETag: restapi.PurposeETag(&out), Location: &loc}}, nil
}

func (a *Privacy) GetTenantPrivacyPurpose(ctx context.Context, r gen.GetTenantPrivacyPurposeRequestObject) (gen.GetTenantPrivacyPurposeResponseObject, error) {
	out, err := a.getPurpose(ctx, r.PurposeID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantPrivacyPurpose200JSONResponse{Body: out, Headers: gen.GetTenantPrivacyPurpose200ResponseHeaders{ETag: restapi.PurposeETag(&out)}}, nil
}

func (a *Privacy) ReplaceTenantPrivacyPurpose(ctx context.Context, r gen.ReplaceTenantPrivacyPurposeRequestObject) (gen.ReplaceTenantPrivacyPurposeResponseObject, error) {
	out, err := a.replacePurpose(ctx, r.PurposeID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.ReplaceTenantPrivacyPurpose200JSONResponse{Body: out, Headers: gen.ReplaceTenantPrivacyPurpose200ResponseHeaders{ETag: restapi.PurposeETag(&out)}}, nil
}

func (a *Privacy) DeleteTenantPrivacyPurpose(ctx context.Context, r gen.DeleteTenantPrivacyPurposeRequestObject) (gen.DeleteTenantPrivacyPurposeResponseObject, error) {
	if err := a.deletePurpose(ctx, r.PurposeID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantPrivacyPurpose204Response{}, nil
}

func (a *Privacy) GetTenantUserPrivacy(ctx context.Context, r gen.GetTenantUserPrivacyRequestObject) (gen.GetTenantUserPrivacyResponseObject, error) {
	out, err := a.userState(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantUserPrivacy200JSONResponse(out), nil
}

func (a *Privacy) ListTenantUserPrivacyHistory(ctx context.Context, r gen.ListTenantUserPrivacyHistoryRequestObject) (gen.ListTenantUserPrivacyHistoryResponseObject, error) {
	out, err := a.userHistory(ctx, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantUserPrivacyHistory200JSONResponse(out), nil
}

func (a *Privacy) SetTenantUserPrivacyPurpose(ctx context.Context, r gen.SetTenantUserPrivacyPurposeRequestObject) (gen.SetTenantUserPrivacyPurposeResponseObject, error) {
	out, err := a.setUserPurpose(ctx, r.UserID, r.PurposeID, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.SetTenantUserPrivacyPurpose200JSONResponse{Body: out, Headers: gen.SetTenantUserPrivacyPurpose200ResponseHeaders{ETag: restapi.EntryETag(&out)}}, nil
}

func (a *Privacy) GetTenantUserPrivacyReceipt(ctx context.Context, r gen.GetTenantUserPrivacyReceiptRequestObject) (gen.GetTenantUserPrivacyReceiptResponseObject, error) {
	out, err := a.userReceipt(ctx, r.UserID, r.ReceiptID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantUserPrivacyReceipt200JSONResponse(out), nil
}
