package sqlite_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

// TestUserSearchPaths checks both ways SQLite answers a search of three
// characters or more: by the IDs its trigram index found, and, for a term
// commoner than the probe's bound in the tenant, by walking the tenant's
// users. Both must give what a substring match gives. The conformance
// suite covers the first with its few users; the bound is lowered here.
func TestUserSearchPaths(t *testing.T) {
	defer sqlite.SetSearchCandidates(2)()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := &identity.Tenant{Slug: "search-a", DisplayName: "A"}
	b := &identity.Tenant{Slug: "search-b", DisplayName: "B"}
	for _, tn := range []*identity.Tenant{a, b} {
		if err := s.Tenants().Create(ctx, tn); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(tn *identity.Tenant, email, family string) string {
		u := &identity.User{Email: email, Profile: identity.Profile{FamilyName: family}}
		if err := s.Users().Create(ctx, tn.ID, u); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	var common, smiths, rare []string
	for i := range 5 {
		common = append(common, mk(a, fmt.Sprintf("common%d@example.org", i), "Smith"))
	}
	smiths = append(smiths, common...)
	smiths = append(smiths, mk(a, "x@example.org", "Goldsmith"))
	rare = append(rare, mk(a, "rare@example.org", "Jones"))
	for i := range 10 { // another tenant's matches neither count nor show
		mk(b, fmt.Sprintf("rare%d@example.org", i), "Smith")
	}

	search := func(q string) []string {
		t.Helper()
		var out []string
		p := store.Page{Limit: 2}
		for {
			items, next, err := s.Users().List(ctx, a.ID, store.UserFilter{Query: q}, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range items {
				out = append(out, u.ID)
			}
			if next == "" {
				return out
			}
			p.After = next
		}
	}
	for q, want := range map[string][]string{
		"common": common, // 5 > 2 in this tenant: the walk
		"SMITH":  smiths, // the walk matches names too
		"rare":   rare,   // 1 here (10 in the other tenant): the index's IDs
		"jones":  rare,
		"nobody": nil,
	} {
		slices.Sort(want)
		if got := search(q); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}

	// Deleting a tenant cascades to its users, and the triggers take their
	// index rows with them.
	if err := s.Tenants().Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"users_search_ids", "users_search"} {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 7 {
			t.Errorf("%s has %d rows after the tenant's deletion, want 7", table, n)
		}
	}
}

// An erased user's text must not stay in the search index: FTS5 keeps a
// deleted row's tokens in its segments, marked deleted, until a merge,
// unless secure-delete is on (migration 00040). The trigrams of a rare
// address are in the index's blobs while the user exists, and gone after
// the deletion.
func TestUserSearchForgetsDeletedUsers(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tn := &identity.Tenant{Slug: "forget", DisplayName: "F"}
	if err := s.Tenants().Create(ctx, tn); err != nil {
		t.Fatal(err)
	}
	for i := range 20 { // neighbours, so the segment outlives the deletion
		if err := s.Users().Create(ctx, tn.ID, &identity.User{Email: fmt.Sprintf("n%d@example.org", i)}); err != nil {
			t.Fatal(err)
		}
	}
	u := &identity.User{Email: "qzjxvkw@example.org", Profile: identity.Profile{Name: "Wqyfzp Jvkqx"}}
	if err := s.Users().Create(ctx, tn.ID, u); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	traces := func() []string {
		t.Helper()
		var found []string
		rows, err := db.QueryContext(ctx, `SELECT block FROM users_search_data`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			for _, tri := range []string{"qzj", "zjx", "jxv", "xvk", "vkw", "wqy", "qyf", "yfz", "fzp"} {
				if bytes.Contains(b, []byte(tri)) {
					found = append(found, tri)
				}
			}
		}
		return found
	}
	if len(traces()) == 0 {
		t.Fatal("the index holds none of the user's trigrams: the test cannot see them")
	}
	if err := s.Users().Delete(ctx, tn.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if got := traces(); len(got) != 0 {
		t.Errorf("the deleted user's trigrams %v are still in the index", got)
	}
}
