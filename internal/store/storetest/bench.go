package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// RunBenchmarks measures the hot user and OAuth paths. newStore must
// return an empty, migrated store.
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
	runOAuthBenchmarks(b, newStore)
}

// runOAuthBenchmarks measures the per-request OAuth paths: the session
// cookie lookup, a refresh-token rotation (one write transaction) and the
// revocation check.
func runOAuthBenchmarks(b *testing.B, newStore func(b *testing.B) store.Store) {
	const seeded = 1000
	b.Run("SessionGetByToken", func(b *testing.B) {
		s := newStore(b)
		p := mkParty(b, s)
		sessions := make([]*oauth.Session, seeded)
		for i := range sessions {
			sessions[i] = mkSession(b, s, p.tenant.ID, p.user.ID)
		}
		ctx := b.Context()
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Sessions().GetByToken(ctx, p.tenant.ID, sessions[i%seeded].TokenHash); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RefreshRotate", func(b *testing.B) {
		s := newStore(b)
		p := mkParty(b, s)
		cur := mkRefresh(b, s, p.tenant.ID, p.client.ID, p.user.ID)
		ctx := b.Context()
		for b.Loop() {
			next := newRefresh(p.tenant.ID, p.client.ID, p.user.ID)
			if err := s.RefreshTokens().Rotate(ctx, p.tenant.ID, cur.ID, next, time.Now()); err != nil {
				b.Fatal(err)
			}
			cur = next
		}
	})
	revocations := func(b *testing.B) (store.Store, string, []string) {
		s := newStore(b)
		tn := mkTenant(b, s)
		keys := make([]string, seeded)
		for i := range keys {
			keys[i] = fmt.Sprintf("jti-%04d", i)
			mkRevocation(b, s, tn.ID, oauth.RevokeJTI, keys[i])
		}
		return s, tn.ID, keys
	}
	b.Run("RevocationGet", func(b *testing.B) {
		s, tenantID, keys := revocations(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			i++
			if _, err := s.Revocations().Get(ctx, tenantID, oauth.RevokeJTI, keys[i%seeded]); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The common case: the token is not revoked.
	b.Run("RevocationGetMiss", func(b *testing.B) {
		s, tenantID, _ := revocations(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			i++
			_, err := s.Revocations().Get(ctx, tenantID, oauth.RevokeJTI, fmt.Sprintf("live-%d", i%seeded))
			if !errors.Is(err, store.ErrNotFound) {
				b.Fatalf("Get of an unrevoked jti: %v", err)
			}
		}
	})
}
