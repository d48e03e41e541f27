// Package authn decides sign-ins, without HTTP. It verifies credentials
// (a password today, a passkey the mfa service verified; federated
// connectors add a Credential), assesses every attempt with the risk
// engine before the credential is checked and observes it afterwards,
// decides what a new session still owes (the second factor the tenant's
// policy or the request asks, the risk engine's challenge, a password
// change), says which steps a verified factor pays, and guards refresh
// tokens against a session that moved somewhere it could not have.
//
// The transports call it: the hosted pages and the JSON login API
// (internal/login), the device page, and later SAML and federation. They
// decode the request into a Request, call the service, and render or
// encode its answer; cookies (the session, the device ID, "remember this
// device") stay with them. The protocol package reaches it only through
// the RefreshGuard interface it declares (oidc.Deps.RefreshGuard).
//
// A sign-in that owes a step starts a session that is not signed in
// (oauth.Session.Pending): Start lists the steps, the transport creates
// the session with them, and nothing but the pages that pay those steps
// ever takes such a session for a signed-in user.
package authn

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/risk"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Deps are the service's collaborators. Directory is required; a nil MFA
// turns second factors off (a password is then all a sign-in takes), a
// nil Risk turns risk-based sign-in off, a nil Accounts turns the
// password-change step and the new-device notice off.
type Deps struct {
	Directory *directory.Service
	MFA       *mfa.Service
	Risk      *risk.Engine
	Accounts  *accounts.Service
	// Events records sign-ins, failures and locks; nil means events.Nop.
	Events events.Recorder
	Log    *slog.Logger
	Now    func() time.Time
}

// Service decides sign-ins for every tenant.
type Service struct {
	dir      *directory.Service
	mfa      *mfa.Service
	risk     *risk.Engine
	accounts *accounts.Service
	events   events.Recorder
	log      *slog.Logger
	now      func() time.Time
	// endSession ends a session the refresh guard revokes, as every
	// other session end does (OnSessionRevoked); nil revokes it in the
	// store alone.
	endSession func(ctx context.Context, t *tenancy.Tenant, s *oauth.Session) error
}

// OnSessionRevoked sets how a session the refresh guard revokes ends: the
// token service's EndSession, which also revokes its tokens and tells
// the clients' logout channels (back-channel logout) and the SAML service
// providers. Set it before the service is used.
func (s *Service) OnSessionRevoked(f func(ctx context.Context, t *tenancy.Tenant, s *oauth.Session) error) {
	s.endSession = f
}

// New builds the service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Events == nil {
		d.Events = events.Nop{}
	}
	return &Service{dir: d.Directory, mfa: d.MFA, risk: d.Risk, accounts: d.Accounts, events: d.Events, log: d.Log, now: d.Now}
}

// Request is who signs in, from where, to what: the transport fills it
// from its request.
type Request struct {
	Tenant *tenancy.Tenant
	// ClientID is the OAuth client the sign-in is for, "" when none is
	// known yet (the device page before the code, registration).
	ClientID string
	// IP is the client address the risk engine sees (clientip); Addr is
	// the address events record, which may be a test transport's
	// non-IP address.
	IP   netip.Addr
	Addr string
	// UserAgent is the client's User-Agent header.
	UserAgent string
	// DeviceID is the ID of a verified device cookie, "" if none.
	DeviceID string
	// IssueDevice (re)issues the device cookie and returns its ID; the
	// device a completed sign-in came from is the one the risk history
	// learns. nil issues none.
	IssueDevice func() string
	// RememberedDevice is the "remember this device" cookie, "" if none.
	RememberedDevice string
	// Lang is the language of mails sent from here (the new-device
	// notice).
	Lang string
	// Accounts is how the accounts service addresses the tenant's users
	// (branding, links), for the password-change flag and notices.
	Accounts accounts.Target
}

// MFATarget is the mfa service's view of the tenant.
func MFATarget(t *tenancy.Tenant) mfa.Target {
	return mfa.Target{Tenant: t.Tenant, Store: t.Store, Issuer: t.Issuer}
}

// record writes a sign-in event with the verdict the context carries; a
// failing recorder does not fail the sign-in (events.Recorder's
// contract), it is logged.
func (s *Service) record(ctx context.Context, req *Request, typ, userID string, data map[string]any) {
	e := events.Event{TenantID: req.Tenant.ID, Type: typ, UserID: userID, IP: req.Addr, UserAgent: req.UserAgent, Data: data}
	VerdictOf(ctx).Annotate(&e)
	if err := s.events.Record(context.WithoutCancel(ctx), e); err != nil {
		s.log.WarnContext(ctx, "authn: recording event failed", "type", typ, "err", err)
	}
}
