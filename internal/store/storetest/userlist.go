package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var userListTests = []test{
	{"UserList/Pagination", testUserPagination},
	{"UserList/Filters", testUserFilters},
	{"UserList/AttributeFilter", testUserAttributeFilter},
}

func userIDs(items []identity.User) []string {
	return ids(items, func(u identity.User) string { return u.ID })
}

func testUserPagination(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	var want []string
	for i := range 23 {
		want = append(want, mkUser(t, s, tn.ID, fmt.Sprintf("user%02d@example.com", i)).ID)
		mkUser(t, s, other.ID, fmt.Sprintf("user%02d@example.com", i)) // must never show up
	}
	slices.Sort(want)

	for _, limit := range []int{1, 5, 7, 23, 100} {
		got := walk(t, limit, func(p store.Page) ([]string, string, error) {
			items, next, err := s.Users().List(ctx, tn.ID, store.UserFilter{}, p)
			return userIDs(items), next, err
		})
		equal(t, got, want, fmt.Sprintf("IDs walked with limit %d", limit))
	}

	// Limit 0 means DefaultLimit; over MaxLimit is clamped.
	items, next, err := s.Users().List(ctx, tn.ID, store.UserFilter{}, store.Page{})
	must(t, err)
	equal(t, userIDs(items), want, "default page")
	equal(t, next, "", "next of a complete page")
	_, _, err = s.Users().List(ctx, tn.ID, store.UserFilter{}, store.Page{Limit: store.MaxLimit + 1})
	must(t, err)

	// A cursor past the end gives an empty page.
	items, next, err = s.Users().List(ctx, tn.ID, store.UserFilter{}, store.Page{After: want[len(want)-1]})
	must(t, err)
	if len(items) != 0 || next != "" {
		t.Fatalf("page after the last ID: %d items, next %q", len(items), next)
	}

	// Pages stay consistent while rows are added concurrently: each walk
	// sees each existing user once.
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 10 {
			u := &identity.User{Email: fmt.Sprintf("late%02d@example.com", i)}
			if err := s.Users().Create(ctx, tn.ID, u); err != nil {
				t.Error(err) // not Fatal: this is not the test goroutine
				return
			}
		}
	})
	got := walk(t, 4, func(p store.Page) ([]string, string, error) {
		items, next, err := s.Users().List(ctx, tn.ID, store.UserFilter{}, p)
		return userIDs(items), next, err
	})
	wg.Wait()
	for _, id := range want {
		if !slices.Contains(got, id) {
			t.Fatalf("walk during inserts missed %s", id)
		}
	}
}

func testUserFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	alice := mkUser(t, s, tn.ID, "Alice@Example.com", func(u *identity.User) { u.Username = "alice" })
	bob := mkUser(t, s, tn.ID, "bob@example.org", func(u *identity.User) { u.Username = "Bobby_Tables" })
	carol := mkUser(t, s, tn.ID, "carol@example.com")
	pct := mkUser(t, s, tn.ID, "100%real@example.net")
	under := mkUser(t, s, tn.ID, "a_b@example.net")
	mkUser(t, s, tn.ID, "axb@example.net")
	mkUser(t, s, other.ID, "alice@example.com", func(u *identity.User) { u.Username = "alice" })
	named := mkUser(t, s, tn.ID, "ds@example.org", func(u *identity.User) {
		u.Profile.Name, u.Profile.GivenName, u.Profile.FamilyName = "Élodie Durand-Smith", "Élodie", "Durand-Smith"
	})
	quoted := mkUser(t, s, tn.ID, "q@example.org", func(u *identity.User) { u.Profile.Nickname = `The "Q"` })
	mkUser(t, s, other.ID, "other@example.org", func(u *identity.User) { u.Profile.Name = "Élodie Durand" })

	sorted := func(us ...*identity.User) []string {
		out := ids(us, func(u *identity.User) string { return u.ID })
		slices.Sort(out)
		return out
	}
	cases := []struct {
		name string
		f    store.UserFilter
		want []string
	}{
		{"email exact, case-insensitive", store.UserFilter{Email: "ALICE@example.COM"}, sorted(alice)},
		{"email is not a substring match", store.UserFilter{Email: "alice"}, sorted()},
		{"username, case-insensitive", store.UserFilter{Username: "bobby_tables"}, sorted(bob)},
		{"query on email", store.UserFilter{Query: "EXAMPLE.COM"}, sorted(alice, carol)},
		{"query on username", store.UserFilter{Query: "tables"}, sorted(bob)},
		{"query matches email or username", store.UserFilter{Query: "ali"}, sorted(alice)},
		{"query % is literal", store.UserFilter{Query: "%"}, sorted(pct)},
		{"query _ is literal", store.UserFilter{Query: "a_b"}, sorted(under)},
		{"query backslash is literal", store.UserFilter{Query: `\`}, sorted()},
		{"filters combine", store.UserFilter{Query: "example", Username: "alice"}, sorted(alice)},
		{"no match", store.UserFilter{Query: "zzz"}, sorted()},
		{"query on name, case-insensitive", store.UserFilter{Query: "ÉLODIE DURAND"}, sorted(named)},
		{"query on family name", store.UserFilter{Query: "smith"}, sorted(named)},
		{"a short query does not match names", store.UserFilter{Query: "lo"}, sorted()},
		{"a short query matches emails", store.UserFilter{Query: "q@"}, sorted(quoted)},
		{"query quote is literal", store.UserFilter{Query: `"q"`}, sorted(quoted)},
		{"query FTS syntax is literal", store.UserFilter{Query: `smith OR alice`}, sorted()},
		{"query on the exact ID", store.UserFilter{Query: named.ID}, sorted(named)},
		{"query on part of an ID is not an ID match", store.UserFilter{Query: named.ID[:len(named.ID)-1]}, sorted()},
	}
	for _, c := range cases {
		items, next, err := s.Users().List(ctx, tn.ID, c.f, store.Page{})
		must(t, err)
		equal(t, userIDs(items), c.want, c.name)
		equal(t, next, "", c.name+": next")
	}

	// The index follows updates and deletes.
	_, err := s.Users().Update(ctx, tn.ID, named.ID, 0, func(u *identity.User) error {
		u.Profile = identity.Profile{Name: "Renamed Person"}
		u.Email = "renamed@example.org"
		return nil
	})
	must(t, err)
	for q, want := range map[string][]string{"durand": sorted(), "ds@example": sorted(), "renamed": sorted(named)} {
		items, _, err := s.Users().List(ctx, tn.ID, store.UserFilter{Query: q}, store.Page{})
		must(t, err)
		equal(t, userIDs(items), want, "after update: "+q)
	}
	must(t, s.Users().Delete(ctx, tn.ID, named.ID))
	items, _, err := s.Users().List(ctx, tn.ID, store.UserFilter{Query: "renamed"}, store.Page{})
	must(t, err)
	equal(t, userIDs(items), sorted(), "after delete")

	// Filtered pagination: the cursor works with a filter.
	got := walk(t, 1, func(p store.Page) ([]string, string, error) {
		items, next, err := s.Users().List(ctx, tn.ID, store.UserFilter{Query: "example.net"}, p)
		return userIDs(items), next, err
	})
	equal(t, len(got), 3, "filtered walk")
}

func testUserAttributeFilter(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	attrs := func(m map[string]any) func(*identity.User) {
		return func(u *identity.User) { u.Attributes = m }
	}
	pro := mkUser(t, s, tn.ID, "pro@example.com", attrs(map[string]any{"plan": "pro", "seats": float64(5)}))
	free := mkUser(t, s, tn.ID, "free@example.com", attrs(map[string]any{"plan": "free"}))
	dotted := mkUser(t, s, tn.ID, "dot@example.com", attrs(map[string]any{"a.b": "x", "a": map[string]any{"b": "y"}}))
	empty := mkUser(t, s, tn.ID, "empty@example.com", attrs(map[string]any{"plan": ""}))
	quote := mkUser(t, s, tn.ID, "quote@example.com", attrs(map[string]any{"nick": `O'Brien "x"`}))
	mkUser(t, s, tn.ID, "none@example.com")
	mkUser(t, s, tn.ID, "nested@example.com", attrs(map[string]any{"wrap": map[string]any{"plan": "pro"}}))
	mkUser(t, s, tn.ID, "list@example.com", attrs(map[string]any{"plan": []any{"pro"}}))
	mkUser(t, s, other.ID, "pro@example.com", attrs(map[string]any{"plan": "pro"}))

	cases := []struct {
		key, value string
		want       []*identity.User
	}{
		{"plan", "pro", []*identity.User{pro}},
		{"plan", "free", []*identity.User{free}},
		{"plan", "PRO", nil},
		{"plan", "", []*identity.User{empty}},
		{"seats", "5", nil}, // a number is not the string "5"
		{"a.b", "x", []*identity.User{dotted}},
		{"a.b", "y", nil}, // the key is literal, not a path
		{"nick", `O'Brien "x"`, []*identity.User{quote}},
		{"missing", "pro", nil},
		{"' OR 1=1 --", "pro", nil},
	}
	for _, c := range cases {
		items, _, err := s.Users().List(ctx, tn.ID, store.UserFilter{AttrKey: c.key, AttrValue: c.value}, store.Page{})
		must(t, err)
		want := ids(c.want, func(u *identity.User) string { return u.ID })
		slices.Sort(want)
		equal(t, userIDs(items), want, fmt.Sprintf("attribute %q = %q", c.key, c.value))
	}

	// Keys that cannot be addressed safely are refused, not interpolated.
	for _, key := range []string{`pl"an`, `a\b`, "tab\tkey"} {
		if _, _, err := s.Users().List(ctx, tn.ID, store.UserFilter{AttrKey: key, AttrValue: "x"}, store.Page{}); err == nil {
			t.Errorf("attribute key %q accepted", key)
		}
	}
}
