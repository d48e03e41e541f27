package privacyapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Users' data exports (issue 15), started and fetched by an administrator.

func (a *Privacy) startExport(ctx context.Context, userID string) (gen.DataExportStarted, error) {
	sc := tenancy.From(ctx)
	e, err := a.Svc.StartExport(ctx, sc, userID)
	if err != nil {
		return gen.DataExportStarted{}, err
	}
	a.RecordAdmin(ctx, sc.Tenant.ID, "privacy.export.started", userID, map[string]any{"export_id": e.ID})
	return restapi.ExportStartedJSON(e), nil
}

func (a *Privacy) getExport(ctx context.Context, userID, id string) (gen.DataExport, *string, error) {
	e, err := a.Svc.Export(ctx, tenancy.From(ctx), userID, id)
	if err != nil {
		return gen.DataExport{}, nil, restapi.ExportProblem(err)
	}
	return restapi.ExportJSON(e)
}

func (a *Privacy) StartUserExport(ctx context.Context, r gen.StartUserExportRequestObject) (gen.StartUserExportResponseObject, error) {
	out, err := a.startExport(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.StartUserExport202JSONResponse(out), nil
}

func (a *Privacy) GetUserExport(ctx context.Context, r gen.GetUserExportRequestObject) (gen.GetUserExportResponseObject, error) {
	out, cd, err := a.getExport(ctx, r.UserID, r.ExportID)
	if err != nil {
		return nil, err
	}
	return gen.GetUserExport200JSONResponse{Body: out, Headers: gen.GetUserExport200ResponseHeaders{ContentDisposition: cd}}, nil
}

func (a *Privacy) StartTenantUserExport(ctx context.Context, r gen.StartTenantUserExportRequestObject) (gen.StartTenantUserExportResponseObject, error) {
	out, err := a.startExport(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.StartTenantUserExport202JSONResponse(out), nil
}

func (a *Privacy) GetTenantUserExport(ctx context.Context, r gen.GetTenantUserExportRequestObject) (gen.GetTenantUserExportResponseObject, error) {
	out, cd, err := a.getExport(ctx, r.UserID, r.ExportID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantUserExport200JSONResponse{Body: out, Headers: gen.GetTenantUserExport200ResponseHeaders{ContentDisposition: cd}}, nil
}
