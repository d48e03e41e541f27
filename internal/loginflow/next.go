package loginflow

import (
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// CompleteResult completes the request for the signed-in session s, as
// the API answers it.
func (h *Flow) CompleteResult(r *http.Request, in *oidc.Interaction, s *oauth.Session) (*gen.LoginResult, error) {
	if !s.SignedIn() {
		return nil, ErrNoSession
	}
	to, err := h.completeTo(r, in, s)
	if err != nil {
		return nil, err
	}
	return &gen.LoginResult{Status: gen.LoginResultStatusComplete, RedirectTo: &to}, nil
}

// completeTo is where the browser goes to finish: the client's redirect
// URI with the code, or first the hosted preference centre when the user
// owes privacy decisions (PrivacyOwed), which then completes the request.
func (h *Flow) completeTo(r *http.Request, in *oidc.Interaction, s *oauth.Session) (string, error) {
	owed, err := h.PrivacyOwed(r, in, s.UserID)
	if err != nil {
		return "", err
	}
	if len(owed) > 0 {
		// Absolute: the app sends the browser there like to any redirect.
		return in.Tenant.Issuer + "/account/privacy?authRequestID=" + url.QueryEscape(in.Request.ID), nil
	}
	return h.p.CompleteURL(r.Context(), in, s)
}

// FailResult answers the request with the error code, as the API
// answers it.
func (h *Flow) FailResult(r *http.Request, in *oidc.Interaction, code string) (*gen.LoginResult, error) {
	to, err := h.p.FailURL(r.Context(), in, code)
	if err != nil {
		return nil, err
	}
	return &gen.LoginResult{Status: gen.LoginResultStatusComplete, RedirectTo: &to}, nil
}

// Next says what comes next for a session on a request, as the login
// API answers it: the second factor the session still lacks, a password
// change (403, on the hosted page), consent, or the client's redirect.
// Within the enrolment grace period the answer goes on and carries the
// prompt to enrol.
func (h *Flow) Next(r *http.Request, in *oidc.Interaction, acct *Account) (*gen.LoginResult, error) {
	need, err := h.MFANeeded(r, in, acct.Session, acct.User)
	if err != nil {
		return nil, err
	}
	var prompt *gen.LoginMFAPrompt
	if need != nil {
		if prompt, err = h.MFAPrompt(r, in.Tenant, acct.User, need); err != nil {
			return nil, err
		}
		if need.Blocking() {
			h.Record(r, in.Tenant, events.LoginChallenged, acct.User.ID,
				map[string]any{"client_id": in.Client.ID, "acr": need.Want, "enrol": need.Enrol, "api": true})
			return &gen.LoginResult{Status: gen.LoginResultStatusMfaRequired, Mfa: prompt}, nil
		}
	}
	if err := h.PasswordChangeGate(r, in, acct.Session); err != nil {
		return nil, err
	}
	if !acct.Session.SignedIn() {
		return nil, ErrNoSession
	}
	if orgs, err := h.OrganizationPrompt(r, in, acct.Session.UserID); orgs != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return &gen.LoginResult{Status: gen.LoginResultStatusOrganizationRequired, Organizations: orgs, Mfa: prompt}, nil
	}
	return h.AfterOrganization(r, in, acct, prompt)
}

// AfterOrganization says what comes next for a signed-in request whose
// organization is settled: consent, or the client's redirect.
func (h *Flow) AfterOrganization(r *http.Request, in *oidc.Interaction, acct *Account, prompt *gen.LoginMFAPrompt) (*gen.LoginResult, error) {
	consent, err := h.p.NeedsConsent(r.Context(), in, acct.Session.UserID)
	if err != nil {
		return nil, err
	}
	if consent {
		return &gen.LoginResult{Status: gen.LoginResultStatusConsentRequired, Consent: consentPrompt(in), Mfa: prompt}, nil
	}
	to, err := h.completeTo(r, in, acct.Session)
	if err != nil {
		return nil, err
	}
	return &gen.LoginResult{Status: gen.LoginResultStatusComplete, RedirectTo: &to, Mfa: prompt}, nil
}

func consentPrompt(in *oidc.Interaction) *gen.LoginConsentPrompt {
	p := &gen.LoginConsentPrompt{ClientName: ClientName(in.Client), Scopes: in.Request.Scopes}
	if logo := HTTPSURL(in.Client.LogoURI); logo != "" {
		p.LogoURI = &logo
	}
	return p
}

// MFAPrompt describes need to the app: the class, and the user's methods
// (a passkey first) unless they must enrol.
func (h *Flow) MFAPrompt(r *http.Request, t *tenancy.Tenant, u *identity.User, need *authn.Need) (*gen.LoginMFAPrompt, error) {
	p := &gen.LoginMFAPrompt{
		RequiredAcr: gen.LoginMFAPromptRequiredAcrUrnGatehouseAcrMfa, Enrol: need.Enrol, GraceUntil: need.GraceUntil,
		Methods: []gen.LoginMFAMethod{},
	}
	if need.Want == factor.ACRPhishingResistant {
		p.RequiredAcr = gen.LoginMFAPromptRequiredAcrPhr
	}
	if need.Enrol {
		return p, nil
	}
	codes, webauthn, err := h.CodeMethods(r, t, u, need)
	if err != nil {
		return nil, err
	}
	if webauthn {
		p.Methods = append(p.Methods, gen.LoginMFAMethodWebauthn)
	}
	for _, m := range codes {
		p.Methods = append(p.Methods, gen.LoginMFAMethod(m))
	}
	return p, nil
}

// OrganizationPrompt is the login API's organization picker: the user's
// organizations when the client signs people in for one and the request
// names none (nil when there is nothing to pick: one organization, or
// the request is scoped already). A user in none, for a client that
// requires one, is oidc.ErrNoOrganization (403).
func (h *Flow) OrganizationPrompt(r *http.Request, in *oidc.Interaction, userID string) (*gen.LoginOrganizationPrompt, error) {
	choices, err := h.p.OrganizationChoices(r.Context(), in, userID)
	if err != nil || len(choices) == 0 {
		return nil, err
	}
	p := &gen.LoginOrganizationPrompt{Optional: in.OrganizationUsage == oauth.OrganizationOptional,
		Choices: make([]gen.LoginOrganizationChoice, len(choices))}
	for i, o := range choices {
		p.Choices[i] = gen.LoginOrganizationChoice{ID: o.ID, Name: o.Name, DisplayName: o.DisplayName}
	}
	return p, nil
}
