package loginflow

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Federation's part of the sign-in flow, shared by the hosted pages
// (internal/login/federationpages) and the JSON API: the tenant's enabled
// connections, home-realm discovery by email domain, building a
// connection's connector, and checking a directory's password.

// TypeDirectoryUnavailable is the problem type of a sign-in whose
// directory (or upstream) cannot be reached.
const TypeDirectoryUnavailable = "urn:gatehouse:problem:directory-unavailable"

// ErrDirectoryUnavailable: the connection's directory or upstream cannot
// be reached ("sign-in with this directory is unavailable", 503).
var ErrDirectoryUnavailable = errors.New("login: sign-in with this directory is unavailable")

// ErrUnknownConnection: no enabled connection of the tenant has that ID.
var ErrUnknownConnection = errors.New("login: unknown connection")

// FederationProblem maps a federated sign-in's refusals to problems.
func FederationProblem(err error) error {
	var lr *authn.LinkRequiredError
	switch {
	case errors.Is(err, ErrDirectoryUnavailable):
		return httpx.NewProblem(http.StatusServiceUnavailable, TypeDirectoryUnavailable, "Directory unavailable",
			"Sign-in with this directory is unavailable. Try again later.")
	case errors.Is(err, authn.ErrNotLinked):
		return httpx.Forbidden("There is no account for this identity here.")
	case errors.Is(err, authn.ErrEmailInUse), errors.As(err, &lr):
		return httpx.Forbidden("An account with this email address exists: sign in to it on the hosted login page to link this identity.")
	}
	return Problem(err)
}

// EnabledConnections lists the tenant's enabled connections.
func EnabledConnections(ctx context.Context, t *tenancy.Tenant) ([]store.Connection, error) {
	var out []store.Connection
	p := store.Page{Limit: store.MaxLimit}
	for range 10 { // at most 2,000 connections are looked at
		items, next, err := t.Store.Connections().List(ctx, t.ID, p)
		if err != nil {
			return nil, err
		}
		for _, c := range items {
			if c.Enabled {
				out = append(out, c)
			}
		}
		if next == "" {
			break
		}
		p.After = next
	}
	return out, nil
}

// HomeRealm returns the enabled connection whose domains hold the email
// domain of identifier, nil when none does.
func HomeRealm(ctx context.Context, t *tenancy.Tenant, identifier string) (*store.Connection, error) {
	identifier = strings.TrimSpace(identifier)
	at := strings.LastIndexByte(identifier, '@')
	if at < 0 || at == len(identifier)-1 || len(identifier) > authn.MaxIdentifierLen {
		return nil, nil
	}
	domain := identifier[at+1:]
	cs, err := EnabledConnections(ctx, t)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		for _, d := range cs[i].Domains {
			if strings.EqualFold(d, domain) {
				return &cs[i], nil
			}
		}
	}
	return nil, nil
}

// Connection returns the tenant's enabled connection id and its
// connector: ErrUnknownConnection when there is none, and
// ErrDirectoryUnavailable (wrapping the cause) when its settings no
// longer build a connector.
func (h *Flow) Connection(ctx context.Context, t *tenancy.Tenant, id string) (*store.Connection, federation.Connector, error) {
	c, err := h.storedConnection(ctx, t, id)
	if err != nil {
		return nil, nil, err
	}
	if !c.Enabled {
		return nil, nil, ErrUnknownConnection
	}
	conn, err := h.build(t, c)
	if err != nil {
		return nil, nil, err
	}
	return c, conn, nil
}

func (h *Flow) storedConnection(ctx context.Context, t *tenancy.Tenant, id string) (*store.Connection, error) {
	if id == "" || len(id) > 64 {
		return nil, ErrUnknownConnection
	}
	c, err := t.Store.Connections().Get(ctx, t.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownConnection
	}
	return c, err
}

func (h *Flow) build(t *tenancy.Tenant, c *store.Connection) (federation.Connector, error) {
	conn, err := h.connectors.Get(c, connectors.Options{Keyring: h.keyring, Issuer: t.Issuer, Now: h.now,
		Assertions: t.Store.Connections(), BaseURLs: h.baseURLs})
	if err != nil {
		return nil, errors.Join(ErrDirectoryUnavailable, err)
	}
	return conn, nil
}

// OpenLinkTicket opens the link ticket of the tenant's connection id
// (federation.SealLinkTicket): federation.ErrLinkTicket when it does not
// open or expired.
func (h *Flow) OpenLinkTicket(t *tenancy.Tenant, id, ticket string) (*federation.LinkTicket, error) {
	return federation.OpenLinkTicket(h.keyring, t.ID, id, ticket, h.now())
}

// SAMLSPMetadata is the SP metadata of the tenant's saml connection id,
// enabled or not (an IdP is told about it before it is switched on):
// ErrUnknownConnection for no saml connection of that ID.
func (h *Flow) SAMLSPMetadata(ctx context.Context, t *tenancy.Tenant, id string) ([]byte, error) {
	c, err := h.storedConnection(ctx, t, id)
	if err != nil {
		return nil, err
	}
	if c.Type != federation.TypeSAML {
		return nil, ErrUnknownConnection
	}
	conn, err := h.build(t, c)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(interface{ Metadata() ([]byte, error) })
	if !ok {
		return nil, ErrUnknownConnection
	}
	return sc.Metadata()
}

// CheckDirectory checks identifier and password against the directory
// of connection c: authn.ErrBadCredentials for a wrong (or empty)
// password or an unknown user (an empty password never reaches the
// directory), ErrDirectoryUnavailable when it cannot be reached.
func (h *Flow) CheckDirectory(ctx context.Context, t *tenancy.Tenant, c *store.Connection, identifier, pw string) (federation.Identity, error) {
	identifier = strings.TrimSpace(identifier)
	if pw == "" || identifier == "" || len(identifier) > authn.MaxIdentifierLen || len(pw) > 1024 {
		return federation.Identity{}, authn.ErrBadCredentials
	}
	_, conn, err := h.Connection(ctx, t, c.ID)
	if err != nil {
		return federation.Identity{}, err
	}
	pc, ok := conn.(federation.PasswordConnector)
	if !ok {
		return federation.Identity{}, ErrUnknownConnection
	}
	fid, ok, err := pc.Login(ctx, identifier, pw)
	if err != nil {
		return federation.Identity{}, errors.Join(ErrDirectoryUnavailable, err)
	}
	if !ok {
		return federation.Identity{}, authn.ErrBadCredentials
	}
	return fid, nil
}

// AuthenticateFederated decides a verified upstream identity (authn),
// as CheckPassword does a password.
func (h *Flow) AuthenticateFederated(r *http.Request, t *tenancy.Tenant, clientID string, f authn.Federated) (*http.Request, *identity.User, error) {
	res, err := h.authn.Authenticate(r.Context(), h.AuthnRequest(nil, r, t, clientID), f)
	return Accepted(r, res, err)
}
