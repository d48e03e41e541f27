package accountapi

import (
	"context"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The self-service account API (tag account): the signed-in user lists
// and ends their own sessions and consents, with an access token the
// contract has verified (account_auth.go). Every operation acts on the
// token's user in the token's tenant only; what belongs to another user
// is not found.

// me returns the caller of an account API request whose path names tenant
// ("" for the default tenant).
func me(ctx context.Context, tenant string) (*account, error) {
	acct := accountFrom(ctx)
	if acct == nil {
		// The contract authenticates every account operation; reaching
		// here without a caller is a wiring bug.
		return nil, httpx.Unauthorized("An access token with the account scope is required.")
	}
	if acct.slug != tenant {
		return nil, httpx.Internal(fmt.Errorf("accountapi: account token verified for tenant %q, handler serves %q", acct.slug, tenant))
	}
	return acct, nil
}

// AccountSessionJSON renders one of the caller's sessions; current marks
// the one their token was issued under.
func AccountSessionJSON(s *oauth.Session, current bool) gen.AccountSession {
	v := restapi.SessionJSON(s)
	return gen.AccountSession{
		ID: v.ID, UserID: v.UserID, Current: current, IP: v.IP, UserAgent: v.UserAgent, AuthTime: v.AuthTime,
		Amr: v.Amr, CreatedAt: v.CreatedAt, LastSeenAt: v.LastSeenAt, ExpiresAt: v.ExpiresAt,
	}
}

func (a *Sessions) listMySessions(ctx context.Context, tenant string, limit *int, cursor *string) (gen.AccountSessionList, error) {
	acct, err := me(ctx, tenant)
	if err != nil {
		return gen.AccountSessionList{}, err
	}
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.AccountSessionList{}, err
	}
	t, at := tenancy.From(ctx), acct.token
	items, next, err := t.Store.Sessions().ListByUser(ctx, t.ID, at.UserID, pg)
	if err != nil {
		return gen.AccountSessionList{}, err
	}
	// As in listSessions: idle sessions are left out here, so a page may
	// hold fewer than limit items.
	now := a.now()
	out := gen.AccountSessionList{Items: make([]gen.AccountSession, 0, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		if items[i].Active(now, a.sessions.Idle) {
			out.Items = append(out.Items, AccountSessionJSON(&items[i], at.SessionID != "" && items[i].ID == at.SessionID))
		}
	}
	return out, nil
}

func (a *Sessions) revokeMySession(ctx context.Context, tenant, sessionID string) error {
	acct, err := me(ctx, tenant)
	if err != nil {
		return err
	}
	t := tenancy.From(ctx)
	s, err := t.Store.Sessions().Get(ctx, t.ID, sessionID)
	if err != nil {
		return err
	}
	if s.UserID != acct.token.UserID {
		return store.ErrNotFound
	}
	if err := a.tokens.EndSession(ctx, t, s); err != nil {
		return err
	}
	a.recordUser(ctx, acct, events.SessionRevoked, map[string]any{"session_id": s.ID, "by": "user"})
	return nil
}

func (a *Consents) listMyConsents(ctx context.Context, tenant string, limit *int, cursor *string) (gen.ConsentList, error) {
	acct, err := me(ctx, tenant)
	if err != nil {
		return gen.ConsentList{}, err
	}
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.ConsentList{}, err
	}
	t := tenancy.From(ctx)
	items, next, err := t.Store.Consents().ListByUser(ctx, t.ID, acct.token.UserID, pg)
	if err != nil {
		return gen.ConsentList{}, err
	}
	out := gen.ConsentList{Items: make([]gen.Consent, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		name, err := restapi.ClientName(ctx, t, items[i].ClientID)
		if err != nil {
			return gen.ConsentList{}, err
		}
		out.Items[i] = restapi.ConsentJSON(&items[i], name)
	}
	return out, nil
}

func (a *Consents) revokeMyConsent(ctx context.Context, tenant, clientID string) error {
	acct, err := me(ctx, tenant)
	if err != nil {
		return err
	}
	if err := a.tokens.RevokeConsent(ctx, tenancy.From(ctx), acct.token.UserID, clientID); err != nil {
		return err
	}
	a.recordUser(ctx, acct, events.ConsentWithdrawn, map[string]any{"client_id": clientID, "by": "user"})
	return nil
}

func (a *Sessions) ListMySessions(ctx context.Context, r gen.ListMySessionsRequestObject) (gen.ListMySessionsResponseObject, error) {
	out, err := a.listMySessions(ctx, "", r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListMySessions200JSONResponse(out), nil
}

func (a *Sessions) RevokeMySession(ctx context.Context, r gen.RevokeMySessionRequestObject) (gen.RevokeMySessionResponseObject, error) {
	if err := a.revokeMySession(ctx, "", r.SessionID); err != nil {
		return nil, err
	}
	return gen.RevokeMySession204Response{}, nil
}

func (a *Consents) ListMyConsents(ctx context.Context, r gen.ListMyConsentsRequestObject) (gen.ListMyConsentsResponseObject, error) {
	out, err := a.listMyConsents(ctx, "", r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListMyConsents200JSONResponse(out), nil
}

func (a *Consents) RevokeMyConsent(ctx context.Context, r gen.RevokeMyConsentRequestObject) (gen.RevokeMyConsentResponseObject, error) {
	if err := a.revokeMyConsent(ctx, "", r.ClientID); err != nil {
		return nil, err
	}
	return gen.RevokeMyConsent204Response{}, nil
}

func (a *Sessions) ListTenantMySessions(ctx context.Context, r gen.ListTenantMySessionsRequestObject) (gen.ListTenantMySessionsResponseObject, error) {
	out, err := a.listMySessions(ctx, r.Tenant, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantMySessions200JSONResponse(out), nil
}

func (a *Sessions) RevokeTenantMySession(ctx context.Context, r gen.RevokeTenantMySessionRequestObject) (gen.RevokeTenantMySessionResponseObject, error) {
	if err := a.revokeMySession(ctx, r.Tenant, r.SessionID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantMySession204Response{}, nil
}

func (a *Consents) ListTenantMyConsents(ctx context.Context, r gen.ListTenantMyConsentsRequestObject) (gen.ListTenantMyConsentsResponseObject, error) {
	out, err := a.listMyConsents(ctx, r.Tenant, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantMyConsents200JSONResponse(out), nil
}

func (a *Consents) RevokeTenantMyConsent(ctx context.Context, r gen.RevokeTenantMyConsentRequestObject) (gen.RevokeTenantMyConsentResponseObject, error) {
	if err := a.revokeMyConsent(ctx, r.Tenant, r.ClientID); err != nil {
		return nil, err
	}
	return gen.RevokeTenantMyConsent204Response{}, nil
}
