// Package adminapi serves the Admin API v1 (/admin/v1, the operations the
// contract secures with bearerAuth: Admin API keys and the bootstrap
// token) exactly as api/openapi.yaml describes it: routes come from the
// generated server, the contract gate (internal/restapi) checks every
// request before a handler runs, and handlers translate between wire
// types and the directory service. Each resource has its own small
// handler type; API embeds them all to meet the generated interface.
// The authorization resources (APIs, roles) are in authzapi, the
// federation ones (connections, SAML service providers) in fedapi and the
// privacy ones (purposes, the consent ledger) in privacyapi.
package adminapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/authzapi"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/fedapi"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/privacyapi"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/analytics"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Deps are what the API needs.
type Deps struct {
	Directory *directory.Service
	Auth      *directory.Authenticator
	Log       *slog.Logger
	// Provider drops cached tenants and clients after a change.
	Provider *oidc.Provider
	// Tokens revokes sessions and tokens; it must be the provider's, so
	// that this node's revocation cache applies them at once.
	Tokens *tokens.Service
	// SigningKeys lists and rotates the tenants' token-signing keys.
	SigningKeys *keys.Manager
	// Sessions knows the idle timeout that ends an unused session.
	Sessions *sessions.Manager
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Accounts sends invitations; nil makes those operations fail with
	// 500.
	Accounts *accounts.Service
	// Events records admin actions in the audit log; nil records nothing.
	Events events.Recorder
	// Risk reads the live failure counters and locks for the risk
	// summary; nil reports none.
	Risk *risk.Engine
	// MFA manages users' second factors; nil makes the MFA operations
	// fail with 500.
	MFA *mfa.Service
	// MailTemplates are the embedded mail templates, which tenants'
	// overrides are checked against; loaded once by the caller (the
	// parsed set is large), required.
	MailTemplates *mail.Templates
	// Privacy is the consent ledger, required.
	Privacy *privacy.Service
	// Connectors is the hosted login's cache of built federation
	// connectors: a changed or deleted connection is dropped from it.
	// nil drops nothing.
	Connectors *connectors.Cache
	// Analytics answers the analytics operations; nil makes them fail
	// with 500.
	Analytics *analytics.Service
}

// base is what every resource's handler shares.
type base struct {
	svc       *directory.Service
	log       *slog.Logger
	provider  *oidc.Provider
	tokens    *tokens.Service
	keys      *keys.Manager
	sessions  *sessions.Manager
	now       func() time.Time
	accounts  *accounts.Service
	events    events.Recorder
	risk      *risk.Engine
	mfa       *mfa.Service
	privacy   *privacy.Service
	analytics *analytics.Service
	// mailTemplates checks tenants' template overrides (mailtemplates.go).
	mailTemplates *mail.Templates
}

// The handlers of the Admin API's resources.
type (
	Tenants       struct{ *base }
	Users         struct{ *base }
	Clients       struct{ *base }
	APIKeys       struct{ *base }
	Sessions      struct{ *base }
	Tokens        struct{ *base }
	Consents      struct{ *base }
	Events        struct{ *base }
	Webhooks      struct{ *base }
	Invitations   struct{ *base }
	MailTemplates struct{ *base }
	Risk          struct{ *base }
	MFA           struct{ *base }
	SigningKeys   struct{ *base }
	Analytics     struct{ *base }
	// InitialAccessTokens is in dcr.go.
	// APIs, roles, organizations, connections and SAML service providers live in
	// authzapi and fedapi, sharing a resource.Base.
)

// API implements the Admin API's part of gen.StrictServerInterface; the
// other audiences' operations are restapi.Unserved, which the gate never
// lets a request reach.
type API struct {
	*Tenants
	*Users
	*Clients
	*APIKeys
	*Sessions
	*Tokens
	*Consents
	*Events
	*Webhooks
	*Invitations
	*MailTemplates
	*Risk
	*MFA
	*SigningKeys
	*Analytics
	*InitialAccessTokens
	*authzapi.APIs
	*authzapi.Roles
	*authzapi.Organizations
	*fedapi.Connections
	*fedapi.SAMLServiceProviders
	*privacyapi.Privacy
	restapi.Unserved

	b    *base
	gate *restapi.Gate
	// local is the gate of InProcessHandler.
	local *restapi.Gate
	idem  *idempotency
}

var _ gen.StrictServerInterface = (*API)(nil)

// New builds the API.
func New(d Deps) (*API, error) {
	if d.Provider == nil || d.Tokens == nil || d.SigningKeys == nil || d.Sessions == nil || d.Directory == nil || d.Directory.Keyring == nil || d.MailTemplates == nil || d.Privacy == nil {
		return nil, errors.New("adminapi: Provider, Tokens, SigningKeys, Sessions, MailTemplates, Privacy and Directory with its Keyring are required")
	}
	auth := &authenticator{auth: d.Auth}
	gate, err := restapi.NewGate(restapi.AdminScheme, auth.authenticate)
	if err != nil {
		return nil, err
	}
	local, err := restapi.NewGate(restapi.AdminScheme, inProcess)
	if err != nil {
		return nil, err
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	b := &base{
		svc:           d.Directory,
		log:           d.Log,
		provider:      d.Provider,
		tokens:        d.Tokens,
		keys:          d.SigningKeys,
		sessions:      d.Sessions,
		now:           d.Now,
		accounts:      d.Accounts,
		events:        d.Events,
		risk:          d.Risk,
		mfa:           d.MFA,
		mailTemplates: d.MailTemplates,
		privacy:       d.Privacy,
		analytics:     d.Analytics,
	}
	rb := &resource.Base{Svc: d.Directory, Provider: d.Provider, Record: b.recordAdmin, Connectors: d.Connectors}
	ctl := d.Directory.Stores.Control()
	return &API{
		Tenants: &Tenants{b}, Users: &Users{b}, Clients: &Clients{b}, APIKeys: &APIKeys{b},
		Sessions: &Sessions{b}, Tokens: &Tokens{b}, Consents: &Consents{b}, Events: &Events{b},
		Webhooks: &Webhooks{b}, Invitations: &Invitations{b}, MailTemplates: &MailTemplates{b},
		Risk: &Risk{b}, MFA: &MFA{b}, SigningKeys: &SigningKeys{b}, Analytics: &Analytics{b}, InitialAccessTokens: &InitialAccessTokens{b},
		APIs: &authzapi.APIs{Base: rb}, Roles: &authzapi.Roles{Base: rb}, Organizations: &authzapi.Organizations{Base: rb, Accounts: d.Accounts},
		Connections: &fedapi.Connections{Base: rb}, SAMLServiceProviders: &fedapi.SAMLServiceProviders{Base: rb},
		Privacy: &privacyapi.Privacy{Base: rb, Svc: d.Privacy, Actor: actor},
		b:       b,
		gate:    gate,
		local:   local,
		idem:    &idempotency{repo: ctl.Idempotency, now: time.Now, keys: d.Directory.Keyring},
	}, nil
}

// Handler serves the Admin API's operations behind the contract gate,
// Idempotency-Key handling and the resolution of the path's tenant
// (tenant.go).
func (a *API) Handler() http.Handler {
	return a.gate.Middleware(a.idem.middleware(a.b.tenantMiddleware(restapi.Mux(a, nil))))
}

// InProcessHandler serves the same operations, behind the same contract
// gate, idempotency and tenant checks, to callers in this process that
// put a principal in the request's context (WithPrincipal): the admin
// console, which holds its signed-in admin's principal server-side, so
// that no admin token reaches a browser. It must never be mounted on a
// listener.
func (a *API) InProcessHandler() http.Handler {
	return a.local.Middleware(a.idem.middleware(a.b.tenantMiddleware(restapi.Mux(a, nil))))
}

// RunJanitor expires old idempotency records until ctx ends.
func (a *API) RunJanitor(ctx context.Context) { a.idem.expire(ctx, a.b.log) }
