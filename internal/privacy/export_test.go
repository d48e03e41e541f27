package privacy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// appendAudit adds n audit events about the env's user.
func appendAudit(tb testing.TB, e *env, n int) {
	tb.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		r := &store.AuditRecord{TenantID: e.t.Tenant.ID, Type: "login.succeeded", UserID: e.userID, IP: "203.0.113.9",
			UserAgent: "Mozilla/5.0", Decision: "allow", Reasons: "[]", Data: `{"method":"password"}`}
		if err := e.t.Store.Audit().Append(ctx, r); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestBuildExportAllEvents(t *testing.T) {
	e := newEnv(t)
	appendAudit(t, e, 450) // more than two pages
	b, err := e.svc.BuildExport(t.Context(), e.t, e.userID)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Format      string           `json:"format"`
		AuditEvents []map[string]any `json:"audit_events"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.Format != "gatehouse-export/1" || len(d.AuditEvents) != 450 {
		t.Fatalf("format %q, %d audit events", d.Format, len(d.AuditEvents))
	}
	if strings.Contains(string(b), `"reasons":[]`) {
		t.Fatalf("empty reasons should be left out")
	}
}

// BenchmarkBuildExport builds the export document of a user with 1,000
// audit events (target < 1 s), on a file SQLite store.
func BenchmarkBuildExport(b *testing.B) {
	e := newEnv(b)
	appendAudit(b, e, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.svc.BuildExport(ctx, e.t, e.userID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildExportSealed is BenchmarkBuildExport with the 1,000
// events recorded as served: their address, user agent and identifier
// sealed with the user's data key, which the export opens.
func BenchmarkBuildExportSealed(b *testing.B) {
	e := newEnv(b)
	kr, err := secret.NewKeyring(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		b.Fatal(err)
	}
	e.svc.Keyring = kr
	rec := &audit.Recorder{Store: func(context.Context, string) (store.Store, error) { return e.t.Store, nil }, Keyring: kr}
	ctx := context.Background()
	for range 1000 {
		if err := rec.Record(ctx, events.Event{TenantID: e.t.Tenant.ID, Type: "login.succeeded", UserID: e.userID, IP: "203.0.113.9",
			UserAgent: "Mozilla/5.0", Decision: "allow", Data: map[string]any{"method": "password", "identifier": "jane@example.org"}}); err != nil {
			b.Fatal(err)
		}
	}
	doc, err := e.svc.BuildExport(ctx, e.t, e.userID)
	if err != nil || !bytes.Contains(doc, []byte(`"ip":"203.0.113.9"`)) || bytes.Contains(doc, []byte("ghs1:")) {
		b.Fatalf("export does not show the opened fields: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.svc.BuildExport(ctx, e.t, e.userID); err != nil {
			b.Fatal(err)
		}
	}
}
