package adminapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

func (a *Sessions) listSessions(ctx context.Context, userID string, limit *int, cursor *string) (gen.SessionList, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.SessionList{}, err
	}
	if err := requireUser(ctx, sc, userID); err != nil {
		return gen.SessionList{}, err
	}
	items, next, err := sc.Store.Sessions().ListByUser(ctx, sc.Tenant.ID, userID, pg)
	if err != nil {
		return gen.SessionList{}, err
	}
	// The store leaves out revoked and expired sessions; idle ones are
	// left out here, so a page may hold fewer than limit items.
	now := a.now()
	out := gen.SessionList{Items: make([]gen.Session, 0, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		if items[i].Active(now, a.sessions.Idle) {
			out.Items = append(out.Items, restapi.SessionJSON(&items[i]))
		}
	}
	return out, nil
}

func (a *Sessions) revokeSession(ctx context.Context, userID, sessionID string) error {
	t := tenancy.From(ctx)
	if err := requireUser(ctx, t, userID); err != nil {
		return err
	}
	s, err := t.Store.Sessions().Get(ctx, t.Tenant.ID, sessionID)
	if err != nil {
		return err
	}
	if s.UserID != userID {
		return store.ErrNotFound
	}
	return a.audited(ctx, a.tokens.EndSession(ctx, t, s), t.Tenant.ID, "session.revoked", userID, map[string]any{"session_id": sessionID})
}

// revokeSessions revokes the user's sessions one by one, each with its
// tokens, as revokeSession does.
func (a *Sessions) revokeSessions(ctx context.Context, userID string) error {
	t := tenancy.From(ctx)
	if err := requireUser(ctx, t, userID); err != nil {
		return err
	}
	pg := store.Page{Limit: store.MaxLimit}
	for {
		items, next, err := t.Store.Sessions().ListByUser(ctx, t.Tenant.ID, userID, pg)
		if err != nil {
			return err
		}
		for i := range items {
			if err := a.tokens.EndSession(ctx, t, &items[i]); err != nil {
				return err
			}
		}
		if next == "" {
			a.recordAdmin(ctx, t.Tenant.ID, "sessions.revoked", userID, nil)
			return nil
		}
		pg.After = next
	}
}

func (a *Sessions) ListUserSessions(ctx context.Context, r gen.ListUserSessionsRequestObject) (gen.ListUserSessionsResponseObject, error) {
	out, err := a.listSessions(ctx, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListUserSessions200JSONResponse(out), nil
}

func (a *Sessions) RevokeUserSessions(ctx context.Context, r gen.RevokeUserSessionsRequestObject) (gen.RevokeUserSessionsResponseObject, error) {
	if err := a.revokeSessions(ctx, r.UserID); err != nil {
		return nil, err
	}
	return gen.RevokeUserSessions204Response{}, nil
}

func (a *Sessions) RevokeUserSession(ctx context.Context, r gen.RevokeUserSessionRequestObject) (gen.RevokeUserSessionResponseObject, error) {
	if err := a.revokeSession(ctx, r.UserID, r.SessionID); err != nil {
		return nil, err
	}
	return gen.RevokeUserSession204Response{}, nil
}

func (a *Sessions) ListTenantUserSessions(ctx context.Context, r gen.ListTenantUserSessionsRequestObject) (gen.ListTenantUserSessionsResponseObject, error) {
	out, err := a.listSessions(ctx, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantUserSessions200JSONResponse(out), nil
}

func (a *Sessions) RevokeTenantUserSessions(ctx context.Context, r gen.RevokeTenantUserSessionsRequestObject) (gen.RevokeTenantUserSessionsResponseObject, error) {
	if err := a.revokeSessions(ctx, r.UserID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantUserSessions204Response{}, nil
}

func (a *Sessions) RevokeTenantUserSession(ctx context.Context, r gen.RevokeTenantUserSessionRequestObject) (gen.RevokeTenantUserSessionResponseObject, error) {
	if err := a.revokeSession(ctx, r.UserID, r.SessionID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantUserSession204Response{}, nil
}
