package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

func TestRecordQueuesMatchingWebhooksAndCountsLogins(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := t.Context()
		tn := mkTenant(t, s)
		logins := &store.Webhook{TenantID: tn.ID, URL: "https://a.example.org/", SecretSealed: []byte("x"), Enabled: true, EventTypes: []string{"login.*"}}
		all := &store.Webhook{TenantID: tn.ID, URL: "https://b.example.org/", SecretSealed: []byte("x"), Enabled: true}
		off := &store.Webhook{TenantID: tn.ID, URL: "https://c.example.org/", SecretSealed: []byte("x")}
		for _, w := range []*store.Webhook{logins, all, off} {
			if err := s.Webhooks().Create(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		m := audit.NewMetrics()
		prometheus.NewRegistry().MustRegister(m)
		rec := recorder(s, m)
		for _, e := range []events.Event{
			{TenantID: tn.ID, Type: events.LoginFailed, UserID: "u1", IP: "192.0.2.1", Decision: "deny", Reasons: []string{"velocity"}},
			{TenantID: tn.ID, Type: events.LoginSucceeded, UserID: "u1", Data: map[string]any{"method": "password"}},
			{TenantID: tn.ID, Type: events.PasswordChanged, UserID: "u1"},
		} {
			if err := rec.Record(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		count := func(w *store.Webhook) int {
			ds, _, err := s.Webhooks().Deliveries(ctx, tn.ID, w.ID, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			return len(ds)
		}
		if a, b, c := count(logins), count(all), count(off); a != 2 || b != 3 || c != 0 {
			t.Fatalf("deliveries: login.* %d (want 2), all %d (want 3), disabled %d (want 0)", a, b, c)
		}
		if got := testutil.ToFloat64(rec.Metrics.Logins().WithLabelValues("failed", "deny")); got != 1 {
			t.Errorf("failed/deny = %v", got)
		}
		if got := testutil.ToFloat64(rec.Metrics.Logins().WithLabelValues("succeeded", "none")); got != 1 {
			t.Errorf("succeeded/none = %v", got)
		}
		rep, err := audit.Verify(ctx, s)
		if err != nil || rep.Break != nil || rep.Records != 3 || rep.Chains != 1 {
			t.Fatalf("Verify = %+v, %v", rep, err)
		}
		items, _, err := s.Audit().List(ctx, tn.ID, store.AuditFilter{}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		p := audit.PayloadOf(&items[2])
		if p.Type != events.LoginFailed || len(p.Reasons) != 1 || p.Decision != "deny" || p.IP != "192.0.2.1" {
			t.Fatalf("payload %+v", p)
		}
	})
}

func TestRecordRejectsIncompleteEvents(t *testing.T) {
	rec := recorder(nil, nil)
	for _, e := range []events.Event{{Type: events.LoginFailed}, {TenantID: "t"}} {
		if err := rec.Record(context.Background(), e); err == nil {
			t.Errorf("%+v recorded", e)
		}
	}
}

func TestVerifyFindsTheFirstBrokenLink(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, s *sqlstore.Store, ids []string)
		seq    int64
		field  string
	}{
		{"edited field", func(t *testing.T, s *sqlstore.Store, ids []string) {
			exec(t, s, `UPDATE audit_events SET ip = '203.0.113.9' WHERE id = ?`, ids[1])
		}, 2, "hash"},
		{"edited field with its hash recomputed", func(t *testing.T, s *sqlstore.Store, ids []string) {
			r, err := s.Audit().Get(t.Context(), tenantOf(t, s, ids[1]), ids[1])
			if err != nil {
				t.Fatal(err)
			}
			r.UserID = "mallory"
			exec(t, s, `UPDATE audit_events SET user_id = ?, hash = ? WHERE id = ?`, r.UserID, r.ChainHash(), r.ID)
		}, 3, "prev_hash"},
		{"deleted record", func(t *testing.T, s *sqlstore.Store, ids []string) {
			exec(t, s, `DELETE FROM audit_events WHERE id = ?`, ids[2])
		}, 3, "seq"},
		{"cut-off tail", func(t *testing.T, s *sqlstore.Store, ids []string) {
			exec(t, s, `DELETE FROM audit_events WHERE id = ?`, ids[3])
		}, 3, "head"},
		{"deleted head row", func(t *testing.T, s *sqlstore.Store, ids []string) {
			exec(t, s, `DELETE FROM audit_heads`)
		}, 4, "head"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := t.Context()
				tn := mkTenant(t, s)
				rec := recorder(s, nil)
				var ids []string
				for i := range 4 {
					e := events.Event{ID: uuidN(i), TenantID: tn.ID, Type: events.LoginFailed, UserID: "u", Time: time.Unix(int64(1e9+i), 0)}
					if err := rec.Record(ctx, e); err != nil {
						t.Fatal(err)
					}
					ids = append(ids, e.ID)
				}
				dropTriggers(t, s)
				tc.tamper(t, s, ids)
				rep, err := audit.Verify(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				b := rep.Break
				if b == nil || b.Seq != tc.seq || b.Field != tc.field || b.TenantID != tn.ID || b.Expected == b.Found {
					t.Fatalf("break = %+v, want position %d field %s", b, tc.seq, tc.field)
				}
				if !strings.Contains(b.String(), b.RecordID) || b.RecordID == "" {
					t.Fatalf("report %q lacks the record ID", b.String())
				}
			})
		})
	}
}

func uuidN(i int) string { return "0190a000-0000-7000-8000-00000000000" + string(rune('0'+i)) }

func tenantOf(t *testing.T, s *sqlstore.Store, id string) string {
	t.Helper()
	var tn string
	q := `SELECT tenant_id FROM audit_events WHERE id = ?`
	if s.Dialect() == "postgres" {
		q = `SELECT tenant_id FROM audit_events WHERE id = $1`
	}
	if err := s.WriteDB().QueryRowContext(t.Context(), q, id).Scan(&tn); err != nil {
		t.Fatal(err)
	}
	return tn
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		filter []string
		typ    string
		want   bool
	}{
		{nil, "login.failed", true},
		{[]string{"login.*"}, "login.failed", true},
		{[]string{"login.*"}, "loginx.failed", false},
		{[]string{"admin.*"}, "admin.user.created", true},
		{[]string{"password.changed"}, "password.changed", true},
		{[]string{"password.changed"}, "password.reset", false},
	} {
		if got := audit.Matches(c.filter, c.typ); got != c.want {
			t.Errorf("Matches(%v, %s) = %v", c.filter, c.typ, got)
		}
	}
}

func TestSignature(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"id":"e1"}`)
	h := audit.Sign("whsec_k", now, body)
	if !strings.HasPrefix(h, "t=1700000000,v1=") {
		t.Fatalf("header %q", h)
	}
	if err := audit.VerifySignature("whsec_k", h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		secret, header string
		body           []byte
		at             time.Time
	}{
		"other secret":  {"whsec_x", h, body, now},
		"other body":    {"whsec_k", h, []byte(`{"id":"e2"}`), now},
		"too old":       {"whsec_k", h, body, now.Add(10 * time.Minute)},
		"no signature":  {"whsec_k", "t=1700000000", body, now},
		"bad timestamp": {"whsec_k", strings.Replace(h, "t=1700000000", "t=x", 1), body, now},
	} {
		if err := audit.VerifySignature(tc.secret, tc.header, tc.body, tc.at, 5*time.Minute); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}
