package login

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
// the steps a session owes); this file turns a request into an
// authn.Request and authn's answers back into the request: its verdict
// rides in the request's context so every event of the request records
// it (record).

// authnRequest describes r's sign-in for clientID ("" when none is known
// yet). With w, a completed sign-in (re)issues the device cookie.
func (h *flow) authnRequest(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, clientID string) *authn.Request {
	ip, ok := clientip.FromContext(r.Context())
	if !ok {
		ip = clientip.Peer(r)
	}
	req := &authn.Request{Tenant: t, ClientID: clientID, IP: ip, Addr: sessions.ClientIP(r), UserAgent: r.UserAgent(),
		Lang: langFor(nil, r).String(), Accounts: h.target(r, t)}
	if h.devices != nil {
		req.DeviceID, _ = h.devices.Read(r)
		if w != nil {
			req.IssueDevice = func() string { return h.devices.Issue(w, r) }
		}
	}
	if c, err := r.Cookie(deviceCookieName(t)); err == nil {
		req.RememberedDevice = c.Value
	}
	return req
}

// withVerdict returns r carrying the attempt's verdict (none: r).
func withVerdict(r *http.Request, v *authn.Verdict) *http.Request {
	if v == nil {
		return r
	}
	return r.WithContext(authn.WithVerdict(r.Context(), v))
}

// checkPassword is authn's password sign-in. It returns r carrying the
// verdict, the user, and authn's refusal: errBadCredentials,
// errEmailUnverified (with the user) or errLimited.
func (h *flow) checkPassword(r *http.Request, t *tenancy.Tenant, clientID, identifier, pw string) (*http.Request, *identity.User, error) {
	res, err := h.authn.Authenticate(r.Context(), h.authnRequest(nil, r, t, clientID), authn.Password{Identifier: identifier, Password: pw})
	return accepted(r, res, err)
}

// accepted unpacks authn.Authenticate's answer.
func accepted(r *http.Request, res *authn.Result, err error) (*http.Request, *identity.User, error) {
	var le *authn.LimitedError
	if errors.As(err, &le) {
		err = &errLimited{retry: le.RetryAfter}
	}
	if res == nil {
		return r, nil, err
	}
	return withVerdict(r, res.Verdict), res.User, err
}

// riskSignedIn follows a correct credential that started session s (nil
// when the sign-in completes before its session starts).
func (h *flow) riskSignedIn(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, s *oauth.Session, u *identity.User) error {
	return h.authn.SignedIn(r.Context(), h.authnRequest(w, r, t, ""), u, authn.VerdictOf(r.Context()), s)
}

// challengeFailed counts a wrong answer to the risk challenge session s
// owes as a failed sign-in (authn.Service.ChallengeFailed).
func (h *flow) challengeFailed(r *http.Request, t *tenancy.Tenant, s *oauth.Session, clientID string) {
	h.authn.ChallengeFailed(r.Context(), h.authnRequest(nil, r, t, clientID), s)
}

// passkeyFailed counts a refused passkey sign-in (authn.Service.PasskeyFailed).
func (h *flow) passkeyFailed(r *http.Request, t *tenancy.Tenant, credential []byte, clientID string) {
	h.authn.PasskeyFailed(r.Context(), h.authnRequest(nil, r, t, clientID), credential)
}
