package accountapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The signed-in user's federated identities (/v1/me/identities, issue 12,
// docs/federation.md): list them, start linking one (the hosted login's
// link page finishes it in the browser), unlink one — never the last way
// to sign in.

// TypeLastSignInMethod is the problem type of an unlink that would leave
// the user no way to sign in.
const TypeLastSignInMethod = "urn:gatehouse:problem:last-sign-in-method"

// EventIdentityUnlinked is recorded when a user unlinks an identity.
const EventIdentityUnlinked = "user.identity_unlinked"

func errLastSignInMethod() error {
	return httpx.NewProblem(http.StatusConflict, TypeLastSignInMethod, "Last way to sign in",
		"This identity is your last way to sign in. Set a password, add a passkey or link another identity first.")
}

func (a *Identities) listMyIdentities(ctx context.Context, tenant string, limit *int, cursor *string) (gen.FederatedIdentityList, error) {
	acct, err := me(ctx, tenant)
	if err != nil {
		return gen.FederatedIdentityList{}, err
	}
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return gen.FederatedIdentityList{}, err
	}
	pg = pg.Norm()
	t := tenancy.From(ctx)
	ids, err := t.Store.Connections().Identities(ctx, t.ID, acct.token.UserID)
	if err != nil {
		return gen.FederatedIdentityList{}, err
	}
	// Identities come ordered by connection ID, at most one a connection:
	// the cursor is the last connection ID of the page.
	start, _ := slices.BinarySearchFunc(ids, pg.After, func(fi store.FederatedIdentity, after string) int {
		if fi.ConnectionID <= after {
			return -1
		}
		return 1
	})
	ids = ids[start:]
	next := ""
	if len(ids) > pg.Limit {
		ids = ids[:pg.Limit]
		next = ids[len(ids)-1].ConnectionID
	}
	out := gen.FederatedIdentityList{Items: make([]gen.FederatedIdentity, len(ids)), NextCursor: restapi.NextCursor(next)}
	for i := range ids {
		out.Items[i] = restapi.FederatedIdentityJSON(&ids[i])
	}
	return out, nil
}

func (a *Identities) linkMyIdentity(ctx context.Context, tenant string, body *gen.IdentityLinkRequest) (gen.IdentityLinkStart, error) {
	acct, err := me(ctx, tenant)
	if err != nil {
		return gen.IdentityLinkStart{}, err
	}
	t := tenancy.From(ctx)
	c, err := t.Store.Connections().Get(ctx, t.ID, body.ConnectionID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !c.Enabled) {
		return gen.IdentityLinkStart{}, httpx.NotFound("There is no enabled connection with that ID.")
	}
	if err != nil {
		return gen.IdentityLinkStart{}, err
	}
	if c.Type == federation.TypeLDAP {
		return gen.IdentityLinkStart{}, httpx.Validation("A directory is linked by signing in through it.",
			httpx.FieldError{Field: "/connection_id", Message: "is an ldap connection"})
	}
	ids, err := t.Store.Connections().Identities(ctx, t.ID, acct.token.UserID)
	if err != nil {
		return gen.IdentityLinkStart{}, err
	}
	for _, fi := range ids {
		if fi.ConnectionID == c.ID {
			return gen.IdentityLinkStart{}, httpx.Conflict("You have an identity at this connection already; unlink it first.")
		}
	}
	exp := a.now().Add(federation.LinkTicketTTL)
	ticket, err := federation.SealLinkTicket(a.svc.Keyring, t.ID, c.ID, acct.token.UserID, exp)
	if err != nil {
		return gen.IdentityLinkStart{}, err
	}
	u := t.Issuer + "/login/connections/" + url.PathEscape(c.ID) + "/link?ticket=" + url.QueryEscape(ticket)
	return gen.IdentityLinkStart{ConnectionID: c.ID, URL: u, ExpiresAt: exp.UTC()}, nil
}

func (a *Identities) unlinkMyIdentity(ctx context.Context, tenant, connectionID string) error {
	acct, err := me(ctx, tenant)
	if err != nil {
		return err
	}
	t := tenancy.From(ctx)
	userID := acct.token.UserID
	err = t.Store.InTx(ctx, func(tx store.Store) error {
		// The user's row is locked (and its version bumped: its identities
		// changed) while the ways to sign in are counted, so two unlinks
		// at once cannot each leave the other as the last one.
		_, err := tx.Users().Update(ctx, t.ID, userID, 0, func(*identity.User) error {
			ids, err := tx.Connections().Identities(ctx, t.ID, userID)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(ids, func(fi store.FederatedIdentity) bool { return fi.ConnectionID == connectionID }) {
				return store.ErrNotFound
			}
			_, err = tx.Passwords().Get(ctx, t.ID, userID)
			switch {
			case errors.Is(err, store.ErrNotFound):
				if len(ids) >= 2 {
					break
				}
				// A passkey signs in on its own (username-less), where the
				// tenant serves passkeys at all.
				if t.MFA.Mode != factor.ModeOff {
					fs, err := tx.MFA().ListFactors(ctx, t.ID, userID)
					if err != nil {
						return err
					}
					if slices.ContainsFunc(fs, mfa.IsPasskey) {
						break
					}
				}
				return errLastSignInMethod()
			case err != nil:
				return err
			}
			return tx.Connections().Unlink(ctx, t.ID, userID, connectionID)
		})
		return err
	})
	if err != nil {
		return err
	}
	a.recordUser(ctx, acct, EventIdentityUnlinked, map[string]any{"connection_id": connectionID, "by": "user"})
	return nil
}

func (a *Identities) ListMyIdentities(ctx context.Context, r gen.ListMyIdentitiesRequestObject) (gen.ListMyIdentitiesResponseObject, error) {
	out, err := a.listMyIdentities(ctx, "", r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListMyIdentities200JSONResponse(out), nil
}

func (a *Identities) LinkMyIdentity(ctx context.Context, r gen.LinkMyIdentityRequestObject) (gen.LinkMyIdentityResponseObject, error) {
	out, err := a.linkMyIdentity(ctx, "", r.Body)
	if err != nil {
		return nil, err
	}
	return gen.LinkMyIdentity200JSONResponse(out), nil
}

func (a *Identities) UnlinkMyIdentity(ctx context.Context, r gen.UnlinkMyIdentityRequestObject) (gen.UnlinkMyIdentityResponseObject, error) {
	if err := a.unlinkMyIdentity(ctx, "", r.ConnectionID); err != nil {
		return nil, err
	}
	return gen.UnlinkMyIdentity204Response{}, nil
}

func (a *Identities) ListTenantMyIdentities(ctx context.Context, r gen.ListTenantMyIdentitiesRequestObject) (gen.ListTenantMyIdentitiesResponseObject, error) {
	out, err := a.listMyIdentities(ctx, r.Tenant, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantMyIdentities200JSONResponse(out), nil
}

func (a *Identities) LinkTenantMyIdentity(ctx context.Context, r gen.LinkTenantMyIdentityRequestObject) (gen.LinkTenantMyIdentityResponseObject, error) {
	out, err := a.linkMyIdentity(ctx, r.Tenant, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.LinkTenantMyIdentity200JSONResponse(out), nil
}

func (a *Identities) UnlinkTenantMyIdentity(ctx context.Context, r gen.UnlinkTenantMyIdentityRequestObject) (gen.UnlinkTenantMyIdentityResponseObject, error) {
	if err := a.unlinkMyIdentity(ctx, r.Tenant, r.ConnectionID); err != nil {
		return nil, err
	}
	return gen.UnlinkTenantMyIdentity204Response{}, nil
}
