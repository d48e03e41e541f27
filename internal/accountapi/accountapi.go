// Package accountapi serves the self-service account API (/v1/me… and
// /t/{tenant}/v1/me…, the operations the contract secures with
// accountAuth): the signed-in user reads and changes their own profile,
// email, password, second factors, sessions and consents, with an access
// token Gatehouse issued them or the hosted login's session cookie
// (account_auth.go). Routes come from the generated server and the
// contract gate (internal/restapi) checks every request before a handler
// runs. Each resource has its own small handler type; API embeds them all
// to meet the generated interface.
package accountapi

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Deps are what the API needs.
type Deps struct {
	Directory *directory.Service
	Log       *slog.Logger
	// Provider resolves tenants and knows where their session cookies
	// live.
	Provider *oidc.Provider
	// Tokens verifies access tokens and revokes sessions and consents; it
	// must be the provider's, so that this node's revocation cache
	// applies them at once.
	Tokens *tokens.Service
	// Sessions finds the hosted session behind a cookie and knows the
	// idle timeout that ends an unused session.
	Sessions *sessions.Manager
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Accounts sends email-change codes; nil makes those operations fail
	// with 500.
	Accounts *accounts.Service
	// Events records the users' actions in the audit log; nil records
	// nothing.
	Events events.Recorder
	// MFA manages users' second factors; nil makes the MFA operations
	// fail with 500.
	MFA *mfa.Service
	// Privacy is the consent ledger; nil makes the privacy operations
	// fail with 500.
	Privacy *privacy.Service
}

// base is what every resource's handler shares.
type base struct {
	svc      *directory.Service
	log      *slog.Logger
	provider *oidc.Provider
	tokens   *tokens.Service
	sessions *sessions.Manager
	now      func() time.Time
	accounts *accounts.Service
	events   events.Recorder
	mfa      *mfa.Service
	privacy  *privacy.Service
}

// The handlers of the account API's resources.
type (
	Profile  struct{ *base }
	Email    struct{ *base }
	Factors  struct{ *base }
	Sessions struct{ *base }
	Consents struct{ *base }
	Privacy  struct{ *base }
	// Identities are the user's federated identities (identities.go).
	Identities struct{ *base }
)

// API implements the account API's part of gen.StrictServerInterface;
// the other audiences' operations are restapi.Unserved, which the gate
// never lets a request reach.
type API struct {
	*Profile
	*Email
	*Factors
	*Sessions
	*Consents
	*Privacy
	*Organizations
	*Identities
	restapi.Unserved

	gate *restapi.Gate
}

var _ gen.StrictServerInterface = (*API)(nil)

// New builds the API.
func New(d Deps) (*API, error) {
	if d.Provider == nil || d.Tokens == nil || d.Sessions == nil || d.Directory == nil {
		return nil, errors.New("accountapi: Provider, Tokens, Sessions and Directory are required")
	}
	auth := &authenticator{provider: d.Provider, tokens: d.Tokens, sessions: d.Sessions, mfa: d.MFA}
	gate, err := restapi.NewGate(restapi.AccountScheme, auth.authenticate)
	if err != nil {
		return nil, err
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	b := &base{svc: d.Directory, log: d.Log, provider: d.Provider, tokens: d.Tokens, sessions: d.Sessions, now: d.Now,
		accounts: d.Accounts, events: d.Events, mfa: d.MFA, privacy: d.Privacy}
	return &API{Profile: &Profile{b}, Email: &Email{b}, Factors: &Factors{b}, Sessions: &Sessions{b}, Consents: &Consents{b},
		Privacy:       &Privacy{b},
		Organizations: &Organizations{b},
		Identities:    &Identities{b},
		gate:          gate}, nil
}

// Handler serves the account API's operations behind the contract gate.
func (a *API) Handler() http.Handler {
	return a.gate.Middleware(restapi.Mux(a, nil))
}

// Unconfigured optional services fail their operations with 500.
var (
	errNoOnboarding = errors.New("accountapi: no accounts service configured (Deps.Accounts)")
	errNoMFA        = errors.New("accountapi: no MFA service configured (Deps.MFA)")
	errNoPrivacy    = errors.New("accountapi: no privacy service configured (Deps.Privacy)")
)
