package restapi_test

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Retention (issue 15) on both engines: a tenant's settings through the
// Admin API (out-of-range values refused, nothing changed), then the
// maintenance job's EnforceRetention purges old audit events behind a
// checkpoint (the chain still verifies), deletes ended sessions and erases
// stale unverified accounts — and keeps everything else.
func TestRetention(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			s := engineServer(t, engine)
			adm := testserver.AdminToken
			ctx := t.Context()
			st, tid := exportTenantStore(t, s, "")

			for _, bad := range []string{`{"retention":{"audit_events_days":-1}}`, `{"retention":{"ended_sessions_days":36501}}`,
				`{"retention":{"unverified_accounts_days":"ten"}}`} {
				if resp, body := do(t, s, "PATCH", "/admin/v1/tenants/default", adm, "application/merge-patch+json", bad); resp.StatusCode != 400 {
					t.Fatalf("%s: %d %v", bad, resp.StatusCode, body)
				}
			}
			resp, body := do(t, s, "GET", "/admin/v1/tenants/default", adm, "", "")
			if r := body["retention"].(map[string]any); resp.StatusCode != 200 || r["audit_events_days"] != 0.0 {
				t.Fatalf("retention after refused patches: %v", body)
			}
			resp, body = do(t, s, "PATCH", "/admin/v1/tenants/default", adm, "application/merge-patch+json",
				`{"retention":{"audit_events_days":30,"ended_sessions_days":7,"unverified_accounts_days":14}}`)
			if r, _ := body["retention"].(map[string]any); resp.StatusCode != 200 || r["audit_events_days"] != 30.0 ||
				r["ended_sessions_days"] != 7.0 || r["unverified_accounts_days"] != 14.0 {
				t.Fatalf("patch: %d %v", resp.StatusCode, body)
			}

			now := time.Now().UTC()
			for i := range 3 {
				if err := s.App.Events.Record(ctx, events.Event{TenantID: tid, Type: "login.failed",
					Time: now.Add(-60*24*time.Hour + time.Duration(i)*time.Minute)}); err != nil {
					t.Fatal(err)
				}
			}
			mk := func(email string, mut func(*identity.User)) *identity.User {
				u := &identity.User{Email: email}
				mut(u)
				if err := st.Users().Create(ctx, tid, u); err != nil {
					t.Fatal(err)
				}
				return u
			}
			stale := mk("stale@example.com", func(u *identity.User) { u.CreatedAt = now.Add(-20 * 24 * time.Hour) })
			verified := mk("verified@example.com", func(u *identity.User) {
				u.CreatedAt, u.EmailVerified = now.Add(-20*24*time.Hour), true
			})
			fresh := mk("fresh@example.com", func(*identity.User) {})
			sess := func(revokedAt time.Time) *oauth.Session {
				x := &oauth.Session{TenantID: tid, UserID: verified.ID, TokenHash: []byte("h-" + revokedAt.String()),
					AuthTime: now, ExpiresAt: now.Add(time.Hour)}
				if err := st.Sessions().Create(ctx, x); err != nil {
					t.Fatal(err)
				}
				if err := st.Sessions().Revoke(ctx, tid, x.ID, revokedAt); err != nil {
					t.Fatal(err)
				}
				return x
			}
			ended, recent := sess(now.Add(-10*24*time.Hour)), sess(now.Add(-time.Hour))

			for round := range 2 { // the second round finds nothing more to do
				if err := s.App.EnforceRetention(ctx, now); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			old, _, err := st.Audit().List(ctx, tid, store.AuditFilter{Until: now.Add(-30 * 24 * time.Hour)}, store.Page{})
			if err != nil || len(old) != 0 {
				t.Fatalf("old events left: %v %d", err, len(old))
			}
			cp, err := st.Audit().Checkpoint(ctx, tid)
			if err != nil || cp.Seq < 3 {
				t.Fatalf("checkpoint %+v %v", cp, err)
			}
			if rep, err := audit.Verify(ctx, s.App.DB); err != nil || rep.Break != nil {
				t.Fatalf("verify after the purge: %v %v", err, rep.Break)
			}
			purged, _, err := st.Audit().List(ctx, tid, store.AuditFilter{Type: audit.EventPurged}, store.Page{})
			if err != nil || len(purged) != 1 {
				t.Fatalf("audit.purged events: %v %d", err, len(purged))
			}

			if _, err := st.Sessions().Get(ctx, tid, ended.ID); err == nil {
				t.Error("a session ended 10 days ago was kept")
			}
			if _, err := st.Sessions().Get(ctx, tid, recent.ID); err != nil {
				t.Errorf("a session ended an hour ago: %v", err)
			}
			if _, err := st.Users().Get(ctx, tid, stale.ID); err == nil {
				t.Error("the stale unverified account was kept")
			}
			for _, u := range []*identity.User{verified, fresh} {
				if _, err := st.Users().Get(ctx, tid, u.ID); err != nil {
					t.Errorf("%s: %v", u.Email, err)
				}
			}
			erased, _, err := st.Audit().List(ctx, tid, store.AuditFilter{Type: "user.erased", UserID: stale.ID}, store.Page{})
			if err != nil || len(erased) != 1 || erased[0].ActorID != "retention" || erased[0].Data != `{"by":"retention"}` {
				t.Fatalf("user.erased: %v %+v", err, erased)
			}
			if found := scanDatabase(t, s, "stale@example.com"); len(found) > 0 {
				t.Errorf("the erased account's email is still in %v", found)
			}
		})
	}
}
