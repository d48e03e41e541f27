package audit_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

// BenchmarkRecordSQLite measures audit appends (hash, head lock, insert,
// webhook lookup, one queued delivery) on a file-backed SQLite database.
func BenchmarkRecordSQLite(b *testing.B) {
	for _, hooks := range []int{0, 1} {
		name := map[int]string{0: "no-webhook", 1: "one-webhook"}[hooks]
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			tn := mkTenant(b, s)
			if hooks == 1 {
				if err := s.Webhooks().Create(ctx, &store.Webhook{TenantID: tn.ID, URL: "https://h.example.org/", SecretSealed: []byte("x"), Enabled: true}); err != nil {
					b.Fatal(err)
				}
			}
			rec := recorder(s, nil)
			e := events.Event{TenantID: tn.ID, Type: events.LoginFailed, UserID: "u1", IP: "192.0.2.1",
				Decision: "deny", Reasons: []string{"velocity"}, Data: map[string]any{"method": "password"}}
			b.ResetTimer()
			for b.Loop() {
				if err := rec.Record(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}

// BenchmarkRecordSealedSQLite compares an append about an existing user
// without and with crypto-shredding (the user's key read and opened, the
// address and the email sealed), on a file-backed SQLite database.
func BenchmarkRecordSealedSQLite(b *testing.B) {
	for _, sealed := range []bool{false, true} {
		b.Run(map[bool]string{false: "plaintext", true: "sealed"}[sealed], func(b *testing.B) {
			ctx := context.Background()
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			tn := mkTenant(b, s)
			u := &identity.User{Email: "ada@example.com"}
			if err := s.Users().Create(ctx, tn.ID, u); err != nil {
				b.Fatal(err)
			}
			rec := recorder(s, nil)
			if sealed {
				if rec.Keyring, err = secret.NewKeyring(bytes.Repeat([]byte("k"), 32)); err != nil {
					b.Fatal(err)
				}
			}
			e := events.Event{TenantID: tn.ID, Type: events.LoginFailed, UserID: u.ID, IP: "192.0.2.1", UserAgent: "Firefox",
				Decision: "deny", Reasons: []string{"velocity"}, Data: map[string]any{"identifier": "ada@example.com"}}
			b.ResetTimer()
			for b.Loop() {
				if err := rec.Record(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}
