package login

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Self-service registration. The form answers a new and a known address
// with the same "check your inbox" page (the verify page's code form);
// only the mailbox learns which it was (internal/accounts). The
// app-wide switch (GATEHOUSE_REGISTRATION) and the tenant's
// (Onboarding.RegistrationDisabled) both turn the routes off: 404.

// Form names of the onboarding pages (CSRF binding).
const (
	formRegister = "register"
	formVerify   = "verify"
)

func init() {
	loginpage.PageNames = append(loginpage.PageNames, "register", "verify")
}

// registrationService is d.Onboarding when registration is on.
func registrationService(d Deps) *accounts.Service {
	if !d.Registration {
		return nil
	}
	return d.Accounts
}

// mountOnboarding adds the registration and verification routes.
func (h *onboardingHandler) mountOnboarding(page func(string, tenantFunc)) {
	page("GET /register", h.registerPage)
	page("POST /register", h.registerSubmit)
	page("GET /verify", h.verifyPage)
	page("POST /verify", h.verifySubmit)
}

var errRegistrationOff = &loginpage.Error{Status: http.StatusNotFound, Key: "error_not_found"}

// checkPost admits a page's form post: CSRF token and origin of form,
// then one request of step against the client IP's limit.
func (h *base) checkPost(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, form, step string) error {
	if err := h.CheckForm(r, t, form); err != nil {
		return err
	}
	if err := h.LimitIP(r, step); err != nil {
		return limitedPage(w, err)
	}
	return nil
}

// limitedPage answers a page request that hit a rate limit.
func limitedPage(w http.ResponseWriter, err error) error {
	var el *loginflow.LimitedError
	if errors.As(err, &el) {
		ratelimit.WriteRetryAfter(w, el.RetryAfter)
		return &loginpage.Error{Status: http.StatusTooManyRequests, Key: "error_rate_limited"}
	}
	return err
}

// registerForm is the registration form's data; values are echoed after
// a validation error (never the password).
type registerForm struct {
	Action        string
	AuthRequestID string
	Email         string
	GivenName     string
	FamilyName    string
	Terms         bool
	// TermsVersion and TermsURI are the tenant's terms, when it has a
	// version: the checkbox accepts that version and links to the URI.
	TermsVersion string
	TermsURI     string
	// Attributes are the inputs of the tenant's required custom
	// attributes (attributes.go).
	Attributes []loginpage.AttrField
	// Purposes are the tenant's privacy purposes, each a checkbox that is
	// never pre-ticked (only echoed after a validation error); Ticked are
	// the IDs the person ticked.
	Purposes []purposeField
	Ticked   []string
	// Regions are the regions the person may pick to hold their data
	// (the tenant's residency policy is choice); Region is the pick.
	Regions []string
	Region  string
	// Errors are field messages by field name (email, password, …,
	// attributes.<property>).
	Errors    map[string][]string
	SignInURL string
	// Invitation is the token of the organization invitation this form
	// registers the invited address for (orginvite.go), InvitedTo the
	// organization's name; the email field is then locked.
	Invitation string
	InvitedTo  string
}

// purposeField is one privacy purpose on the registration form.
type purposeField struct {
	ID, Name, Description string
	Required, Checked     bool
}

// purposeFields lists the tenant's purposes for the form, ticked as the
// person left them.
func (h *onboardingHandler) purposeFields(ctx context.Context, t *tenancy.Tenant, ticked []string) ([]purposeField, error) {
	if h.onboarding == nil || h.onboarding.Privacy == nil {
		return nil, nil
	}
	ps, err := h.onboarding.Privacy.Purposes(ctx, t)
	if err != nil {
		return nil, err
	}
	out := make([]purposeField, len(ps))
	for i, p := range ps {
		out[i] = purposeField{ID: p.ID, Name: p.Name, Description: p.Description, Required: p.Required,
			Checked: slices.Contains(ticked, p.ID)}
	}
	return out, nil
}

type registerPage struct {
	ClientName string
	Form       registerForm
}

func (h *onboardingHandler) registerPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.Registration(t) == nil {
		return errRegistrationOff
	}
	in, err := h.p.Interaction(r.Context(), t, r.URL.Query().Get("authRequestID"))
	if err != nil {
		return err
	}
	return h.renderRegister(w, r, t, in, registerForm{}, http.StatusOK)
}

// renderRegister renders the registration form, for the authorization
// request of in, which is nil for an invited registration without one.
func (h *onboardingHandler) renderRegister(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, in *oidc.Interaction, f registerForm, status int) error {
	var v *loginpage.View
	clientName := ""
	if in != nil {
		v = h.ViewFor(in, loginflow.Lang(in.Request.UILocales, r))
		f.AuthRequestID = in.Request.ID
		f.SignInURL = loginflow.LoginURL(t, in.Request.ID)
		clientName = loginflow.ClientName(in.Client)
	} else {
		v = h.View(t, loginflow.Lang(nil, r))
	}
	v = h.WithCSRF(w, r, t, v, formRegister)
	f.Action = t.Base + "/register"
	if f.Invitation != "" {
		// An invited registration signs in and may continue the request.
		f.Action = t.Base + orgInviteRegisterPath
		v.AllowRedirectTo(in)
	}
	f.TermsVersion, f.TermsURI = t.Onboarding.TermsVersion, t.Onboarding.TermsURI
	if t.Residency.Mode == identity.ResidencyChoice {
		f.Regions = t.Residency.Regions
	}
	purposes, err := h.purposeFields(r.Context(), t, f.Ticked)
	if err != nil {
		return err
	}
	f.Purposes = purposes
	if f.Attributes == nil {
		f.Attributes = loginpage.AttributeFields(t.AttributeSchema)
	}
	for i := range f.Attributes {
		f.Attributes[i].Errors = f.Errors[f.Attributes[i].Input]
	}
	v.Page = registerPage{ClientName: clientName, Form: f}
	h.Render(w, r, status, "register", "register_title", v)
	return nil
}

func (h *onboardingHandler) registerSubmit(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	if h.Registration(t) == nil {
		return errRegistrationOff
	}
	if err := h.checkPost(w, r, t, formRegister, "register"); err != nil {
		return err
	}
	in, err := h.p.Interaction(r.Context(), t, r.PostForm.Get("authRequestID"))
	if err != nil {
		return err
	}
	f := registerForm{Email: r.PostForm.Get("email")}
	if err := h.LimitAddress(r, t, "register", loginflow.NormalizedAddress(f.Email), loginflow.LimitPerAddress); err != nil {
		return limitedPage(w, err)
	}
	lang := loginflow.Lang(in.Request.UILocales, r)
	reg, attrErrs := readRegistration(r, t, &f, lang)
	reg.AuthRequestID = in.Request.ID
	err = h.onboarding.Register(r.Context(), h.Target(r, t), reg)
	if ve, ok := errors.AsType[*identity.ValidationError](err); ok {
		return h.renderRegister(w, r, t, in, f.withErrors(ve, attrErrs), http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	// The same page for a new and a known address.
	return h.renderVerify(w, r, t, lang, verifyPage{
		Step: verifySent, Email: strings.TrimSpace(f.Email), AuthRequestID: in.Request.ID,
	}, http.StatusOK)
}

// readRegistration reads the posted registration form into f (for
// echoing) and the registration it submits, with f.Email as the address;
// attrErrs are the custom attributes' input errors.
func readRegistration(r *http.Request, t *tenancy.Tenant, f *registerForm, lang language.Tag) (accounts.Registration, map[string][]string) {
	pf := r.PostForm
	f.GivenName, f.FamilyName = pf.Get("given_name"), pf.Get("family_name")
	f.Terms, f.Region = pf.Get("terms") != "", pf.Get("region")
	f.Attributes = loginpage.AttributeFields(t.AttributeSchema)
	attrErrs := map[string][]string{}
	reg := accounts.Registration{
		Email: f.Email, Password: pf.Get("password"), GivenName: f.GivenName, FamilyName: f.FamilyName,
		AcceptedTerms: f.Terms, Lang: lang.String(),
		Attributes: loginpage.ReadAttributes(pf, f.Attributes, attrErrs),
		Purposes:   pf["purpose"], UserAgent: r.UserAgent(), Region: f.Region,
	}
	f.Ticked = reg.Purposes
	if f.Terms {
		// The version the page showed: terms changed since are not accepted.
		reg.AcceptedTermsVersion = pf.Get("terms_version")
	}
	return reg, attrErrs
}

// withErrors is f showing the registration's validation errors and the
// attribute inputs' own.
func (f registerForm) withErrors(ve *identity.ValidationError, attrErrs map[string][]string) registerForm {
	f.Errors = fieldErrors(ve)
	for k, msgs := range attrErrs {
		f.Errors[k] = append(msgs, f.Errors[k]...)
	}
	formLevelAttributeErrors(f.Errors, f.Attributes)
	return f
}

// fieldErrors groups validation messages by field name ("/email" →
// "email"; attribute-schema errors keep their pointer).
func fieldErrors(ve *identity.ValidationError) map[string][]string {
	m := map[string][]string{}
	for _, fe := range ve.Errors {
		name := strings.TrimPrefix(fe.Field, "/")
		switch name {
		case "email", "password", "given_name", "family_name", "terms", "region":
		case "accept_terms_version":
			name = "terms"
		case "purposes":
		default:
			if strings.HasPrefix(name, "purposes/") {
				name = "purposes"
				break
			}
			name = attributeErrorKey(name)
		}
		m[name] = append(m[name], fe.Message)
	}
	return m
}

// formLevelAttributeErrors moves the errors of attributes the page has
// no input for (a required attribute only an administrator may set) to
// the form's own message, so they are not lost.
func formLevelAttributeErrors(errs map[string][]string, fields []loginpage.AttrField) {
	for k, msgs := range errs {
		name, ok := strings.CutPrefix(k, loginpage.AttrPrefix)
		if !ok || slices.ContainsFunc(fields, func(f loginpage.AttrField) bool { return f.Input == k }) {
			continue
		}
		for _, m := range msgs {
			errs["form"] = append(errs["form"], name+": "+m)
		}
		delete(errs, k)
	}
}

// attributeErrorKey is the form key of an error on a top-level attribute
// ("attributes/dept" → "attributes.dept"), else "form".
func attributeErrorKey(pointer string) string {
	prop, ok := strings.CutPrefix(pointer, "attributes/")
	if !ok || prop == "" || strings.Contains(prop, "/") {
		return "form"
	}
	return loginpage.AttrPrefix + strings.NewReplacer("~1", "/", "~0", "~").Replace(prop)
}
