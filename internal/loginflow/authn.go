package loginflow

import (
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Sign-ins are decided by internal/authn (credentials, the risk engine,
// the steps a session owes); authn.go turns a request into an
// authn.Request and authn's answers back into the request: its verdict
// rides in the request's context so every event of the request records
// it (Record).

// AuthnRequest describes r's sign-in for clientID ("" when none is known
// yet). With w, a completed sign-in (re)issues the device cookie.
func (h *Flow) AuthnRequest(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, clientID string) *authn.Request {
	ip, ok := clientip.FromContext(r.Context())
	if !ok {
		ip = clientip.Peer(r)
	}
	req := &authn.Request{Tenant: t, ClientID: clientID, IP: ip, Addr: sessions.ClientIP(r), UserAgent: r.UserAgent(),
		Lang: Lang(nil, r).String(), Accounts: h.Target(r, t)}
	if h.devices != nil {
		req.DeviceID, _ = h.devices.Read(r)
		if w != nil {
			req.IssueDevice = func() string { return h.devices.Issue(w, r) }
		}
	}
	if c, err := r.Cookie(DeviceCookieName(t)); err == nil {
		req.RememberedDevice = c.Value
	}
	return req
}

// WithVerdict returns r carrying the attempt's verdict (none: r).
func WithVerdict(r *http.Request, v *authn.Verdict) *http.Request {
	if v == nil {
		return r
	}
	return r.WithContext(authn.WithVerdict(r.Context(), v))
}

// CheckPassword is authn's password sign-in. It returns r carrying the
// verdict, the user, and authn's refusal: authn.ErrBadCredentials,
// authn.ErrEmailUnverified (with the user) or LimitedError.
func (h *Flow) CheckPassword(r *http.Request, t *tenancy.Tenant, clientID, identifier, pw string) (*http.Request, *identity.User, error) {
	res, err := h.authn.Authenticate(r.Context(), h.AuthnRequest(nil, r, t, clientID), authn.Password{Identifier: identifier, Password: pw})
	return Accepted(r, res, err)
}

// Accepted unpacks authn.Authenticate's answer.
func Accepted(r *http.Request, res *authn.Result, err error) (*http.Request, *identity.User, error) {
	var le *authn.LimitedError
	if errors.As(err, &le) {
		err = &LimitedError{RetryAfter: le.RetryAfter}
	}
	if res == nil {
		return r, nil, err
	}
	return WithVerdict(r, res.Verdict), res.User, err
}

// RiskSignedIn follows a correct credential that started session s (nil
// when the sign-in completes before its session starts).
func (h *Flow) RiskSignedIn(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, s *oauth.Session, u *identity.User) error {
	return h.authn.SignedIn(r.Context(), h.AuthnRequest(w, r, t, ""), u, authn.VerdictOf(r.Context()), s)
}

// ChallengeFailed counts a wrong answer to the risk challenge session s
// owes as a failed sign-in (authn.Service.ChallengeFailed).
func (h *Flow) ChallengeFailed(r *http.Request, t *tenancy.Tenant, s *oauth.Session, clientID string) {
	h.authn.ChallengeFailed(r.Context(), h.AuthnRequest(nil, r, t, clientID), s)
}

// PasskeyFailed counts a refused passkey sign-in (authn.Service.PasskeyFailed).
func (h *Flow) PasskeyFailed(r *http.Request, t *tenancy.Tenant, credential []byte, clientID string) {
	h.authn.PasskeyFailed(r.Context(), h.AuthnRequest(nil, r, t, clientID), credential)
}
