package storetest

import (
	"errors"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var textTests = []test{
	{"UnstorableTextIsInvalidInput", testUnstorableText},
}

// Text with a NUL character or invalid UTF-8 reaching a store (past the
// HTTP edge, which refuses it) is never a fault: PostgreSQL cannot hold it
// and answers store.ErrInvalidInput for reads and writes alike, and writes
// nothing; SQLite may store and find it. Either way the error is one the
// handlers answer with 400 or 404.
func testUnstorableText(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	page := store.Page{}.Norm()
	for _, tc := range []struct {
		name string
		op   func() error
		// pg: PostgreSQL sees the text as it is (nothing on the way, such
		// as lower-casing or JSON encoding, made it valid UTF-8).
		pg bool
	}{
		{"get user", func() error { _, err := s.Users().Get(ctx, tn.ID, "a\x00b"); return err }, true},
		{"get user by email", func() error { _, err := s.Users().GetByEmail(ctx, tn.ID, "a\xff@example.com"); return err }, false},
		{"list users", func() error {
			_, _, err := s.Users().List(ctx, tn.ID, store.UserFilter{Query: "a\x00b"}, page)
			return err
		}, true},
		{"create user with NUL in the email", func() error {
			return s.Users().Create(ctx, tn.ID, &identity.User{Email: "nul\x00@example.com"})
		}, true},
		{"create user with NUL in an attribute key", func() error {
			return s.Users().Create(ctx, tn.ID, &identity.User{Email: "attr@example.com", Attributes: map[string]any{"a\x00": 1}})
		}, true},
		{"create user with invalid UTF-8 in a nested attribute", func() error {
			return s.Users().Create(ctx, tn.ID, &identity.User{Email: "nested@example.com", Attributes: map[string]any{"a": []any{"\xff"}}}) // JSON encoding replaces it
		}, false},
		{"get client", func() error { _, err := s.Clients().Get(ctx, tn.ID, "a\xffb"); return err }, true},
		{"create webhook", func() error {
			return s.Webhooks().Create(ctx, &store.Webhook{TenantID: tn.ID, URL: "https://hooks.example.org/nul",
				Description: "a\x00b", SecretSealed: []byte("sealed"), Enabled: true})
		}, true},
		{"list events", func() error {
			_, _, err := s.Audit().List(ctx, tn.ID, store.AuditFilter{Type: "a\x00b", UserID: "u\x00"}, page)
			return err
		}, true},
		{"put mail template", func() error {
			return s.MailTemplates().Put(ctx, &store.MailTemplate{TenantID: tn.ID, Kind: "invitation", Lang: "en", Subject: "a\x00b"})
		}, true},
		{"get auth request", func() error { _, err := s.AuthRequests().Get(ctx, tn.ID, "a\x00b"); return err }, true},
	} {
		err := tc.op()
		switch {
		case tc.pg && s.Dialect() == "postgres" && !errors.Is(err, store.ErrInvalidInput):
			t.Errorf("%s: err = %v, want store.ErrInvalidInput", tc.name, err)
		case err != nil && !errors.Is(err, store.ErrInvalidInput) && !errors.Is(err, store.ErrNotFound):
			t.Errorf("%s: err = %v, want nil, store.ErrNotFound or store.ErrInvalidInput", tc.name, err)
		}
	}
	if s.Dialect() == "postgres" {
		users, _, err := s.Users().List(ctx, tn.ID, store.UserFilter{}, page)
		must(t, err)
		hooks, _, err := s.Webhooks().List(ctx, tn.ID, page)
		must(t, err)
		if len(users) != 1 || len(hooks) != 0 { // the one whose attribute JSON encoding made valid
			t.Errorf("refused writes stored %d users, %d webhooks", len(users), len(hooks))
		}
	}
}
