package loginflow

import (
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// TypePasswordChangeRequired is the problem type of a correct sign-in
// whose password must be changed first, on the hosted page.
const TypePasswordChangeRequired = "urn:gatehouse:problem:password-change-required"

// mustChangePassword reports whether the user is flagged.
func (h *Flow) mustChangePassword(r *http.Request, t *tenancy.Tenant, userID string) (bool, error) {
	return h.authn.MustChangePassword(r.Context(), h.AuthnRequest(nil, r, t, ""), userID)
}

// OwesPassword reports whether session s must change the password before
// it goes on: it owes the change, or its user was flagged since it began
// (a breached password found at another sign-in).
func (h *Flow) OwesPassword(r *http.Request, t *tenancy.Tenant, s *oauth.Session) (bool, error) {
	if h.recovery == nil {
		return false, nil
	}
	if s.Owes(oauth.StepPasswordChange) {
		return true, nil
	}
	return h.mustChangePassword(r, t, s.UserID)
}

// PasswordChangeGate refuses a headless sign-in that must change the
// password: the change happens on the hosted page.
func (h *Flow) PasswordChangeGate(r *http.Request, in *oidc.Interaction, s *oauth.Session) error {
	must, err := h.OwesPassword(r, in.Tenant, s)
	if !must || err != nil {
		return err
	}
	return httpx.NewProblem(http.StatusForbidden, TypePasswordChangeRequired, "Password change required",
		"The password must be changed first: continue on the hosted login page at "+PasswordURL(in)+" in the same browser.")
}
