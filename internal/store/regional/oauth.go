package regional

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Tenants deletes a tenant's stub rows in every region with the tenant.
func (r *Router) Tenants() store.TenantRepo { return tenants{r.Store.Tenants(), r} }

type tenants struct {
	store.TenantRepo
	r *Router
}

func (x tenants) Delete(ctx context.Context, id string) error {
	if err := x.TenantRepo.Delete(ctx, id); err != nil {
		return err
	}
	_, err := each(ctx, x.r, func(s store.Store) (int64, error) {
		if err := s.Tenants().Delete(ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		return 0, nil
	})
	for _, n := range x.r.shared.names {
		x.r.shared.stubs.Delete(n + "/" + id)
	}
	return err
}

// Clients deletes a client's stub rows (and so its users' tokens and
// consents) in every region with the client.
func (r *Router) Clients() store.ClientRepo { return clients{r.Store.Clients(), r} }

type clients struct {
	store.ClientRepo
	r *Router
}

func (x clients) Delete(ctx context.Context, tenantID, clientID string) error {
	if err := x.ClientRepo.Delete(ctx, tenantID, clientID); err != nil {
		return err
	}
	_, err := each(ctx, x.r, func(s store.Store) (int64, error) {
		if err := s.Clients().Delete(ctx, tenantID, clientID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		return 0, nil
	})
	for _, n := range x.r.shared.names {
		x.r.shared.stubs.Delete(n + "/" + tenantID + "/" + clientID)
	}
	return err
}

// Sessions live in their user's region.
func (r *Router) Sessions() store.SessionRepo { return sessions{r} }

type sessions struct{ r *Router }

func (x sessions) Create(ctx context.Context, s *oauth.Session) error {
	st, err := x.r.forUserStub(ctx, s.TenantID, s.UserID, "")
	if err != nil {
		return err
	}
	return st.Sessions().Create(ctx, s)
}

func (x sessions) Get(ctx context.Context, tenantID, id string) (*oauth.Session, error) {
	s, _, err := find(ctx, x.r, func(st store.Store) (*oauth.Session, error) { return st.Sessions().Get(ctx, tenantID, id) })
	return s, err
}

func (x sessions) GetByToken(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.Session, error) {
	s, _, err := find(ctx, x.r, func(st store.Store) (*oauth.Session, error) {
		return st.Sessions().GetByToken(ctx, tenantID, tokenHash)
	})
	return s, err
}

func (x sessions) ListByUser(ctx context.Context, tenantID, userID string, p store.Page) ([]oauth.Session, string, error) {
	st, err := x.r.forUser(ctx, tenantID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return st.Sessions().ListByUser(ctx, tenantID, userID, p)
}

// holder returns the region holding a session.
func (x sessions) holder(ctx context.Context, tenantID, id string) (store.Store, error) {
	_, name, err := find(ctx, x.r, func(st store.Store) (*oauth.Session, error) { return st.Sessions().Get(ctx, tenantID, id) })
	if err != nil {
		return nil, err
	}
	return x.r.region(ctx, name)
}

func (x sessions) Update(ctx context.Context, tenantID, id string, fn func(*oauth.Session) error) (*oauth.Session, error) {
	st, err := x.holder(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	return st.Sessions().Update(ctx, tenantID, id, fn)
}

func (x sessions) Touch(ctx context.Context, tenantID, id string, at time.Time, ip, userAgent string) error {
	st, err := x.holder(ctx, tenantID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return st.Sessions().Touch(ctx, tenantID, id, at, ip, userAgent)
}

func (x sessions) Revoke(ctx context.Context, tenantID, id string, at time.Time) error {
	st, err := x.holder(ctx, tenantID, id)
	if err != nil {
		return err
	}
	return st.Sessions().Revoke(ctx, tenantID, id, at)
}

func (x sessions) RevokeAllForUser(ctx context.Context, tenantID, userID string, at time.Time) (int64, error) {
	st, err := x.r.forUser(ctx, tenantID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return st.Sessions().RevokeAllForUser(ctx, tenantID, userID, at)
}

func (x sessions) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	return each(ctx, x.r, func(st store.Store) (int64, error) { return st.Sessions().DeleteExpired(ctx, before) })
}

// Consents live in their user's region.
func (r *Router) Consents() store.ConsentRepo { return consents{r} }

type consents struct{ r *Router }

func (x consents) Get(ctx context.Context, tenantID, userID, clientID string) (*oauth.Consent, error) {
	st, err := x.r.forUser(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	return st.Consents().Get(ctx, tenantID, userID, clientID)
}

func (x consents) Upsert(ctx context.Context, c *oauth.Consent) error {
	st, err := x.r.forUserStub(ctx, c.TenantID, c.UserID, c.ClientID)
	if err != nil {
		return err
	}
	return st.Consents().Upsert(ctx, c)
}

func (x consents) ListByUser(ctx context.Context, tenantID, userID string, p store.Page) ([]oauth.Consent, string, error) {
	st, err := x.r.forUser(ctx, tenantID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return st.Consents().ListByUser(ctx, tenantID, userID, p)
}

func (x consents) Delete(ctx context.Context, tenantID, userID, clientID string) error {
	st, err := x.r.forUser(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	return st.Consents().Delete(ctx, tenantID, userID, clientID)
}

// RefreshTokens live in their user's region.
func (r *Router) RefreshTokens() store.RefreshTokenRepo { return refreshTokens{r} }

type refreshTokens struct{ r *Router }

func (x refreshTokens) Create(ctx context.Context, t *oauth.RefreshToken) error {
	st, err := x.r.forUserStub(ctx, t.TenantID, t.UserID, t.ClientID)
	if err != nil {
		return err
	}
	return st.RefreshTokens().Create(ctx, t)
}

func (x refreshTokens) Get(ctx context.Context, tenantID, id string) (*oauth.RefreshToken, error) {
	t, _, err := find(ctx, x.r, func(st store.Store) (*oauth.RefreshToken, error) { return st.RefreshTokens().Get(ctx, tenantID, id) })
	return t, err
}

func (x refreshTokens) GetByHash(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.RefreshToken, error) {
	t, _, err := find(ctx, x.r, func(st store.Store) (*oauth.RefreshToken, error) {
		return st.RefreshTokens().GetByHash(ctx, tenantID, tokenHash)
	})
	return t, err
}

func (x refreshTokens) Rotate(ctx context.Context, tenantID, oldID string, next *oauth.RefreshToken, at time.Time) error {
	st, err := x.r.forUserStub(ctx, tenantID, next.UserID, next.ClientID)
	if err != nil {
		return err
	}
	return st.RefreshTokens().Rotate(ctx, tenantID, oldID, next, at)
}

func (x refreshTokens) RevokeFamily(ctx context.Context, tenantID, familyID string, at time.Time) (int64, error) {
	return each(ctx, x.r, func(st store.Store) (int64, error) {
		return st.RefreshTokens().RevokeFamily(ctx, tenantID, familyID, at)
	})
}

func (x refreshTokens) RevokeForUser(ctx context.Context, tenantID, userID, clientID string, at time.Time) (int64, error) {
	st, err := x.r.forUser(ctx, tenantID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return st.RefreshTokens().RevokeForUser(ctx, tenantID, userID, clientID, at)
}

func (x refreshTokens) RevokeForClient(ctx context.Context, tenantID, clientID string, at time.Time) (int64, error) {
	return each(ctx, x.r, func(st store.Store) (int64, error) {
		return st.RefreshTokens().RevokeForClient(ctx, tenantID, clientID, at)
	})
}

func (x refreshTokens) RevokeForSession(ctx context.Context, tenantID, sessionID string, at time.Time) (int64, error) {
	return each(ctx, x.r, func(st store.Store) (int64, error) {
		return st.RefreshTokens().RevokeForSession(ctx, tenantID, sessionID, at)
	})
}

func (x refreshTokens) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	return each(ctx, x.r, func(st store.Store) (int64, error) { return st.RefreshTokens().DeleteExpired(ctx, before) })
}

// OpaqueTokens of a user live in the user's region; a client's own
// (client credentials) stay in the main database.
func (r *Router) OpaqueTokens() store.OpaqueTokenRepo { return opaqueTokens{r} }

type opaqueTokens struct{ r *Router }

func (x opaqueTokens) Create(ctx context.Context, t *oauth.OpaqueToken) error {
	if t.UserID == "" {
		return x.r.Store.OpaqueTokens().Create(ctx, t)
	}
	st, err := x.r.forUserStub(ctx, t.TenantID, t.UserID, t.ClientID)
	if err != nil {
		return err
	}
	return st.OpaqueTokens().Create(ctx, t)
}

func (x opaqueTokens) GetByHash(ctx context.Context, tenantID string, tokenHash []byte) (*oauth.OpaqueToken, error) {
	t, err := x.r.Store.OpaqueTokens().GetByHash(ctx, tenantID, tokenHash)
	if !errors.Is(err, store.ErrNotFound) {
		return t, err
	}
	t, _, err = find(ctx, x.r, func(st store.Store) (*oauth.OpaqueToken, error) {
		return st.OpaqueTokens().GetByHash(ctx, tenantID, tokenHash)
	})
	return t, err
}

func (x opaqueTokens) Revoke(ctx context.Context, tenantID, id string, at time.Time) error {
	err := x.r.Store.OpaqueTokens().Revoke(ctx, tenantID, id, at)
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	_, _, err = find(ctx, x.r, func(st store.Store) (struct{}, error) {
		return struct{}{}, st.OpaqueTokens().Revoke(ctx, tenantID, id, at)
	})
	return err
}

func (x opaqueTokens) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	n, err := x.r.Store.OpaqueTokens().DeleteExpired(ctx, before)
	if err != nil {
		return n, err
	}
	m, err := each(ctx, x.r, func(st store.Store) (int64, error) { return st.OpaqueTokens().DeleteExpired(ctx, before) })
	return n + m, err
}
