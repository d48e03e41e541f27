package login

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The second-factor and enrolment pages. Codes (TOTP, recovery, email,
// SMS) are plain forms that work without JavaScript; passkeys need
// webauthn.js and the JSON endpoints of mfa_webauthn.go.

const formMFA = "mfa"

func init() {
	loginpage.PageNames = append(loginpage.PageNames, "mfa")
}

func (h *mfaHandler) mountMFA(page, script func(string, tenantFunc)) {
	if h.mfa == nil {
		return
	}
	page("GET /login/mfa", h.mfaPage)
	page("POST /login/mfa", h.mfaSubmit)
	page("GET /login/mfa/enrol", h.enrolPage)
	page("POST /login/mfa/enrol", h.enrolSubmit)
	page("POST /login/mfa/skip", h.enrolSkip)
	h.mountWebAuthn(script)
}

// mfaMethod is a way to answer the challenge, offered as a link.
type mfaMethod struct {
	Key, URL string
	Weak     bool
}

type mfaPage struct {
	Step          string // "challenge", "enrol" or "codes"
	Action        string
	AuthRequestID string
	ErrorKey      string
	// The JSON endpoints' base URL and CSRF token, for webauthn.js.
	API, APICSRF string

	// challenge
	Method      string // the code method of the form, "" for none
	ChallengeID string
	Masked      string
	Others      []mfaMethod
	WebAuthn    bool // the user has a passkey or security key
	AutoStart   bool // start the passkey prompt at once (after enrolling one)
	Remember    int  // offer "remember this device" for that many days

	// enrol
	QR          template.URL
	Secret      string
	EnrolmentID string
	Skip        string // the skip action, in the grace period
	PasskeyOnly bool   // phr is due: TOTP would not do
	GraceUntil  string

	// codes
	Codes       []string
	ContinueURL string
}

// mfaContext loads the request, the session and what it lacks. Without
// a session the browser goes to sign in, and with nothing lacking back to
// the request; in both cases in is nil.
func (h *mfaHandler) mfaContext(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, id string) (*oidc.Interaction, *loginflow.Account, *authn.Need, error) {
	in, err := h.p.Interaction(r.Context(), t, id)
	if err != nil {
		return nil, nil, nil, err
	}
	acct, err := h.PendingAccount(r, t)
	if err != nil {
		return nil, nil, nil, err
	}
	if acct == nil || !h.Satisfies(in, acct.Session) {
		http.Redirect(w, r, loginflow.LoginURL(t, in.Request.ID), http.StatusSeeOther)
		return nil, nil, nil, nil
	}
	need, err := h.MFANeeded(r, in, acct.Session, acct.User)
	if err != nil {
		return nil, nil, nil, err
	}
	if need == nil {
		http.Redirect(w, r, nextURL(in, acct.Session), http.StatusSeeOther)
		return nil, nil, nil, nil
	}
	return in, acct, need, nil
}

// mfaForm is mfaContext for a submitted form, after the CSRF checks.
func (h *mfaHandler) mfaForm(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) (*oidc.Interaction, *loginflow.Account, *authn.Need, error) {
	if err := h.CheckForm(r, t, formMFA); err != nil {
		return nil, nil, nil, loginpage.WithRetry(err, loginflow.LoginURL(t, r.PostForm.Get("authRequestID")))
	}
	return h.mfaContext(w, r, t, r.PostForm.Get("authRequestID"))
}

func (h *mfaHandler) mfaPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, need, err := h.mfaContext(w, r, t, r.URL.Query().Get("authRequestID"))
	if in == nil || err != nil {
		return err
	}
	if need.Enrol {
		http.Redirect(w, r, enrolURL(in), http.StatusSeeOther)
		return nil
	}
	method := r.URL.Query().Get("method")
	return h.renderChallenge(w, r, in, acct, need, method, "", nil)
}

// renderChallenge shows the second-factor page for method (the first
// code method when empty or not the user's). It starts a challenge for
// the code form unless ch continues one.
func (h *mfaHandler) renderChallenge(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, acct *loginflow.Account, need *authn.Need, method, errKey string, ch *mfa.Challenge) error {
	t := in.Tenant
	methods, webauthn, err := h.CodeMethods(r, t, acct.User, need)
	if err != nil {
		return err
	}
	if !slices.Contains(methods, method) {
		method = ""
		if len(methods) > 0 && !(webauthn && len(methods) == 1 && methods[0] == string(factor.EmailOTP)) {
			method = methods[0] // a mail is sent only when asked for, if a passkey could do
		}
	}
	lang := loginflow.Lang(in.Request.UILocales, r)
	if method != "" && ch == nil {
		ch, err = h.mfa.BeginChallenge(r.Context(), need.Target, acct.User, factor.FactorType(method), lang.String())
		if errors.Is(err, mfa.ErrRateLimited) {
			return &loginpage.Error{Status: http.StatusTooManyRequests, Key: "error_rate_limited"}
		}
		if err != nil {
			return err
		}
	}
	v := h.WithCSRF(w, r, t, h.View(t, lang), formMFA)
	v.AllowRedirectTo(in)
	v.Scripts = true
	p := mfaPage{
		Step: "challenge", Action: t.Base + "/login/mfa", AuthRequestID: in.Request.ID, ErrorKey: errKey,
		API: t.Base + "/login/mfa", APICSRF: v.CSRF, Method: method, WebAuthn: webauthn,
		AutoStart: r.URL.Query().Get("method") == string(factor.WebAuthn), Remember: need.Remember,
	}
	if ch != nil {
		p.ChallengeID, p.Masked = ch.ID, ch.Masked
	}
	for _, m := range methods {
		if m != method {
			p.Others = append(p.Others, mfaMethod{Key: m, URL: loginflow.MFAURL(in, m), Weak: m == string(factor.SMS)})
		}
	}
	v.Page = p
	h.Render(w, r, http.StatusOK, "mfa", "mfa_title", v)
	return nil
}

func (h *mfaHandler) mfaSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, need, err := h.mfaForm(w, r, t)
	if in == nil || err != nil {
		return err
	}
	method, chID := r.PostForm.Get("method"), r.PostForm.Get("challenge")
	code := strings.Join(strings.Fields(r.PostForm.Get("code")), "")
	if len(code) > 64 || len(chID) > 128 {
		return &loginpage.Error{Status: http.StatusBadRequest, Key: "error_bad_request"}
	}
	res, err := h.mfa.Verify(r.Context(), need.Target, chID, mfa.Answer{Code: code})
	if err == nil && res.UserID != acct.User.ID {
		err = mfa.ErrUnknownChallenge // someone else's challenge
	}
	if err != nil {
		return h.mfaFailed(w, r, in, acct, need, method, chID, err)
	}
	remember := 0
	if r.PostForm.Get("remember") == "1" {
		remember = need.Remember
	}
	s, err := h.StepUp(w, r, in, acct.Session, res, remember)
	if err != nil {
		return err
	}
	return h.proceed(w, r, in, s)
}

// mfaFailed answers a wrong or dead answer: the same challenge again
// while it lives, a new one once it died (after 5 wrong codes).
func (h *mfaHandler) mfaFailed(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, acct *loginflow.Account, need *authn.Need, method, chID string, err error) error {
	switch {
	case errors.Is(err, mfa.ErrRateLimited):
		return &loginpage.Error{Status: http.StatusTooManyRequests, Key: "error_rate_limited"}
	case errors.Is(err, mfa.ErrInvalidCode), errors.Is(err, mfa.ErrReplay):
		h.Record(r, in.Tenant, events.LoginFailed, acct.User.ID, map[string]any{"reason": "mfa_code", "factor_type": method})
		h.ChallengeFailed(r, in.Tenant, acct.Session, in.Client.ID)
		// The same challenge again, saying where its code went.
		ch, cerr := h.mfa.Challenge(r.Context(), need.Target, acct.User.ID, chID)
		if cerr != nil {
			ch = &mfa.Challenge{ID: chID}
		}
		return h.renderChallenge(w, r, in, acct, need, method, "mfa_code_invalid", ch)
	case errors.Is(err, mfa.ErrChallengeDead), errors.Is(err, mfa.ErrUnknownChallenge), errors.Is(err, mfa.ErrInvalid):
		h.Record(r, in.Tenant, events.LoginFailed, acct.User.ID, map[string]any{"reason": "mfa_challenge", "factor_type": method})
		return h.renderChallenge(w, r, in, acct, need, method, "mfa_challenge_dead", nil)
	}
	return err
}

// errEnrolRefused answers an enrolment at sign-in the session may not
// make (mayEnrol).
var errEnrolRefused = &loginpage.Error{Status: http.StatusForbidden, Key: "error_bad_request"}

func (h *mfaHandler) enrolPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, need, err := h.mfaContext(w, r, t, r.URL.Query().Get("authRequestID"))
	if in == nil || err != nil {
		return err
	}
	if !need.Enrol {
		http.Redirect(w, r, loginflow.MFAURL(in, ""), http.StatusSeeOther)
		return nil
	}
	if !authn.MayEnrol(acct.Session, need) {
		return errEnrolRefused
	}
	return h.renderEnrol(w, r, in, acct, need, "")
}

// renderEnrol starts a TOTP enrolment and shows its QR code and secret,
// and the passkey button.
func (h *mfaHandler) renderEnrol(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, acct *loginflow.Account, need *authn.Need, errKey string) error {
	t := in.Tenant
	lang := loginflow.Lang(in.Request.UILocales, r)
	v := h.WithCSRF(w, r, t, h.View(t, lang), formMFA)
	v.Scripts = true
	p := mfaPage{
		Step: "enrol", Action: t.Base + "/login/mfa/enrol", AuthRequestID: in.Request.ID, ErrorKey: errKey,
		API: t.Base + "/login/mfa", APICSRF: v.CSRF, PasskeyOnly: need.Want == factor.ACRPhishingResistant,
	}
	if !p.PasskeyOnly {
		e, err := h.mfa.BeginTOTP(r.Context(), loginflow.MFATarget(t), acct.User)
		if err != nil {
			return err
		}
		// The SVG is ours (the mfa service draws it); img-src allows data:.
		p.QR = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(e.QRSVG))
		p.Secret, p.EnrolmentID = e.Secret, e.ID
	}
	if need.GraceUntil != nil {
		p.Skip = t.Base + "/login/mfa/skip"
		p.GraceUntil = need.GraceUntil.UTC().Format("2006-01-02")
		v.AllowRedirectTo(in)
	}
	v.Page = p
	h.Render(w, r, http.StatusOK, "mfa", "mfa_enrol_title", v)
	return nil
}

func (h *mfaHandler) enrolSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, need, err := h.mfaForm(w, r, t)
	if in == nil || err != nil {
		return err
	}
	if !authn.MayEnrol(acct.Session, need) {
		return errEnrolRefused
	}
	code := strings.Join(strings.Fields(r.PostForm.Get("code")), "")
	enrolment := r.PostForm.Get("enrolment")
	if len(code) > 64 || len(enrolment) > 128 {
		return &loginpage.Error{Status: http.StatusBadRequest, Key: "error_bad_request"}
	}
	f, err := h.mfa.ConfirmTOTP(r.Context(), loginflow.MFATarget(t), acct.User, enrolment, code, "Authenticator app")
	switch {
	case errors.Is(err, mfa.ErrRateLimited):
		return &loginpage.Error{Status: http.StatusTooManyRequests, Key: "error_rate_limited"}
	case errors.Is(err, mfa.ErrInvalidCode), errors.Is(err, mfa.ErrInvalid), errors.Is(err, mfa.ErrChallengeDead),
		errors.Is(err, mfa.ErrUnknownChallenge), errors.Is(err, mfa.ErrReplay):
		return h.renderEnrol(w, r, in, acct, need, "mfa_enrol_invalid")
	case err != nil:
		return err
	}
	res := &mfa.Result{UserID: acct.User.ID, Factor: f, AMR: factor.AMRFor(factor.TOTP, false, false)}
	up, err := h.StepUp(w, r, in, acct.Session, res, 0)
	if err != nil {
		return err
	}
	codes, err := h.mfa.GenerateRecoveryCodes(r.Context(), loginflow.MFATarget(t), acct.User)
	if err != nil {
		return err
	}
	v := h.ViewFor(in, loginflow.Lang(in.Request.UILocales, r))
	v.Page = mfaPage{Step: "codes", Codes: codes, ContinueURL: nextURL(in, up)}
	h.Render(w, r, http.StatusOK, "mfa", "mfa_codes_title", v)
	return nil
}

// enrolSkip goes on without a factor, which only the grace period allows.
func (h *mfaHandler) enrolSkip(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, acct, need, err := h.mfaForm(w, r, t)
	if in == nil || err != nil {
		return err
	}
	if need.Blocking() {
		http.Redirect(w, r, enrolURL(in), http.StatusSeeOther)
		return nil
	}
	return h.afterFactors(w, r, in, acct.Session)
}
