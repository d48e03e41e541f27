package loginapi

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The headless password recovery API (tag login): the pages' behaviour,
// answered with JSON. It signs nobody in, so it needs no authorization
// request and no first-party client.

var errRecoveryOffAPI = httpx.NotFound("Password recovery is not enabled.")

// maxPasswordLen is the contract's maxLength of a password.
const maxPasswordLen = 1024

// Recover is startPasswordRecovery; ops.go answers with its result.
func (h *steps) Recover(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.PasswordRecoveryRequest) error {
	return loginflow.Problem(h.apiRecover(r, t, req))
}

// Reset is resetPassword; ops.go answers with its result.
func (h *steps) Reset(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, req gen.PasswordResetRequest) error {
	return loginflow.Problem(h.apiReset(r, t, req))
}

func (h *steps) apiRecover(r *http.Request, t *tenancy.Tenant, req gen.PasswordRecoveryRequest) error {
	if h.recovery == nil {
		return errRecoveryOffAPI
	}
	if err := h.LimitIP(r, "recover"); err != nil {
		return loginflow.LimitedProblem(err)
	}
	if err := h.LimitAddress(r, t, "recover", loginflow.NormalizedAddress(req.Email), loginflow.LimitPerAddress); err != nil {
		return loginflow.LimitedProblem(err)
	}
	id := ""
	if req.AuthRequestID != nil {
		id = *req.AuthRequestID
	}
	h.StartRecovery(r, t, req.Email, id, loginflow.Lang(nil, r))
	return nil
}

func (h *steps) apiReset(r *http.Request, t *tenancy.Tenant, req gen.PasswordResetRequest) error {
	if h.recovery == nil {
		return errRecoveryOffAPI
	}
	if err := h.LimitIP(r, "reset"); err != nil {
		return loginflow.LimitedProblem(err)
	}
	if n := utf8.RuneCountInString(req.NewPassword); n < 1 || n > maxPasswordLen {
		return httpx.Validation("The request body is invalid.",
			httpx.FieldError{Field: "/new_password", Message: "must be 1 to 1024 characters"})
	}
	var proof accounts.ResetProof
	switch {
	case req.Token != nil && req.Email == nil && req.Code == nil:
		proof.Token = *req.Token
		if proof.Token == "" {
			return errInvalidVerification
		}
		if err := h.LimitToken(r, t, "reset", proof.Token); err != nil {
			return loginflow.LimitedProblem(err)
		}
	case req.Token == nil && req.Email != nil && req.Code != nil:
		proof.Email, proof.Code = strings.TrimSpace(*req.Email), *req.Code
		if err := h.LimitAddress(r, t, "reset", loginflow.NormalizedAddress(proof.Email), loginflow.LimitVerifyPerAddress); err != nil {
			return loginflow.LimitedProblem(err)
		}
	default:
		return httpx.Validation("Send either email and code, or token.")
	}
	_, err := h.recovery.Reset(r.Context(), h.Target(r, t), h.PasswordReset(t, proof, req.NewPassword, loginflow.Lang(nil, r)))
	var ve *identity.ValidationError
	switch {
	case errors.As(err, &ve):
		fields := make([]httpx.FieldError, 0, len(ve.Errors))
		for _, fe := range ve.Errors {
			fields = append(fields, httpx.FieldError{Field: "/new_password", Message: fe.Message})
		}
		return httpx.Validation("The new password is not allowed.", fields...)
	case errors.Is(err, accounts.ErrInvalidCode) || errors.Is(err, accounts.ErrInvalidLink):
		return errInvalidVerification
	case err != nil:
		return err
	}
	return nil
}
