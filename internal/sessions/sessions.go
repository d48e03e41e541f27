// Package sessions manages browser sessions: the server-side record and
// the cookie that points at it. The cookie carries a 256-bit random token;
// the store keeps only its SHA-256, so a database leak does not leak live
// sessions. Sessions expire after an idle period and an absolute lifetime.
package sessions

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Manager creates and finds sessions.
type Manager struct {
	Idle     time.Duration
	Absolute time.Duration
	// Secure marks cookies Secure (always, when the issuer is https).
	Secure bool
	Now    func() time.Time
}

// DefaultManager: 24 h idle, 30 days absolute.
func DefaultManager(secure bool) *Manager {
	return &Manager{Idle: 24 * time.Hour, Absolute: 30 * 24 * time.Hour, Secure: secure, Now: time.Now}
}

// ErrNoSession: the request carries no usable session.
var ErrNoSession = errors.New("sessions: no active session")

// Scope says where a tenant's cookie lives.
type Scope struct {
	TenantID string
	Store    store.Store
	// Path is the tenant's URL prefix ("" for the default tenant).
	Path string
	// Name distinguishes tenants' cookies, since a default-tenant cookie
	// (path /) is also sent to /t/{slug}/ URLs.
	Name string
}

// CookieName returns the session cookie name for a tenant slug.
func CookieName(slug string) string {
	if slug == "" || slug == "default" {
		return "gh_session"
	}
	return "gh_session_" + slug
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ClientIP is the client address of the request, as resolved by the
// clientip middleware (GATEHOUSE_TRUSTED_PROXIES), else the peer address.
func ClientIP(r *http.Request) string { return clientip.FromRequest(r) }

// Start is what a sign-in gives its new session.
type Start struct {
	UserID string
	AMR    []string
	ACR    string
	// Pending is what the sign-in still owes (oauth.Session.Pending);
	// NotifyNewDevice holds back the new-device notice of a risk
	// challenge until it is passed.
	Pending         []oauth.Step
	NotifyNewDevice bool
}

// Create starts a session and sets its cookie on w.
func (m *Manager) Create(ctx context.Context, w http.ResponseWriter, r *http.Request, sc Scope, st Start) (*oauth.Session, error) {
	now := m.Now().UTC()
	token := secret.Token(32)
	ua := r.UserAgent()
	if len(ua) > 512 {
		ua = ua[:512]
	}
	s := &oauth.Session{
		TenantID: sc.TenantID, UserID: st.UserID, TokenHash: tokenHash(token),
		IP: ClientIP(r), UserAgent: ua, AuthTime: now, AMR: st.AMR, ACR: st.ACR,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(m.Absolute),
	}
	s.Owe(st.Pending...)
	s.NotifyNewDevice = st.NotifyNewDevice && s.Owes(oauth.StepRiskChallenge)
	if err := sc.Store.Sessions().Create(ctx, s); err != nil {
		return nil, err
	}
	m.setCookie(w, sc, token, s.ExpiresAt)
	return s, nil
}

func (m *Manager) setCookie(w http.ResponseWriter, sc Scope, value string, expires time.Time) {
	path := sc.Path
	if path == "" {
		path = "/"
	}
	c := &http.Cookie{
		Name: sc.Name, Value: value, Path: path, HttpOnly: true, Secure: m.Secure,
		SameSite: http.SameSiteLaxMode,
	}
	if value == "" {
		c.MaxAge = -1
	} else {
		c.Expires = expires
	}
	http.SetCookie(w, c)
}

// Find returns the signed-in session named by the request's cookie and
// records the activity. A session that still owes a step of its sign-in
// (a second factor, a risk challenge, a password change) is not signed
// in: Find answers ErrNoSession for it, so nothing that calls Find (the
// account API, single sign-on, consent, device approval, logout hints)
// takes it for one.
func (m *Manager) Find(ctx context.Context, r *http.Request, sc Scope) (*oauth.Session, error) {
	s, err := m.FindPending(ctx, r, sc)
	if err != nil {
		return nil, err
	}
	if !s.SignedIn() {
		return nil, ErrNoSession
	}
	return s, nil
}

// FindPending is Find that also returns a session that still owes steps.
// Only the login's step pages call it: the second factor, the risk
// challenge and the password change are how such a session pays.
func (m *Manager) FindPending(ctx context.Context, r *http.Request, sc Scope) (*oauth.Session, error) {
	c, err := r.Cookie(sc.Name)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return nil, ErrNoSession
	}
	s, err := sc.Store.Sessions().GetByToken(ctx, sc.TenantID, tokenHash(c.Value))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	now := m.Now()
	if !s.Active(now, m.Idle) {
		return nil, ErrNoSession
	}
	// Touch at most once a minute: last-seen is for humans and idle expiry.
	if now.Sub(s.LastSeenAt) > time.Minute {
		ua := r.UserAgent()
		if len(ua) > 512 {
			ua = ua[:512]
		}
		if err := sc.Store.Sessions().Touch(ctx, sc.TenantID, s.ID, now.UTC(), ClientIP(r), ua); err == nil {
			s.LastSeenAt = now.UTC()
		}
	}
	return s, nil
}

// End revokes the request's session (if any, signed in or not) and
// clears its cookie.
func (m *Manager) End(ctx context.Context, w http.ResponseWriter, r *http.Request, sc Scope) (*oauth.Session, error) {
	s, err := m.FindPending(ctx, r, sc)
	m.setCookie(w, sc, "", time.Time{})
	if err != nil {
		if errors.Is(err, ErrNoSession) {
			return nil, nil
		}
		return nil, err
	}
	return s, sc.Store.Sessions().Revoke(ctx, sc.TenantID, s.ID, m.Now().UTC())
}

// HasAMR reports whether the session used the authentication method.
func HasAMR(s *oauth.Session, method string) bool {
	for _, a := range s.AMR {
		if strings.EqualFold(a, method) {
			return true
		}
	}
	return false
}

// StepUp records factors the session's user has just proven (a second
// factor, a step-up) on the session: amr gains the methods, acr becomes
// the class the combined methods reach (acrFor), and the authentication
// time becomes now, since the session was just authenticated again. The
// steps the factor paid (passed) leave the session's pending steps in
// the same atomic update. The session's cookie and lifetime stay as they
// are.
func (m *Manager) StepUp(ctx context.Context, sc Scope, s *oauth.Session, amr []string, acrFor func([]string) string, passed ...oauth.Step) (*oauth.Session, error) {
	now := m.Now().UTC()
	return m.update(ctx, sc, s, func(cur *oauth.Session) {
		cur.AMR = MergeAMR(cur.AMR, amr)
		cur.ACR = acrFor(cur.AMR)
		cur.AuthTime = now
		cur.Pay(passed...)
	})
}

// Pay removes steps the session's user has just passed without a factor
// (a password change) from the steps the session owes.
func (m *Manager) Pay(ctx context.Context, sc Scope, s *oauth.Session, passed ...oauth.Step) (*oauth.Session, error) {
	return m.update(ctx, sc, s, func(cur *oauth.Session) { cur.Pay(passed...) })
}

// update changes s (still live, still the same user's) in one atomic update.
func (m *Manager) update(ctx context.Context, sc Scope, s *oauth.Session, fn func(*oauth.Session)) (*oauth.Session, error) {
	return sc.Store.Sessions().Update(ctx, sc.TenantID, s.ID, func(cur *oauth.Session) error {
		if cur.RevokedAt != nil || cur.UserID != s.UserID {
			return ErrNoSession
		}
		fn(cur)
		return nil
	})
}

// MergeAMR adds the methods of add to have, each once, and "mfa" when the
// result holds more than one factor (RFC 8176): something the user has
// (a code generator, a phone, an authenticator) with something they know
// (a password) or are or know to the authenticator (user verification,
// "user").
func MergeAMR(have, add []string) []string {
	out := make([]string, 0, len(have)+len(add)+1)
	seen := map[string]bool{}
	for _, m := range append(append([]string{}, have...), add...) {
		if m != "" && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	knowledge := seen["pwd"]
	possession := seen["otp"] || seen["sms"] || seen["hwk"] || seen["swk"]
	if possession && (knowledge || seen["user"]) && !seen["mfa"] {
		out = append(out, "mfa")
	}
	return out
}
