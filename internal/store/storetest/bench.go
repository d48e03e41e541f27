package storetest

import (
	"fmt"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// RunBenchmarks measures the hot user paths. newStore must return an
// empty, migrated store.
func RunBenchmarks(b *testing.B, newStore func(b *testing.B) store.Store) {
	const seeded = 1000
	seed := func(b *testing.B) (store.Store, string, []*identity.User) {
		s := newStore(b)
		tn := mkTenant(b, s)
		users := make([]*identity.User, seeded)
		for i := range users {
			users[i] = fullUser(fmt.Sprintf("User%04d@Example.com", i), fmt.Sprintf("user%04d", i))
			must(b, s.Users().Create(b.Context(), tn.ID, users[i]))
		}
		return s, tn.ID, users
	}

	b.Run("UserCreate", func(b *testing.B) {
		s := newStore(b)
		tn := mkTenant(b, s)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			i++
			u := fullUser(fmt.Sprintf("bench%d@example.com", i), "")
			if err := s.Users().Create(ctx, tn.ID, u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("UserGetByID", func(b *testing.B) {
		s, tenantID, users := seed(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Users().Get(ctx, tenantID, users[i%seeded].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("UserGetByEmail", func(b *testing.B) {
		s, tenantID, users := seed(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Users().GetByEmail(ctx, tenantID, users[i%seeded].Email); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("UserGetByEmailParallel", func(b *testing.B) {
		s, tenantID, users := seed(b)
		ctx := b.Context()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				i++
				if _, err := s.Users().GetByEmail(ctx, tenantID, users[i%seeded].Email); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
