package loginflow

import (
	"errors"
	"net/http"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Sessions and what they owe. A sign-in starts its session at once (the
// cookie is how the browser comes back for the next step), but a sign-in
// that still owes a step — the second factor the tenant's policy asks, the
// risk engine's challenge, a password change — starts a session that is
// not signed in (oauth.Session.Pending). sessions.Manager.Find does not
// return such a session, so nothing but the login's own step pages
// (PendingAccount: the second-factor page and its JSON API, the
// enrolment and password pages) ever takes it for a signed-in user: not
// the account API, not single sign-on or prompt=none, not consent, not
// device approval. Passing a step pays it in the same atomic update that
// records it (sessions.Manager.StepUp, Pay).

// SignedInFor loads the authorization request authRequestID names and
// the session that is signing in for it (to add a factor); without one
// the call is refused.
func (h *Flow) SignedInFor(r *http.Request, t *tenancy.Tenant, authRequestID string) (*oidc.Interaction, *Account, error) {
	in, err := h.p.Interaction(r.Context(), t, authRequestID)
	if err != nil {
		return nil, nil, err
	}
	acct, err := h.PendingAccount(r, t)
	if err != nil {
		return nil, nil, err
	}
	if acct == nil || !h.Satisfies(in, acct.Session) {
		return nil, nil, ErrNoSession
	}
	return in, acct, nil
}

// OnlyOwes reports whether s owes nothing but (some of) steps.
func OnlyOwes(s *oauth.Session, steps ...oauth.Step) bool {
	for _, st := range s.Pending {
		if !slices.Contains(steps, st) {
			return false
		}
	}
	return true
}

// CurrentAccount returns the request's signed-in session for the tenant,
// or nil. A session whose user was disabled, locked or deleted since
// counts as none, and so does one that still owes a step.
func (h *Flow) CurrentAccount(r *http.Request, t *tenancy.Tenant) (*Account, error) {
	s, err := h.sessions.Find(r.Context(), r, h.p.SessionScope(t))
	return h.accountOf(r, t, s, err)
}

// PendingAccount is currentAccount that also returns a session that still
// owes steps: for the pages where those steps are paid, and only them.
func (h *Flow) PendingAccount(r *http.Request, t *tenancy.Tenant) (*Account, error) {
	s, err := h.sessions.FindPending(r.Context(), r, h.p.SessionScope(t))
	return h.accountOf(r, t, s, err)
}

// Unfinished returns the request's session when its sign-in still owes
// steps, and nil otherwise: to tell the user what is missing, never to
// act for them.
func (h *Flow) Unfinished(r *http.Request, t *tenancy.Tenant) (*Account, error) {
	acct, err := h.PendingAccount(r, t)
	if acct == nil || err != nil || acct.Session.SignedIn() {
		return nil, err
	}
	return acct, nil
}

func (h *Flow) accountOf(r *http.Request, t *tenancy.Tenant, s *oauth.Session, err error) (*Account, error) {
	if errors.Is(err, sessions.ErrNoSession) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u, err := t.Store.Users().Get(r.Context(), t.ID, s.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled || u.Locked(h.now()) {
		return nil, nil
	}
	return &Account{Session: s, User: u}, nil
}

// StartSession signs the user in with a password for clientID ("" when
// no client is known yet). A previous session of another user in this
// browser is ended with its tokens; one of the same user (a forced
// re-authentication) is replaced, leaving the tokens issued under it.
func (h *Flow) StartSession(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, u *identity.User, clientID string) (*oauth.Session, error) {
	return h.StartSessionWith(w, r, t, u, clientID, []string{factor.AMRPassword})
}

// StartSessionWith is startSession for a sign-in with the methods amr
// (a passkey sign-in has no password). The session owes what the sign-in
// still owes (authn.Service.Start).
func (h *Flow) StartSessionWith(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, u *identity.User, clientID string, amr []string) (*oauth.Session, error) {
	ctx := r.Context()
	st, err := h.authn.Start(ctx, h.AuthnRequest(nil, r, t, clientID), u, authn.VerdictOf(ctx), amr)
	if err != nil {
		return nil, err
	}
	sc := h.p.SessionScope(t)
	if old, err := h.sessions.FindPending(ctx, r, sc); err == nil {
		if old.UserID != u.ID {
			if err := h.p.EndSessionRecord(ctx, t, old); err != nil {
				h.log.WarnContext(ctx, "login: ending the previous user's session failed", "err", err)
			}
		} else if err := t.Store.Sessions().Revoke(ctx, t.ID, old.ID, h.now().UTC()); err != nil && !errors.Is(err, store.ErrNotFound) {
			h.log.WarnContext(ctx, "login: revoking the replaced session failed", "err", err)
		}
	}
	return h.sessions.Create(ctx, w, r, sc, st)
}

// Satisfies reports whether the session may answer the request: it is the
// user id_token_hint named (if any), and either it meets prompt=login and
// max_age, or its sign-in happened after the request started (the user
// just signed in for it, so the pages that follow the form, like consent,
// do not ask again).
func (h *Flow) Satisfies(in *oidc.Interaction, s *oauth.Session) bool {
	if in.Request.UserID != "" && in.Request.UserID != s.UserID {
		return false
	}
	return !in.NeedsLogin(s, h.now()) || !s.AuthTime.Before(in.Request.CreatedAt)
}

// Account is the browser's current session and its user, who is enabled.
type Account struct {
	Session *oauth.Session
	User    *identity.User
}
