package store

import (
	"context"
	"time"
)

// Data export statuses.
const (
	ExportPending = "pending"
	ExportReady   = "ready"
	ExportFailed  = "failed"
)

// DataExport is a copy of what is held about a user (issue 15, GDPR Art.
// 15 and 20). Document is the JSON text once Status is ExportReady.
type DataExport struct {
	TenantID  string
	ID        string
	UserID    string
	Status    string
	Document  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ExportRepo stores data exports. They go with their user (or tenant).
type ExportRepo interface {
	// CreateExport inserts e (ID and CreatedAt generated when empty).
	// ErrNotFound if the user does not exist in the tenant.
	CreateExport(ctx context.Context, e *DataExport) error
	// GetExport returns the user's export; ErrNotFound if it is another
	// user's or absent (expired ones are returned: the caller decides).
	GetExport(ctx context.Context, tenantID, userID, id string) (*DataExport, error)
	// FinishExport sets the export's status and document. ErrNotFound if
	// absent.
	FinishExport(ctx context.Context, tenantID, id, status, document string) error
	// LatestExportAt returns when the user's most recent export was
	// started; ErrNotFound if they have none.
	LatestExportAt(ctx context.Context, tenantID, userID string) (time.Time, error)
	// CreateExportUnlessRecent inserts e unless the user started an export
	// after since; then it returns ErrConflict and that export's start.
	// The check and the insert are one transaction holding the user's row,
	// so two concurrent starts cannot both pass. ErrNotFound if the user
	// does not exist in the tenant.
	CreateExportUnlessRecent(ctx context.Context, e *DataExport, since time.Time) (time.Time, error)
	// FailStaleExports marks exports still pending that started before t as
	// failed — their build was interrupted (the node stopped) — and returns
	// how many.
	FailStaleExports(ctx context.Context, startedBefore time.Time) (int64, error)
	// DeleteExpiredExports removes exports (of every tenant) that expired
	// before t and returns how many.
	DeleteExpiredExports(ctx context.Context, before time.Time) (int64, error)
}
