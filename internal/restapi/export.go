package restapi

import (
	"encoding/json"
	"errors"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// ExportStartedJSON renders an export just started.
func ExportStartedJSON(e *store.DataExport) gen.DataExportStarted {
	return gen.DataExportStarted{ID: e.ID, Status: gen.DataExportStartedStatus(store.ExportPending)}
}

// ExportJSON renders an export and, once ready, the Content-Disposition
// that makes browsers save it.
func ExportJSON(e *store.DataExport) (gen.DataExport, *string, error) {
	out := gen.DataExport{ID: e.ID, Status: gen.DataExportStatus(e.Status), CreatedAt: e.CreatedAt, ExpiresAt: e.ExpiresAt}
	if e.Status != store.ExportReady {
		return out, nil, nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(e.Document), &doc); err != nil {
		return gen.DataExport{}, nil, err
	}
	out.Document = &doc
	cd := `attachment; filename="gatehouse-export-` + e.ID + `.json"`
	return out, &cd, nil
}

// ExportProblem maps the export errors to problems.
func ExportProblem(err error) error {
	if errors.Is(err, privacy.ErrUnknownExport) {
		return httpx.NotFound("No such data export of this user, or it has expired (exports are kept 7 days).")
	}
	return err
}
