package adminapi

import (
	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// maxRetentionDays bounds each retention period (100 years).
const maxRetentionDays = 36500

// applyRetention merges a tenant's retention settings: members present
// replace (0 keeps everything), absent ones are left; out of range is a
// validation problem and changes nothing.
func applyRetention(dst *identity.Retention, in *gen.Retention) error {
	if in == nil {
		return nil
	}
	next := *dst
	var errs []httpx.FieldError
	for _, f := range []struct {
		field string
		in    *int
		dst   *int
	}{
		{"/retention/audit_events_days", in.AuditEventsDays, &next.AuditEventsDays},
		{"/retention/ended_sessions_days", in.EndedSessionsDays, &next.EndedSessionsDays},
		{"/retention/unverified_accounts_days", in.UnverifiedAccountsDays, &next.UnverifiedAccountsDays},
	} {
		if f.in == nil {
			continue
		}
		if *f.in < 0 || *f.in > maxRetentionDays {
			errs = append(errs, httpx.FieldError{Field: f.field, Message: "must be 0 (keep) to 36500 days"})
			continue
		}
		*f.dst = *f.in
	}
	if len(errs) > 0 {
		return httpx.Validation("The retention settings are out of range.", errs...)
	}
	*dst = next
	return nil
}

// RetentionJSON renders a tenant's retention settings.
func RetentionJSON(r *identity.Retention) *gen.Retention {
	return &gen.Retention{AuditEventsDays: &r.AuditEventsDays, EndedSessionsDays: &r.EndedSessionsDays,
		UnverifiedAccountsDays: &r.UnverifiedAccountsDays}
}
