package regional_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/store/regional"
	"github.com/gatehouse-iam/gatehouse/internal/store/storeopen"
	"github.com/gatehouse-iam/gatehouse/internal/store/storetest"
)

// engines runs fn with a fresh set of databases (main, eu, us) per call
// of open, on SQLite and on PostgreSQL.
func engines(t *testing.T, fn func(t *testing.T, open func(t *testing.T) map[string]string)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func(t *testing.T) map[string]string {
			dir := t.TempDir()
			out := map[string]string{}
			for _, n := range []string{"main", "eu", "us"} {
				out[n] = "sqlite:" + filepath.Join(dir, n+".db")
			}
			return out
		})
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, func(t *testing.T) map[string]string {
			out := map[string]string{}
			for _, n := range []string{"main", "eu", "us"} {
				out[n] = pgtest.DatabaseURL(t, "gh_reg_"+n)
			}
			return out
		})
	})
}

// newRouter opens (and migrates) the databases and routes over them, eu
// being the default region.
func newRouter(t *testing.T, urls map[string]string) (*regional.Router, storeopen.DB) {
	t.Helper()
	open := func(url string) storeopen.DB {
		db, err := storeopen.Open(t.Context(), url, storeopen.Options{AutoMigrate: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	main := open(urls["main"])
	var regions []regional.Region
	for _, n := range []string{"eu", "us"} {
		regions = append(regions, regional.Region{Name: n, Store: open(urls[n])})
	}
	mac := func(b []byte) []byte {
		m := hmac.New(sha256.New, []byte("test directory key"))
		m.Write(b)
		return m.Sum(nil)
	}
	r, err := regional.New(main, regions, "eu", mac)
	if err != nil {
		t.Fatal(err)
	}
	return r, main
}

// TestFederatedIdentitiesConformance runs the store suite's tests of
// federated identities on a Router, which keeps them in the users'
// regions.
func TestFederatedIdentitiesConformance(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) map[string]string) {
		storetest.RunFederatedIdentities(t, func(t *testing.T) store.Store {
			r, _ := newRouter(t, open(t))
			return r
		})
	})
}

// TestFederatedIdentityResidency: an identity lives in its user's region
// only; a subject is linked to one user across regions; a move carries
// it; an identity linked in the main database before regions held them
// is still found, listed and unlinked.
func TestFederatedIdentityResidency(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) map[string]string) {
		ctx := t.Context()
		r, main := newRouter(t, open(t))
		tn := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
		must(t, r.Tenants().Create(ctx, tn))
		must(t, r.Connections().Create(ctx, &store.Connection{TenantID: tn.ID, ID: "corp", Type: "oidc", DisplayName: "Corp",
			Config: []byte(`{"issuer":"https://idp.example"}`), SecretsSealed: []byte("sealed")}))
		eu := &identity.User{Email: "ann@example.eu"}
		us := &identity.User{Email: "bob@example.us", Region: "us"}
		must(t, r.Users().Create(ctx, tn.ID, eu))
		must(t, r.Users().Create(ctx, tn.ID, us))

		fi := &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "sub-ann", UserID: eu.ID, Email: "ann@corp.example"}
		must(t, r.Connections().Link(ctx, fi))
		if _, err := main.Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-ann"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("identity in the main database: %v", err)
		}
		if got, err := r.RegionStore("eu").Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-ann"); err != nil || got.Email != "ann@corp.example" {
			t.Fatalf("identity in eu: %+v %v", got, err)
		}
		// The region's copy of the connection has no configuration or secrets.
		if c, err := r.RegionStore("eu").Connections().Get(ctx, tn.ID, "corp"); err != nil || c.SecretsSealed != nil || c.Config != nil {
			t.Fatalf("eu's connection copy: %+v %v", c, err)
		}
		// The same subject for a user of another region is refused, and
		// nothing is left in us.
		err := r.Connections().Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "sub-ann", UserID: us.ID})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("subject linked twice across regions: %v", err)
		}
		if ids, err := r.Connections().Identities(ctx, tn.ID, us.ID); err != nil || len(ids) != 0 {
			t.Fatalf("us user's identities after the refusal: %+v %v", ids, err)
		}
		// An email change keeps the identity's directory entry.
		if _, err := r.Users().Update(ctx, tn.ID, eu.ID, 0, func(u *identity.User) error { u.Email = "ann.new@example.eu"; return nil }); err != nil {
			t.Fatal(err)
		}
		if got, err := r.Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-ann"); err != nil || got.UserID != eu.ID {
			t.Fatalf("identity after an email change: %+v %v", got, err)
		}

		// A move carries the identity to us and leaves none in eu.
		if _, err := r.Move(ctx, tn.ID, eu.ID, "us"); err != nil {
			t.Fatal(err)
		}
		if _, err := r.RegionStore("eu").Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-ann"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("identity left in eu: %v", err)
		}
		got, err := r.Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-ann")
		if err != nil || got.UserID != eu.ID || got.Email != "ann@corp.example" {
			t.Fatalf("identity after the move: %+v %v", got, err)
		}
		if _, err := r.RegionStore("us").Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-ann"); err != nil {
			t.Fatalf("identity not in us: %v", err)
		}
		must(t, r.Connections().Used(ctx, tn.ID, "corp", "sub-ann", "ann@corp2.example", got.LinkedAt))

		// Unlinking frees the subject for another user.
		must(t, r.Connections().Unlink(ctx, tn.ID, eu.ID, "corp"))
		must(t, r.Connections().Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "sub-ann", UserID: us.ID}))
		if got, err := r.Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-ann"); err != nil || got.UserID != us.ID {
			t.Fatalf("relinked identity: %+v %v", got, err)
		}

		// An identity linked in the main database before (the skeleton row
		// satisfies its foreign key) is still found, listed and unlinked,
		// and its subject stays taken.
		must(t, main.Connections().Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "old-ann", UserID: eu.ID}))
		if got, err := r.Connections().IdentityBySubject(ctx, tn.ID, "corp", "old-ann"); err != nil || got.UserID != eu.ID {
			t.Fatalf("legacy identity: %+v %v", got, err)
		}
		err = r.Connections().Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "old-ann", UserID: us.ID})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("legacy subject linked again: %v", err)
		}
		if ids, err := r.Connections().Identities(ctx, tn.ID, eu.ID); err != nil || len(ids) != 1 || ids[0].Subject != "old-ann" {
			t.Fatalf("identities with a legacy one: %+v %v", ids, err)
		}
		must(t, r.Connections().Unlink(ctx, tn.ID, eu.ID, "corp"))
		if _, err := main.Connections().IdentityBySubject(ctx, tn.ID, "corp", "old-ann"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("legacy identity after unlink: %v", err)
		}

		// A user created before regions (in full in the main database) links
		// an identity there, lists it once, and Migrate carries it.
		old := &identity.User{Email: "cy@example.eu"}
		must(t, main.Users().Create(ctx, tn.ID, old))
		must(t, r.Connections().Link(ctx, &store.FederatedIdentity{TenantID: tn.ID, ConnectionID: "corp", Subject: "sub-cy", UserID: old.ID, Email: "cy@corp.example"}))
		if ids, err := r.Connections().Identities(ctx, tn.ID, old.ID); err != nil || len(ids) != 1 {
			t.Fatalf("a legacy user's identities: %+v %v", ids, err)
		}
		if _, err := r.Migrate(ctx, tn.ID, old.ID, "us"); err != nil {
			t.Fatal(err)
		}
		if _, err := main.Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-cy"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("identity left in the main database: %v", err)
		}
		if got, err := r.Connections().IdentityBySubject(ctx, tn.ID, "corp", "sub-cy"); err != nil || got.UserID != old.ID || got.Email != "cy@corp.example" {
			t.Fatalf("identity after the migration: %+v %v", got, err)
		}
		if u, err := r.Users().Get(ctx, tn.ID, old.ID); err != nil || u.Region != "us" || u.Email != "cy@example.eu" {
			t.Fatalf("user after the migration: %+v %v", u, err)
		}
		if u, err := main.Users().Get(ctx, tn.ID, old.ID); err != nil || u.Email != "" {
			t.Fatalf("main row after the migration: %+v %v", u, err)
		}
		if _, err := r.Migrate(ctx, tn.ID, old.ID, "us"); !errors.Is(err, regional.ErrInRegion) {
			t.Fatalf("migrate twice: %v", err)
		}
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
