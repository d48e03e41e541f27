package storetest

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var concurrencyTests = []test{
	{"Concurrency/UpdatesSerialise", testConcurrentUpdates},
	{"Concurrency/SameVersionOneWins", testConcurrentSameVersion},
	{"Concurrency/CreateSameEmail", testConcurrentCreateSameEmail},
}

// Unconditional concurrent updates each land exactly once: none is lost
// and each sees a distinct version.
func testConcurrentUpdates(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, "counter@example.com")
	c := mkClient(t, s, tn.ID, "counter")
	const n = 16

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		versions []int64
	)
	for range n {
		wg.Go(func() {
			got, err := s.Users().Update(ctx, tn.ID, u.ID, 0, func(x *identity.User) error {
				count, _ := x.Attributes["count"].(float64)
				x.Attributes = map[string]any{"count": count + 1}
				return nil
			})
			if err != nil {
				t.Error(err)
				return
			}
			_, err = s.Clients().Update(ctx, tn.ID, c.ID, 0, func(x *oauth.Client) error {
				x.RedirectURIs = append(x.RedirectURIs, "https://example.com/cb")
				return nil
			})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			versions = append(versions, got.Version)
			mu.Unlock()
		})
	}
	wg.Wait()

	got, err := s.Users().Get(ctx, tn.ID, u.ID)
	must(t, err)
	if got.Version != n+1 || got.Attributes["count"] != float64(n) {
		t.Fatalf("after %d updates: version %d, count %v", n, got.Version, got.Attributes["count"])
	}
	slices.Sort(versions)
	for i, v := range versions {
		if v != int64(i+2) {
			t.Fatalf("returned versions %v, want 2..%d each once", versions, n+1)
		}
	}
	gc, err := s.Clients().Get(ctx, tn.ID, c.ID)
	must(t, err)
	if gc.Version != n+1 || len(gc.RedirectURIs) != n {
		t.Fatalf("client after %d updates: version %d, %d redirect URIs", n, gc.Version, len(gc.RedirectURIs))
	}
}

// Conditional updates racing on the same version: exactly one wins.
func testConcurrentSameVersion(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, "race@example.com")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.Users().Update(ctx, tn.ID, u.ID, u.Version, func(x *identity.User) error {
				x.Phone = "+1555000000" + string(rune('0'+i))
				return nil
			})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, store.ErrVersionMismatch):
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d updates won the race, want exactly 1", wins)
	}
	got, err := s.Users().Get(ctx, tn.ID, u.ID)
	must(t, err)
	equal(t, got.Version, u.Version+1, "version after the race")
}

// Racing creates with one email: exactly one user exists afterwards.
func testConcurrentCreateSameEmail(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Users().Create(ctx, tn.ID, &identity.User{Email: "Same@Example.com"})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrConflict):
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d creates succeeded, want exactly 1", ok)
	}
	items, _, err := s.Users().List(ctx, tn.ID, store.UserFilter{Email: "same@example.com"}, store.Page{})
	must(t, err)
	equal(t, len(items), 1, "users with the email")
}
