package accountapi

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
)

// The signed-in user's data export (issue 15): POST /v1/me/export starts
// it (202), GET /v1/me/export/{export_id} polls it and, once ready,
// returns the document; on the privacy service.

func (a *Privacy) startMyExport(ctx context.Context, tenant string) (gen.DataExportStarted, error) {
	acct, sc, err := a.privacyScope(ctx, tenant)
	if err != nil {
		return gen.DataExportStarted{}, err
	}
	e, err := a.privacy.StartOwnExport(ctx, sc, acct.token.UserID)
	var soon *privacy.ErrTooSoon
	if errors.As(err, &soon) {
		return gen.DataExportStarted{}, ratelimit.TooManyRequests(soon.RetryAfter)
	}
	if err != nil {
		return gen.DataExportStarted{}, err
	}
	return restapi.ExportStartedJSON(e), nil
}

func (a *Privacy) getMyExport(ctx context.Context, tenant, id string) (gen.DataExport, *string, error) {
	acct, sc, err := a.privacyScope(ctx, tenant)
	if err != nil {
		return gen.DataExport{}, nil, err
	}
	e, err := a.privacy.Export(ctx, sc, acct.token.UserID, id)
	if err != nil {
		return gen.DataExport{}, nil, restapi.ExportProblem(err)
	}
	return restapi.ExportJSON(e)
}

func (a *Privacy) StartMyExport(ctx context.Context, r gen.StartMyExportRequestObject) (gen.StartMyExportResponseObject, error) {
	out, err := a.startMyExport(ctx, "")
	if err != nil {
		return nil, err
	}
	return gen.StartMyExport202JSONResponse(out), nil
}

func (a *Privacy) GetMyExport(ctx context.Context, r gen.GetMyExportRequestObject) (gen.GetMyExportResponseObject, error) {
	out, cd, err := a.getMyExport(ctx, "", r.ExportID)
	if err != nil {
		return nil, err
	}
	return gen.GetMyExport200JSONResponse{Body: out, Headers: gen.GetMyExport200ResponseHeaders{ContentDisposition: cd}}, nil
}

func (a *Privacy) StartTenantMyExport(ctx context.Context, r gen.StartTenantMyExportRequestObject) (gen.StartTenantMyExportResponseObject, error) {
	out, err := a.startMyExport(ctx, r.Tenant)
	if err != nil {
		return nil, err
	}
	return gen.StartTenantMyExport202JSONResponse(out), nil
}

func (a *Privacy) GetTenantMyExport(ctx context.Context, r gen.GetTenantMyExportRequestObject) (gen.GetTenantMyExportResponseObject, error) {
	out, cd, err := a.getMyExport(ctx, r.Tenant, r.ExportID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantMyExport200JSONResponse{Body: out, Headers: gen.GetTenantMyExport200ResponseHeaders{ContentDisposition: cd}}, nil
}
