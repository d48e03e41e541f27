package loginapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The headless registration and verification API (tag login): the pages'
// behaviour, answered with JSON, for first-party apps.

// TypeInvalidVerification is the problem type of every failed code or link.
const TypeInvalidVerification = "urn:gatehouse:problem:invalid-verification"

var errRegistrationOffAPI = httpx.NotFound("Self-service registration is not enabled.")

// validationProblem turns field errors into the 400 validation problem.
func validationProblem(ve *identity.ValidationError) error {
	fields := make([]httpx.FieldError, 0, len(ve.Errors))
	for _, fe := range ve.Errors {
		f := fe.Field
		if f == "/terms" {
			f = "/accept_terms"
		}
		fields = append(fields, httpx.FieldError{Field: f, Message: fe.Message})
	}
	return httpx.Validation("The registration is invalid.", fields...)
}

// TypeInvalidInvitation is the problem type of an invitation token that
// is unknown, used, expired or another tenant's.
const TypeInvalidInvitation = "urn:gatehouse:problem:invalid-invitation"

var (
	errInvalidInvitation = httpx.NewProblem(http.StatusBadRequest, TypeInvalidInvitation, "Invalid invitation",
		"The invitation is not valid, has expired or was already used.")
	errInvitedAccountExists = httpx.Conflict("The invited address already has an account: accept the invitation " +
		"on its page by signing in with it.")
)

// Register is registerUser; ops.go answers with its result: a
// RegistrationResult (202), or for an invitation a VerificationResult
// (200).
func (h *steps) Register(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.RegistrationRequest) (*gen.RegistrationResult, *gen.VerificationResult, error) {
	if req.Invitation != nil {
		res, err := h.apiRegisterInvited(w, r, t, req)
		if err != nil {
			return nil, nil, loginflow.Problem(err)
		}
		return nil, res, nil
	}
	if err := h.apiRegister(r, t, req); err != nil {
		return nil, nil, loginflow.Problem(err)
	}
	return &gen.RegistrationResult{Status: gen.RegistrationResultStatusVerificationSent}, nil, nil
}

// Verify is verifyEmail; ops.go answers with its result.
func (h *steps) Verify(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.VerificationRequest) (gen.VerificationResult, error) {
	return result(h.apiVerify(w, r, t, req))
}

func (h *steps) apiRegister(r *http.Request, t *tenancy.Tenant, req gen.RegistrationRequest) error {
	service := h.Registration(t)
	if service == nil {
		return errRegistrationOffAPI
	}
	if err := h.LimitIP(r, "register"); err != nil {
		return loginflow.LimitedProblem(err)
	}
	in, err := h.p.Interaction(r.Context(), t, req.AuthRequestID)
	if err != nil {
		return err
	}
	if !in.FirstParty {
		return loginflow.ErrNotFirstParty
	}
	if err := h.LimitAddress(r, t, "register", loginflow.NormalizedAddress(req.Email), loginflow.LimitPerAddress); err != nil {
		return loginflow.LimitedProblem(err)
	}
	err = service.Register(r.Context(), h.Target(r, t), registration(r, in, req))
	var ve *identity.ValidationError
	if errors.As(err, &ve) {
		return validationProblem(ve)
	}
	return err
}

// apiRegisterInvited is registerUser with an invitation into an
// organization: the tenant's registration switches do not apply (the
// invitation is its permission), the address must be the invited one,
// and the registered user is signed in at once.
func (h *steps) apiRegisterInvited(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.RegistrationRequest) (*gen.VerificationResult, error) {
	if h.verifier == nil {
		return nil, errRegistrationOffAPI
	}
	if err := h.LimitIP(r, "register"); err != nil {
		return nil, loginflow.LimitedProblem(err)
	}
	in, err := h.p.Interaction(r.Context(), t, req.AuthRequestID)
	if err != nil {
		return nil, err
	}
	if !in.FirstParty {
		return nil, loginflow.ErrNotFirstParty
	}
	ctx, tg := r.Context(), h.Target(r, t)
	inv, _, err := h.verifier.OrgInvitation(ctx, t, *req.Invitation)
	if errors.Is(err, accounts.ErrInvalidLink) {
		return nil, errInvalidInvitation
	}
	if err != nil {
		return nil, err
	}
	if err := h.LimitAddress(r, t, "register", loginflow.NormalizedAddress(inv.Email), loginflow.LimitPerAddress); err != nil {
		return nil, loginflow.LimitedProblem(err)
	}
	// The address is the invitation's: another one is refused, never used.
	if email, err := identity.NormalizeEmail(req.Email); err != nil || !strings.EqualFold(email, inv.Email) {
		return nil, httpx.Validation("The registration is invalid.",
			httpx.FieldError{Field: "/email", Message: "must be the address the invitation was sent to"})
	}
	u, _, err := h.verifier.RegisterInvited(ctx, tg, *req.Invitation, registration(r, in, req))
	var ve *identity.ValidationError
	switch {
	case errors.As(err, &ve):
		return nil, validationProblem(ve)
	case errors.Is(err, accounts.ErrInvalidLink):
		return nil, errInvalidInvitation
	case errors.Is(err, accounts.ErrInvitedAccountExists):
		return nil, errInvitedAccountExists
	case err != nil:
		return nil, err
	}
	return h.apiAfterVerify(w, r, t, &accounts.Verified{User: u, AuthRequestID: in.Request.ID})
}

// registration is the accounts.Registration of req, for in.
func registration(r *http.Request, in *oidc.Interaction, req gen.RegistrationRequest) accounts.Registration {
	reg := accounts.Registration{
		Email: req.Email, Password: req.Password, AcceptedTerms: req.AcceptTerms,
		AuthRequestID: in.Request.ID, Lang: loginflow.Lang(in.Request.UILocales, r).String(),
	}
	if req.GivenName != nil {
		reg.GivenName = *req.GivenName
	}
	if req.AcceptTermsVersion != nil {
		reg.AcceptedTermsVersion = *req.AcceptTermsVersion
	}
	if req.FamilyName != nil {
		reg.FamilyName = *req.FamilyName
	}
	if req.Attributes != nil {
		reg.Attributes = *req.Attributes
	}
	if req.Purposes != nil {
		reg.Purposes = *req.Purposes
	}
	if req.Region != nil {
		reg.Region = *req.Region
	}
	reg.UserAgent = r.UserAgent()
	return reg
}

var errInvalidVerification = httpx.NewProblem(http.StatusBadRequest, TypeInvalidVerification, "Invalid verification",
	"The code or link is not valid, has expired or was already used.")

func (h *steps) apiVerify(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.VerificationRequest) (*gen.VerificationResult, error) {
	if h.verifier == nil {
		return nil, errRegistrationOffAPI
	}
	if err := h.LimitIP(r, "verify"); err != nil {
		return nil, loginflow.LimitedProblem(err)
	}
	ctx := r.Context()
	tg := h.Target(r, t)
	var done *accounts.Verified
	var err error
	switch {
	case req.Token != nil && req.Email == nil && req.Code == nil:
		done, err = h.verifier.VerifyLink(ctx, tg, *req.Token)
	case req.Token == nil && req.Email != nil && req.Code != nil:
		if err := h.LimitAddress(r, t, "verify", loginflow.NormalizedAddress(*req.Email), loginflow.LimitVerifyPerAddress); err != nil {
			return nil, loginflow.LimitedProblem(err)
		}
		done, err = h.verifier.VerifyCode(ctx, tg, strings.TrimSpace(*req.Email), *req.Code)
	default:
		return nil, httpx.Validation("Send either email and code, or token.")
	}
	if errors.Is(err, accounts.ErrInvalidCode) || errors.Is(err, accounts.ErrInvalidLink) {
		return nil, errInvalidVerification
	}
	if err != nil {
		return nil, err
	}
	return h.apiAfterVerify(w, r, t, done)
}

// apiAfterVerify is afterVerify for the API: only a first-party client's
// request is continued here; any other answers "verified" and the app
// sends the browser back through /authorize.
func (h *steps) apiAfterVerify(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, done *accounts.Verified) (*gen.VerificationResult, error) {
	verified := gen.VerificationResult{Status: gen.VerificationResultStatusVerified}
	u := done.User
	if u.Disabled || u.Locked(h.Now()) {
		return &verified, nil
	}
	in, err := h.p.Interaction(r.Context(), t, done.AuthRequestID)
	if err != nil && !errors.Is(err, oidc.ErrUnknownRequest) {
		return nil, err
	}
	clientID := ""
	if in != nil {
		clientID = in.Client.ID
	}
	s, err := h.StartSession(w, r, t, u, clientID)
	if err != nil {
		return nil, err
	}
	if in == nil || !in.FirstParty {
		return &verified, nil
	}
	if in.Request.UserID != "" && in.Request.UserID != u.ID {
		to, err := h.p.FailURL(r.Context(), in, oidc.RefuseLoginRequired)
		if err != nil {
			return nil, err
		}
		return &gen.VerificationResult{Status: gen.VerificationResultStatusComplete, RedirectTo: &to}, nil
	}
	// Verifying the address is no second factor: the request goes on as
	// after a password.
	next, err := h.Next(r, in, &loginflow.Account{Session: s, User: u})
	if err != nil {
		return nil, err
	}
	return &gen.VerificationResult{
		Status: gen.VerificationResultStatus(next.Status), RedirectTo: next.RedirectTo, Consent: next.Consent, Mfa: next.Mfa,
	}, nil
}
