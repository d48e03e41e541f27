package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Bridge clients let another protocol (the SAML IdP) send a browser
// through the hosted login like an OIDC client does, with the same
// session, second factors, risk challenges, password gate and acr step-up:
// it stores an authorization request for a client ID with the
// BridgePrefix and sends the browser to the login with it. The login
// finishes with a code at the request's redirect URI, which the bridge
// serves and redeems itself (RedeemBridgeCode); the token endpoint never
// knows these clients (they are not in the store), so the code is good
// for nothing else. Bridge clients are first party: no consent page.

// BridgePrefix starts the client ID of every bridge client.
const BridgePrefix = "bridge:"

// IsBridgeClient reports whether id names a bridge client.
func IsBridgeClient(id string) bool { return strings.HasPrefix(id, BridgePrefix) }

// BridgeClients finds a bridge client of a tenant by its client ID;
// store.ErrNotFound when there is none.
type BridgeClients interface {
	BridgeClient(ctx context.Context, t *tenancy.Tenant, clientID string) (*oauth.Client, error)
}

func (p *Provider) bridgeInteraction(ctx context.Context, t *tenancy.Tenant, ar *oauth.AuthRequest) (*Interaction, error) {
	if p.bridges == nil {
		return nil, ErrUnknownRequest
	}
	c, err := p.bridges.BridgeClient(ctx, t, ar.ClientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownRequest
	}
	if err != nil {
		return nil, err
	}
	if c.ID != ar.ClientID || len(c.RedirectURIs) != 1 || c.RedirectURIs[0] != ar.RedirectURI {
		return nil, ErrUnknownRequest
	}
	return &Interaction{Tenant: t, Request: ar, Client: c, FirstParty: true}, nil
}

// StartBridge stores an authorization request of the bridge client c
// (its one redirect URI) and returns its ID, for the login URL
// (LoginURL). prompt and acrValues are as for /authorize: "login" forces
// a fresh sign-in, "none" shows no page.
func (p *Provider) StartBridge(ctx context.Context, t *tenancy.Tenant, c *oauth.Client, state string, prompt, acrValues []string) (string, error) {
	if !IsBridgeClient(c.ID) || len(c.RedirectURIs) != 1 {
		return "", errors.New("provider: not a bridge client")
	}
	if err := ensureBridgeRow(ctx, t, c); err != nil {
		return "", err
	}
	now := p.now().UTC()
	ar := &oauth.AuthRequest{
		ID: secret.Token(24), TenantID: t.ID, ClientID: c.ID, RedirectURI: c.RedirectURIs[0], State: state,
		Scopes: []string{"openid"}, ResponseType: "code", Prompt: prompt, ACRValues: acrValues,
		CreatedAt: now, ExpiresAt: now.Add(p.cfg.AuthRequestLifetime),
	}
	if err := t.Store.AuthRequests().Create(ctx, ar); err != nil {
		return "", err
	}
	return ar.ID, nil
}

// LoginURL is the hosted login for the authorization request id.
func (p *Provider) LoginURL(t *tenancy.Tenant, id string) string {
	return t.Issuer + p.loginPath + "?authRequestID=" + id
}

// ErrBridgeCode: the code does not redeem the bridge request.
var ErrBridgeCode = errors.New("provider: invalid or used bridge code")

// RedeemBridgeCode redeems the code the login issued for the bridge
// request id (of client clientID) once, and returns the request with the
// sign-in recorded on it (user, session, auth time, amr, acr).
func (p *Provider) RedeemBridgeCode(ctx context.Context, t *tenancy.Tenant, clientID, id, code string) (*oauth.AuthRequest, error) {
	if id == "" || len(id) > 64 || code == "" || len(code) > 512 {
		return nil, ErrBridgeCode
	}
	hash := tokens.Hash(code)
	now := p.now().UTC()
	ar, err := t.Store.AuthRequests().Update(ctx, t.ID, id, func(a *oauth.AuthRequest) error {
		if a.ClientID != clientID || !a.Done || a.CodeHash == nil || a.CodeUsedAt != nil ||
			subtle.ConstantTimeCompare(a.CodeHash, hash) != 1 || !now.Before(a.ExpiresAt) {
			return ErrBridgeCode
		}
		a.CodeUsedAt = &now
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBridgeCode
	}
	if err != nil {
		return nil, err
	}
	_ = t.Store.AuthRequests().Delete(ctx, t.ID, id)
	return ar, nil
}

// ensureBridgeRow stores a row for the bridge client, which authorization
// requests reference (a foreign key). The row can do nothing at the
// engine's endpoints: no grant types, no response types, and
// private_key_jwt without keys, so no token request authenticates as it.
// The Admin API lists it; deleting it only makes the next sign-in store
// it again.
func ensureBridgeRow(ctx context.Context, t *tenancy.Tenant, c *oauth.Client) error {
	old, err := t.Store.Clients().Get(ctx, t.ID, c.ID)
	if err == nil {
		if len(old.RedirectURIs) == 1 && old.RedirectURIs[0] == c.RedirectURIs[0] {
			return nil
		}
		_, err = t.Store.Clients().Update(ctx, t.ID, c.ID, 0, func(o *oauth.Client) error {
			o.RedirectURIs = c.RedirectURIs
			return nil
		})
		return err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	row := &oauth.Client{TenantID: t.ID, ID: c.ID, ClientName: c.ClientName, RedirectURIs: c.RedirectURIs,
		GrantTypes: []string{}, ResponseTypes: []string{}, TokenEndpointAuthMethod: "private_key_jwt",
		ApplicationType: "web", Metadata: map[string]any{"first_party": true, "bridge": true}}
	if err := t.Store.Clients().Create(ctx, t.ID, row); err != nil && !errors.Is(err, store.ErrConflict) {
		return err
	}
	return nil
}
