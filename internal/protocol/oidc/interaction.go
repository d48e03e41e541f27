package oidc

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oauthhttp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// This file is the provider's side of user interaction: what the hosted
// login (and its headless JSON API) needs to look at an authorization
// request, finish it, or refuse it.

// Interaction is a pending authorization request with its client.
type Interaction struct {
	Tenant  *tenancy.Tenant
	Request *oauth.AuthRequest
	Client  *oauth.Client
	// FirstParty clients skip consent.
	FirstParty bool
	// OrganizationUsage is the client's organization_usage setting ("" is
	// none); Org is the organization the request is scoped to, nil for
	// none (organization.go).
	OrganizationUsage string
	Org               *store.Organization
}

// ErrUnknownRequest: no pending authorization request with that ID.
var ErrUnknownRequest = errors.New("provider: unknown or expired authorization request")

// Interaction loads a pending authorization request.
func (p *Provider) Interaction(ctx context.Context, t *tenancy.Tenant, id string) (*Interaction, error) {
	if id == "" || len(id) > 64 {
		return nil, ErrUnknownRequest
	}
	ar, err := t.Store.AuthRequests().Get(ctx, t.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownRequest
	}
	if err != nil {
		return nil, err
	}
	if ar.CodeHash != nil || !p.now().Before(ar.ExpiresAt) {
		return nil, ErrUnknownRequest
	}
	if IsBridgeClient(ar.ClientID) {
		return p.bridgeInteraction(ctx, t, ar)
	}
	c, err := p.clients.get(ctx, t, ar.ClientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownRequest
	}
	if err != nil {
		return nil, err
	}
	in := &Interaction{Tenant: t, Request: ar, Client: c.c, FirstParty: c.settings.FirstParty, OrganizationUsage: c.settings.OrganizationUsage}
	if err := in.loadOrg(ctx); err != nil { // organization.go
		return nil, err
	}
	return in, nil
}

// NeedsLogin reports whether the session (nil for none) cannot satisfy
// the request without a fresh sign-in: prompt=login, max_age exceeded, or
// a different user than id_token_hint named.
func (in *Interaction) NeedsLogin(s *oauth.Session, now time.Time) bool {
	if s == nil {
		return true
	}
	// A sign-in made after the request started satisfies prompt=login and
	// max_age (the engine turns prompt=login into max_age=0).
	fresh := !s.AuthTime.Before(in.Request.CreatedAt)
	if slices.Contains(in.Request.Prompt, "login") && !fresh {
		return true
	}
	if in.Request.MaxAge != nil && now.Sub(s.AuthTime) > *in.Request.MaxAge && !fresh {
		return true
	}
	return in.Request.UserID != "" && in.Request.UserID != s.UserID
}

// Prompt reports whether the request carries the prompt value.
func (in *Interaction) Prompt(v string) bool { return slices.Contains(in.Request.Prompt, v) }

// NeedsConsent reports whether the user must (still) consent to the
// requested scopes for this client.
func (p *Provider) NeedsConsent(ctx context.Context, in *Interaction, userID string) (bool, error) {
	if in.FirstParty && !in.Prompt("consent") {
		return false, nil
	}
	if in.Prompt("consent") {
		return true, nil
	}
	c, err := in.Tenant.Store.Consents().Get(ctx, in.Tenant.ID, userID, in.Client.ID)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return !c.Covers(in.Request.Scopes) || !c.CoversDetails(detailCanonicals(in.Request.AuthorizationDetails)), nil
}

// GrantConsent remembers the user's consent to the requested scopes
// (merged with what was granted before).
func (p *Provider) GrantConsent(ctx context.Context, in *Interaction, userID string) error {
	now := p.now().UTC()
	c := &oauth.Consent{TenantID: in.Tenant.ID, UserID: userID, ClientID: in.Client.ID, Scopes: in.Request.Scopes,
		AuthorizationDetails: detailCanonicals(in.Request.AuthorizationDetails), CreatedAt: now, UpdatedAt: now}
	if old, err := in.Tenant.Store.Consents().Get(ctx, in.Tenant.ID, userID, in.Client.ID); err == nil {
		c.CreatedAt = old.CreatedAt
		for _, s := range old.Scopes {
			if !slices.Contains(c.Scopes, s) {
				c.Scopes = append(c.Scopes, s)
			}
		}
		c.AuthorizationDetails = mergeDetails(old.AuthorizationDetails, c.AuthorizationDetails) // rar.go
	}
	return in.Tenant.Store.Consents().Upsert(ctx, c)
}

// Complete finishes the request for the session's user and answers the
// browser with the client's redirect (code and state), or with the
// form_post page.
func (p *Provider) Complete(ctx context.Context, w http.ResponseWriter, r *http.Request, in *Interaction, s *oauth.Session) error {
	ar, resp, err := p.issueCode(ctx, in, s)
	if err != nil {
		return err
	}
	if oidc.ResponseMode(ar.ResponseMode) == oidc.ResponseModeFormPost {
		return oauthhttp.WriteFormPost(w, ar.RedirectURI, resp, p.authorizer(in.Tenant).Encoder())
	}
	to, err := p.codeURL(in.Tenant, ar, resp)
	if err != nil {
		return err
	}
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}

// CompleteURL finishes the request like Complete but returns the redirect
// URL instead of writing it (for the headless JSON API).
func (p *Provider) CompleteURL(ctx context.Context, in *Interaction, s *oauth.Session) (string, error) {
	ar, resp, err := p.issueCode(ctx, in, s)
	if err != nil {
		return "", err
	}
	return p.codeURL(in.Tenant, ar, resp)
}

// issueCode records the session's sign-in on the request and issues its
// code in one update: the code's digest is stored with the sign-in, and
// the request then lives as long as a code does. A request that already
// has a code gets no second one (ErrUnknownRequest).
func (p *Provider) issueCode(ctx context.Context, in *Interaction, s *oauth.Session) (*oauth.AuthRequest, *op.CodeResponseType, error) {
	orgID, err := p.organizationFor(ctx, in, s.UserID) // organization.go
	if err != nil {
		return nil, nil, err
	}
	code, err := op.BuildAuthRequestCode(authRequest{in.Request}, p.codeCrypto)
	if err != nil {
		return nil, nil, err
	}
	ar, err := in.Tenant.Store.AuthRequests().Update(ctx, in.Tenant.ID, in.Request.ID, func(a *oauth.AuthRequest) error {
		if a.CodeHash != nil {
			return ErrUnknownRequest
		}
		if a.OrgID != in.Request.OrgID {
			return ErrUnknownRequest // chosen concurrently: start again
		}
		a.OrgID = orgID
		a.UserID, a.SessionID, a.AuthTime, a.AMR, a.ACR, a.Done = s.UserID, s.ID, s.AuthTime, s.AMR, s.ACR, true
		a.CodeHash = tokens.Hash(code)
		a.ExpiresAt = p.now().UTC().Add(p.codeLifetime(in.Client)) // fapi.go
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return ar, &op.CodeResponseType{Code: code, State: ar.State}, nil
}

// codeURL is the client's redirect URI with the code response, in the
// request's response mode, with the tenant's issuer (RFC 9207).
func (p *Provider) codeURL(t *tenancy.Tenant, ar *oauth.AuthRequest, resp *op.CodeResponseType) (string, error) {
	return op.AuthResponseURL(ar.RedirectURI, oidc.ResponseType(ar.ResponseType), oidc.ResponseMode(ar.ResponseMode), resp, p.authorizer(t).Encoder())
}

// Refusal codes for Fail.
const (
	RefuseLoginRequired   = "login_required"
	RefuseConsentRequired = "consent_required"
	RefuseAccessDenied    = "access_denied"
	RefuseAccountSelect   = "account_selection_required"
	RefuseInteraction     = "interaction_required"
)

func refusal(code string) *oidc.Error {
	switch code {
	case RefuseLoginRequired:
		return oidc.ErrLoginRequired()
	case RefuseAccessDenied:
		return oidc.ErrAccessDenied().WithDescription("the user denied the request")
	case RefuseInteraction:
		return oidc.ErrInteractionRequired().WithDescription("the user must choose an organization")
	default:
		return protoErr(code, "user interaction is required")
	}
}

// Fail answers the request with an error at the client's (registered,
// already validated) redirect URI, and forgets the request.
func (p *Provider) Fail(ctx context.Context, w http.ResponseWriter, r *http.Request, in *Interaction, code string) {
	_ = in.Tenant.Store.AuthRequests().Delete(ctx, in.Tenant.ID, in.Request.ID)
	op.AuthRequestError(w, r.WithContext(WithTenant(r.Context(), in.Tenant)), authRequest{in.Request}, refusal(code), p.authorizer(in.Tenant))
}

// FailURL is Fail for the headless API: it returns the redirect URL.
func (p *Provider) FailURL(ctx context.Context, in *Interaction, code string) (string, error) {
	_ = in.Tenant.Store.AuthRequests().Delete(ctx, in.Tenant.ID, in.Request.ID)
	e := refusal(code)
	e.State = in.Request.State
	return op.AuthResponseURL(in.Request.RedirectURI, oidc.ResponseType(in.Request.ResponseType),
		oidc.ResponseMode(in.Request.ResponseMode), e, p.authorizer(in.Tenant).Encoder())
}

// DeviceRequest is a pending device authorization found by user code.
type DeviceRequest struct {
	Auth   *oauth.DeviceAuthorization
	Client *oauth.Client
}

// Device finds a pending, unexpired device authorization by user code.
func (p *Provider) Device(ctx context.Context, t *tenancy.Tenant, userCode string) (*DeviceRequest, error) {
	d, err := t.Store.DeviceAuthorizations().GetByUserCode(ctx, t.ID, NormalizeUserCode(userCode))
	if err != nil || d.State != oauth.DevicePending || !p.now().Before(d.ExpiresAt) {
		return nil, ErrUnknownRequest
	}
	c, err := p.clients.get(ctx, t, d.ClientID)
	if err != nil {
		return nil, ErrUnknownRequest
	}
	return &DeviceRequest{Auth: d, Client: c.c}, nil
}

// DecideDevice approves (for the session's user) or denies a device request.
func (p *Provider) DecideDevice(ctx context.Context, t *tenancy.Tenant, userCode string, s *oauth.Session, approve bool) error {
	now := p.now()
	_, err := t.Store.DeviceAuthorizations().Update(ctx, t.ID, NormalizeUserCode(userCode), func(d *oauth.DeviceAuthorization) error {
		if d.State != oauth.DevicePending || !now.Before(d.ExpiresAt) {
			return ErrUnknownRequest
		}
		if !approve {
			d.State = oauth.DeviceDenied
			return nil
		}
		d.State, d.UserID, d.AuthTime, d.AMR = oauth.DeviceApproved, s.UserID, s.AuthTime, s.AMR
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return ErrUnknownRequest
	}
	return err
}

// Now is the provider's clock.
func (p *Provider) Now() time.Time { return p.now() }
