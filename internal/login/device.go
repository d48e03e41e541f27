package login

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The device page (RFC 8628 verification URI, {issuer}/device): the user
// enters the code a device shows (or arrives with ?user_code= from the
// verification_uri_complete), signs in on this same page if needed, and
// approves or denies. Every step is a plain form POST to /device.

// maxUserCodeLen bounds what is looked up; real codes are 8 characters
// plus separators.
const maxUserCodeLen = 32

// Device page steps.
const (
	stepCode    = "code"
	stepSignIn  = "signin"
	stepConfirm = "confirm"
	stepDone    = "done"
)

type devicePage struct {
	Step     string
	Action   string
	UserCode string // as entered, for the hidden fields
	Display  string // normalised and grouped, for reading
	Invalid  bool
	Form     signInForm
	// Confirm step.
	ClientName string
	Scopes     []string
	Details    []oidc.DetailView // rich authorization requests (RFC 9396)
	Email      string
	NotYouURL  string
	// Done step.
	Approved bool
}

func (h *deviceHandler) devicePage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	q := r.URL.Query()
	code := q.Get("user_code")
	if code == "" {
		return h.renderDevice(w, r, t, devicePage{Step: stepCode})
	}
	if err := h.LimitDevice(r); err != nil {
		return limitedPage(w, err)
	}
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return err
	}
	if q.Get("account") == "other" {
		acct = nil
	}
	return h.deviceNext(w, r, t, code, acct, false)
}

func (h *deviceHandler) deviceSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if err := h.CheckForm(r, t, formDevice); err != nil {
		return loginpage.WithRetry(err, t.Base+"/device")
	}
	code := r.PostForm.Get("user_code")
	switch action := r.PostForm.Get("action"); action {
	case "signin":
		if err := h.LimitSignIn(r, t, r.PostForm.Get("identifier")); err != nil {
			return limitedPage(w, err)
		}
		r, u, err := h.CheckPassword(r, t, "", r.PostForm.Get("identifier"), r.PostForm.Get("password"))
		if errors.Is(err, errBadCredentials) {
			return h.deviceNext(w, r, t, code, nil, true)
		}
		if errors.As(err, new(*loginflow.LimitedError)) {
			return limitedPage(w, err)
		}
		if errors.Is(err, errEmailUnverified) {
			// The device page has no verify step: mail a code and say so.
			if err := h.SendVerification(r, t, u, nil); err != nil {
				return err
			}
			return &loginpage.Error{Status: http.StatusForbidden, Key: "signin_unverified", Retry: verifyURL(t, "")}
		}
		if err != nil {
			return err
		}
		clientID := ""
		if d, err := h.p.Device(r.Context(), t, code); err == nil {
			clientID = d.Client.ID
		}
		s, err := h.StartSession(w, r, t, u, clientID)
		if err != nil {
			return err
		}
		// The risk verdict applies here as on the sign-in page: a
		// challenge is owed before the device can be approved.
		if err := h.RiskSignedIn(w, r, t, s, u); err != nil {
			return err
		}
		if !s.SignedIn() {
			return errDeviceUnfinished(t)
		}
		return h.deviceNext(w, r, t, code, &loginflow.Account{Session: s, User: u}, false)
	case "approve", "deny":
		acct, err := h.CurrentAccount(r, t)
		if err == nil && acct == nil {
			// A sign-in that still owes a step is told so.
			var p *loginflow.Account
			if p, err = h.Unfinished(r, t); p != nil {
				return errDeviceUnfinished(t)
			}
		}
		if err != nil || acct == nil {
			if err == nil {
				err = h.deviceNext(w, r, t, code, nil, false)
			}
			return err
		}
		return h.deviceDecide(w, r, t, code, acct, action == "approve")
	default: // the code form
		if err := h.LimitDevice(r); err != nil {
			return limitedPage(w, err)
		}
		acct, err := h.CurrentAccount(r, t)
		if err != nil {
			return err
		}
		return h.deviceNext(w, r, t, code, acct, false)
	}
}

// errDeviceUnfinished refuses a session whose sign-in still owes a step
// (a factor, a challenge, a new password): the device page has no step
// pages, so the user finishes signing in to an application first.
func errDeviceUnfinished(t *tenancy.Tenant) error {
	return &loginpage.Error{Status: http.StatusForbidden, Key: "mfa_device_required", Retry: t.Base + "/device"}
}

// deviceNext shows what follows a code: an error for an unknown or expired
// one, the sign-in form without a session, else the confirmation.
func (h *deviceHandler) deviceNext(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, code string, acct *loginflow.Account, failed bool) error {
	if len(code) > maxUserCodeLen {
		return h.renderDevice(w, r, t, devicePage{Step: stepCode, Invalid: true})
	}
	dr, err := h.p.Device(r.Context(), t, code)
	if errors.Is(err, oidc.ErrUnknownRequest) {
		return h.renderDevice(w, r, t, devicePage{Step: stepCode, UserCode: code, Invalid: true})
	}
	if err != nil {
		return err
	}
	p := devicePage{UserCode: code, Display: groupCode(dr.Auth.UserCode)}
	if acct == nil {
		p.Step = stepSignIn
		p.Form = signInForm{
			Action: t.Base + "/device",
			Hidden: map[string]string{"action": "signin", "user_code": code},
			Failed: failed,
		}
		return h.renderDevice(w, r, t, p)
	}
	p.Step, p.ClientName, p.Email = stepConfirm, loginflow.ClientName(dr.Client), acct.User.Email
	p.NotYouURL = t.Base + "/device?user_code=" + url.QueryEscape(code) + "&account=other"
	l := loginpage.Catalogs[loginflow.Lang(nil, r)]
	for _, s := range dr.Auth.Scopes {
		p.Scopes = append(p.Scopes, loginpage.ScopeText(l, s))
	}
	if p.Details, err = h.p.DescribeDetails(r.Context(), t, dr.Auth.AuthorizationDetails); err != nil {
		return err
	}
	return h.renderDevice(w, r, t, p)
}

func (h *deviceHandler) deviceDecide(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, code string, acct *loginflow.Account, approve bool) error {
	if approve {
		// The device page has no second-factor step: a session that lacks
		// the factor the tenant's policy asks for this client cannot
		// approve. Signing in to any application with it first does.
		if d, err := h.p.Device(r.Context(), t, code); err == nil {
			need, err := h.MFANeededFor(r, t, d.Client.ID, "", acct.Session, acct.User)
			if err != nil {
				return err
			}
			if need.Blocking() {
				return errDeviceUnfinished(t)
			}
			// Nor does it ask privacy decisions: a user who owes some for
			// this client (its required_purposes, changed purposes) makes
			// them in the preference centre first.
			if h.verifier != nil && h.verifier.Privacy != nil {
				owed, err := h.verifier.Privacy.Owed(r.Context(), t, acct.User.ID, d.Client.RequiredPurposes())
				if err != nil {
					return err
				}
				if len(owed) > 0 {
					return &loginpage.Error{Status: http.StatusForbidden, Key: "privacy_device_required", Retry: t.Base + "/account/privacy"}
				}
			}
		}
	}
	err := h.p.DecideDevice(r.Context(), t, code, acct.Session, approve)
	if errors.Is(err, oidc.ErrUnknownRequest) || errors.Is(err, store.ErrNotFound) {
		return h.renderDevice(w, r, t, devicePage{Step: stepCode, UserCode: code, Invalid: true})
	}
	if err != nil {
		return err
	}
	return h.renderDevice(w, r, t, devicePage{Step: stepDone, Approved: approve})
}

func (h *deviceHandler) renderDevice(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, p devicePage) error {
	v := h.WithCSRF(w, r, t, h.View(t, loginflow.Lang(nil, r)), formDevice)
	p.Action = t.Base + "/device"
	v.Page = p
	h.Render(w, r, http.StatusOK, "device", "device_title", v)
	return nil
}

// groupCode writes a normalised user code in groups of four (BCDF-GHJK),
// the way devices usually show it.
func groupCode(c string) string {
	out := make([]byte, 0, len(c)+len(c)/4)
	for i := 0; i < len(c); i++ {
		if i > 0 && i%4 == 0 {
			out = append(out, '-')
		}
		out = append(out, c[i])
	}
	return string(out)
}
