package samlidp

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Single logout across a session's service providers. Each Response that
// carries an assertion is recorded (store.SAMLSession: the session, the
// SP, the NameID and the SessionIndex it was sent). A LogoutRequest from
// one of them names its principal by NameID and, usually, SessionIndex;
// the sessions it matches are ended, and every other SP those sessions
// signed into is sent a signed LogoutRequest through the browser, one at
// a time, each answering with a LogoutResponse to the SLO endpoint;
// then the SP that asked gets its LogoutResponse (PartialLogout if an SP
// did not answer with Success). The chaining is crewjam's
// (IdentityProvider.ServeSLO, its progress in a cookie signed with the
// tenant's SAML key); what it needs from Gatehouse is here.

// SessionEnder ends Gatehouse sessions for single logout.
type SessionEnder interface {
	// EndSessions ends the sessions and the tokens issued under them,
	// and clears the browser's session cookie if its session is one of
	// them.
	EndSessions(w http.ResponseWriter, r *http.Request, sessionIDs []string) error
}

// SLOPages are the pages of a propagated logout: the auto-posting form of
// a LogoutRequest to an SP's HTTP-POST SingleLogoutService (executed with
// saml.IdpLogoutRequestForm) and of a LogoutResponse (executed with
// saml.IdpAuthnRequestForm). nil uses crewjam's.
type SLOPages struct {
	LogoutRequestForm *template.Template
	ResponseForm      *template.Template
}

// SLOResult says what ServeSLO did, for the audit trail.
type SLOResult struct {
	// Ended are the sessions the LogoutRequest matched and ended.
	Ended []string
	// Participants are the other SPs the logout is propagated to.
	Participants int
}

// ServeSLO answers at the SLO endpoint: l is the LogoutRequest that
// ParseLogoutRequest validated, or nil for a message that is not one (a
// LogoutResponse of an SP the logout was propagated to). It writes the
// answer to w: a redirect or auto-posting page to the next SP or to the
// SP that asked, or, for a message it refuses, an HTTP 4xx/5xx status
// (the caller shows its error page instead).
func (s *Service) ServeSLO(w http.ResponseWriter, r *http.Request, t Tenant, l *LogoutRequest, end SessionEnder,
	pages SLOPages, log *slog.Logger) (*SLOResult, error) {
	ctx := r.Context()
	idp, err := s.idp(ctx, t)
	if err != nil {
		return nil, err
	}
	sessions := &sloSessions{t: t, l: l, end: end, res: &SLOResult{}}
	idp.SessionProvider = sessions
	idp.Logger = printLogger{ctx: ctx, log: log}
	idp.LogoutRequestFormTemplate = pages.LogoutRequestForm
	idp.ResponseFormTemplate = pages.ResponseForm
	idp.ServeSLO(w, r)
	return sessions.res, sessions.err
}

// sloSessions is the SessionProvider crewjam's ServeSLO asks for the
// sessions a LogoutRequest names, their participants, and to end them.
type sloSessions struct {
	t   Tenant
	l   *LogoutRequest
	end SessionEnder

	matched []store.SAMLSession
	looked  bool
	res     *SLOResult
	err     error
}

var (
	_ saml.SessionProvider           = (*sloSessions)(nil)
	_ saml.SessionParticipantTracker = (*sloSessions)(nil)
	_ saml.SessionInvalidator        = (*sloSessions)(nil)
)

// GetSession is not used: Gatehouse's SSO does not go through crewjam's.
func (p *sloSessions) GetSession(http.ResponseWriter, *http.Request, *saml.IdpAuthnRequest) *saml.Session {
	return nil
}

// AddSessionParticipant is not used: protocol/saml records participants
// when it issues a Response.
func (p *sloSessions) AddSessionParticipant(*http.Request, *saml.Session, saml.SessionParticipant) error {
	return nil
}

// sessionsNamed returns the recorded sign-ins into the requesting SP that
// the LogoutRequest names (NameID, and SessionIndex if it has any) and
// match accepts.
func (p *sloSessions) sessionsNamed(ctx context.Context, match func(*saml.Session) bool) ([]store.SAMLSession, error) {
	if p.looked {
		return p.matched, nil
	}
	p.looked = true
	if p.l == nil || p.l.req.Request.NameID == nil || p.l.req.Request.NameID.Value == "" {
		return nil, nil
	}
	var indexes []string
	for _, si := range p.l.req.Request.AllSessionIndexes() {
		indexes = append(indexes, si.Value)
	}
	found, err := p.t.Store.SAMLSessions().FindBySP(ctx, p.t.ID, p.l.SP.ID, p.l.req.Request.NameID.Value, indexes)
	if err != nil {
		return nil, err
	}
	for _, f := range found {
		if match(&saml.Session{ID: f.SessionID, NameID: f.NameID, Index: f.SessionIndex}) {
			p.matched = append(p.matched, f)
		}
	}
	return p.matched, nil
}

// SessionParticipants lists every SP the named sessions signed into (the
// requesting one included: crewjam leaves it out of the propagation, and
// refuses a request from an SP that is not among them). SPs without a
// SingleLogoutService, or without a signing certificate to verify their
// LogoutResponse with, are left out: the browser cannot take them a
// LogoutRequest whose answer counts.
func (p *sloSessions) SessionParticipants(r *http.Request, match func(*saml.Session) bool) ([]saml.SessionParticipant, error) {
	ctx := r.Context()
	named, err := p.sessionsNamed(ctx, match)
	if err != nil {
		return nil, err
	}
	sps := map[string]*store.SAMLServiceProvider{}
	seen := map[string]bool{}
	var out []saml.SessionParticipant
	for _, n := range named {
		if seen[n.SessionID] {
			continue
		}
		seen[n.SessionID] = true
		got, err := participantsOf(ctx, p.t, n.SessionID, sps, p.l.SP.ID)
		if err != nil {
			return nil, err
		}
		for _, g := range got {
			if g.ServiceProviderID != p.l.SP.EntityID {
				p.res.Participants++
			}
		}
		out = append(out, got...)
	}
	return out, nil
}

// participantsOf lists the SPs the session signed into that a logout can
// reach through the browser: with a SingleLogoutService, and a signing
// certificate to verify their LogoutResponse with (keep is listed even
// without). sps caches the SPs looked up.
func participantsOf(ctx context.Context, t Tenant, sessionID string, sps map[string]*store.SAMLServiceProvider, keep string) ([]saml.SessionParticipant, error) {
	rows, err := t.Store.SAMLSessions().ListBySession(ctx, t.ID, sessionID)
	if err != nil {
		return nil, err
	}
	var out []saml.SessionParticipant
	for _, row := range rows {
		sp, ok := sps[row.SPID]
		if !ok {
			if sp, err = t.Store.SAMLServiceProviders().Get(ctx, t.ID, row.SPID); errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return nil, err
			}
			sps[row.SPID] = sp
		}
		if sp.ID != keep && !Reachable(sp) {
			continue
		}
		out = append(out, saml.SessionParticipant{ServiceProviderID: sp.EntityID, SessionIndex: row.SessionIndex,
			NameID: participantNameID(t, sp, row)})
	}
	return out, nil
}

// Reachable reports whether a logout can reach sp through the browser: it
// has a SingleLogoutService, and a signing certificate to verify its
// LogoutResponse with.
func Reachable(sp *store.SAMLServiceProvider) bool {
	return sp.SLOURL != "" && len(sp.SigningCerts) > 0
}

// ReachableParticipants counts the SPs the session signed into that
// StartLogout would send a LogoutRequest.
func (s *Service) ReachableParticipants(ctx context.Context, t Tenant, sessionID string) (int, error) {
	got, err := participantsOf(ctx, t, sessionID, map[string]*store.SAMLServiceProvider{}, "")
	return len(got), err
}

// StartLogout logs an ended Gatehouse session out of the SPs it signed
// into (IdP-initiated single logout), through the browser: each reachable
// SP (Reachable) is sent a signed LogoutRequest, one at a time, and
// answers with a LogoutResponse at the SLO endpoint (ServeSLO continues
// the logout there); then the browser goes to returnTo, which the caller
// chose (never the request). The session's participants are forgotten
// once listed. It returns how many SPs the logout goes to.
func (s *Service) StartLogout(w http.ResponseWriter, r *http.Request, t Tenant, sessionID, returnTo string,
	pages SLOPages, log *slog.Logger) (int, error) {
	ctx := r.Context()
	idp, err := s.idp(ctx, t)
	if err != nil {
		return 0, err
	}
	tr := &sessionTracker{t: t, sessionID: sessionID}
	idp.SessionProvider = tr
	idp.Logger = printLogger{ctx: ctx, log: log}
	idp.LogoutRequestFormTemplate = pages.LogoutRequestForm
	idp.ResponseFormTemplate = pages.ResponseForm
	idp.StartLogout(w, r, &saml.Session{ID: sessionID}, returnTo)
	if tr.err != nil {
		return 0, tr.err
	}
	return tr.n, t.Store.SAMLSessions().DeleteBySession(ctx, t.ID, sessionID)
}

// sessionTracker gives crewjam's StartLogout the participants of one
// session.
type sessionTracker struct {
	t         Tenant
	sessionID string
	n         int
	err       error
}

var _ saml.SessionParticipantTracker = (*sessionTracker)(nil)

func (p *sessionTracker) GetSession(http.ResponseWriter, *http.Request, *saml.IdpAuthnRequest) *saml.Session {
	return nil
}

func (p *sessionTracker) AddSessionParticipant(*http.Request, *saml.Session, saml.SessionParticipant) error {
	return nil
}

func (p *sessionTracker) SessionParticipants(r *http.Request, match func(*saml.Session) bool) ([]saml.SessionParticipant, error) {
	if !match(&saml.Session{ID: p.sessionID}) {
		return nil, nil
	}
	got, err := participantsOf(r.Context(), p.t, p.sessionID, map[string]*store.SAMLServiceProvider{}, "")
	p.n, p.err = len(got), err
	return got, err
}

// participantNameID is the NameID an SP was sent, with the qualifiers the
// assertion gave it.
func participantNameID(t Tenant, sp *store.SAMLServiceProvider, row store.SAMLSession) saml.NameID {
	n := saml.NameID{Format: row.NameIDFormat, Value: row.NameID}
	if row.NameIDFormat == string(saml.PersistentNameIDFormat) || row.NameIDFormat == string(saml.TransientNameIDFormat) {
		n.NameQualifier, n.SPNameQualifier = t.EntityID(), sp.EntityID
	}
	return n
}

// InvalidateSession ends the sessions the LogoutRequest names and forgets
// their participants (crewjam has listed them already).
func (p *sloSessions) InvalidateSession(w http.ResponseWriter, r *http.Request, req *saml.IdpLogoutRequest) error {
	ctx := r.Context()
	named, err := p.sessionsNamed(ctx, req.MatchesSession)
	if err != nil {
		p.err = err
		return err
	}
	var ids []string
	seen := map[string]bool{}
	for _, n := range named {
		if !seen[n.SessionID] {
			seen[n.SessionID] = true
			ids = append(ids, n.SessionID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if err := p.end.EndSessions(w, r, ids); err != nil {
		p.err = err
		return err
	}
	var errs []error
	for _, id := range ids {
		errs = append(errs, p.t.Store.SAMLSessions().DeleteBySession(ctx, p.t.ID, id))
	}
	p.res.Ended = ids
	return errors.Join(errs...)
}

// printLogger passes crewjam's log lines to slog, at info: they describe
// what a service provider sent.
type printLogger struct {
	ctx context.Context
	log *slog.Logger
}

func (l printLogger) Printf(format string, v ...any) {
	l.log.InfoContext(l.ctx, "saml: "+fmt.Sprintf(format, v...))
}
func (l printLogger) Print(v ...any)                 { l.log.InfoContext(l.ctx, "saml: "+fmt.Sprint(v...)) }
func (l printLogger) Println(v ...any)               { l.Print(v...) }
func (l printLogger) Fatal(v ...any)                 { l.log.ErrorContext(l.ctx, "saml: "+fmt.Sprint(v...)) }
func (l printLogger) Fatalf(format string, v ...any) { l.Fatal(fmt.Sprintf(format, v...)) }
func (l printLogger) Fatalln(v ...any)               { l.Fatal(v...) }
func (l printLogger) Panic(v ...any)                 { l.Fatal(v...) }
func (l printLogger) Panicf(format string, v ...any) { l.Fatal(fmt.Sprintf(format, v...)) }
func (l printLogger) Panicln(v ...any)               { l.Fatal(v...) }
