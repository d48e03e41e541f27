// Package loginflow is what the hosted login's pages (internal/login) and
// its JSON API (internal/loginapi) share of a sign-in over HTTP: the
// session cookie and the steps a session owes (session.go), authn's
// answers for a request (authn.go), the second factor it lacks and the
// step-up that pays it (mfa.go), the breached-password gate
// (password.go), registration, verification and recovery mails
// (accounts.go), rate limits (limits.go), events, the user's language,
// and what comes next for a request as the API answers it (next.go).
//
// It decides no sign-in itself: credentials, the risk engine, the steps a
// new session owes and the factors that pay them are internal/authn's.
// It renders nothing: the pages and the API turn its answers into HTML or
// JSON.
package loginflow

import (
	"log/slog"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/devicecookie"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
)

// Deps are the flow's collaborators; Provider, Sessions and Authn are
// required.
type Deps struct {
	Provider *oidc.Provider
	Sessions *sessions.Manager
	Log      *slog.Logger
	Now      func() time.Time
	// Accounts serves email verification and password recovery; nil
	// turns both off. Registration is the service registration uses, nil
	// when it is off app-wide (each tenant may still turn it off).
	Accounts     *accounts.Service
	Registration *accounts.Service
	// Limiter throttles sign-ins and the onboarding steps; nil means no
	// limits.
	Limiter ratelimit.Limiter
	// MFA serves second factors; nil turns them off.
	MFA *mfa.Service
	// Events records sign-ins, failures and challenges.
	Events events.Recorder
	// Authn decides sign-ins; Devices issues the device cookie its risk
	// engine reads.
	Authn   *authn.Service
	Devices *devicecookie.Cookies
	// Keyring opens federation connections' secrets (federation.go).
	Keyring *secret.Keyring
	// Connectors caches built connectors (federation.go); a cache of its
	// own when nil. The app shares one with the Admin API and the
	// cluster bus, which drop a connection's entry when it changes.
	Connectors *connectors.Cache
	// UpstreamBaseURLs replace the social presets' fixed addresses
	// (connectors.Options.BaseURLs): tests only.
	UpstreamBaseURLs map[string]string
}

// Flow is a sign-in's progress over HTTP, shared by the pages and the
// JSON API.
type Flow struct {
	p          *oidc.Provider
	sessions   *sessions.Manager
	log        *slog.Logger
	now        func() time.Time
	onboarding *accounts.Service
	verifier   *accounts.Service
	recovery   *accounts.Service
	limiter    ratelimit.Limiter
	mfa        *mfa.Service
	events     events.Recorder
	authn      *authn.Service
	devices    *devicecookie.Cookies
	keyring    *secret.Keyring
	connectors *connectors.Cache
	baseURLs   map[string]string
}

// New builds the flow.
func New(d Deps) *Flow {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Events == nil {
		d.Events = events.Nop{}
	}
	if d.Connectors == nil {
		d.Connectors = connectors.NewCache(0, nil)
	}
	return &Flow{p: d.Provider, sessions: d.Sessions, log: d.Log, now: d.Now,
		onboarding: d.Registration, verifier: d.Accounts, recovery: d.Accounts, limiter: d.Limiter,
		mfa: d.MFA, events: d.Events, authn: d.Authn, devices: d.Devices, keyring: d.Keyring,
		connectors: d.Connectors, baseURLs: d.UpstreamBaseURLs}
}

// ServesMFA says whether second factors are served (Deps.MFA).
func (h *Flow) ServesMFA() bool { return h.mfa != nil }

// The collaborators the flow was built with, for the JSON API's
// operations, which use them beside the flow.

// Provider answers the authorization requests.
func (h *Flow) Provider() *oidc.Provider { return h.p }

// Accounts serves verification and recovery (nil: both off).
func (h *Flow) Accounts() *accounts.Service { return h.verifier }

// MFA serves second factors (nil: off).
func (h *Flow) MFA() *mfa.Service { return h.mfa }

// Now is the clock.
func (h *Flow) Now() time.Time { return h.now() }
