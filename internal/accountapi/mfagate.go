package accountapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The hosted login creates the session right after the password, and a
// sign-in that still owes a step (the second factor, a risk challenge, a
// password change) leaves it on the session (oauth.Session.Pending) until
// the step is passed. Until then the session must not reach the account
// API, or the password alone would change the email, the password or the
// very factors that protect the account.

// enrolOps are the operations that enrol a factor: a session whose
// sign-in owes the user's first factor enrols it here (the headless
// login's enrolment), then answers a challenge with it.
var enrolOps = []string{
	"startMyTOTPEnrolment", "confirmMyTOTPEnrolment", "startMyWebAuthnRegistration", "finishMyWebAuthnRegistration",
	"startTenantMyTOTPEnrolment", "confirmTenantMyTOTPEnrolment", "startTenantMyWebAuthnRegistration", "finishTenantMyWebAuthnRegistration",
}

// sessionOwes refuses a session that still owes a step of its sign-in,
// with one exception: a sign-in that owes only the second factor of a
// user who has none yet may enrol one (op in enrolOps), as on the hosted
// enrolment page. A risk challenge or a password change is never passed
// here, and a user with a factor answers with it, on the login.
func (c *authenticator) sessionOwes(ctx context.Context, t *tenancy.Tenant, s *oauth.Session, op string) error {
	if s.SignedIn() {
		return nil
	}
	if c.mfa != nil && slices.Contains(enrolOps, op) && onlyFactorOwed(s) {
		has, err := c.mfa.HasFactor(ctx, mfa.Target{Tenant: t.Tenant, Store: t.Store, Issuer: t.Issuer}, s.UserID)
		if err != nil {
			return httpx.Internal(err)
		}
		if !has {
			return nil
		}
	}
	p := httpx.Unauthorized("This session has not finished signing in (a second factor, a security check or a password change is still due): finish signing in first.")
	p.Header.Set("WWW-Authenticate", `Bearer realm="gatehouse", error="insufficient_user_authentication", error_description="The sign-in is not complete"`)
	return p
}

// onlyFactorOwed reports whether s owes nothing but a second factor.
func onlyFactorOwed(s *oauth.Session) bool {
	for _, st := range s.Pending {
		if st != oauth.StepSecondFactor && st != oauth.StepPhishingResistant {
			return false
		}
	}
	return true
}

// requireSecondFactor refuses to change the factors of a user who has one
// unless the token (or session) reached the mfa class: whoever holds only
// the password must not swap the factor for their own (RFC 9470 step-up:
// the client asks again with acr_values).
func (a *base) requireSecondFactor(ctx context.Context, tg mfa.Target, acct *account, userID string) error {
	if tg.Tenant.MFA.Mode == factor.ModeOff || factor.Satisfies(acct.token.ACR, []string{factor.ACRMFA}) {
		return nil
	}
	enrolled, err := a.mfa.HasFactor(ctx, tg, userID)
	if err != nil {
		return httpx.Internal(err)
	}
	if !enrolled {
		return nil
	}
	p := httpx.NewProblem(http.StatusForbidden, httpx.TypeReauthenticationRequired, "Reauthentication required",
		"Sign in with your second factor: changing your second factors needs it.")
	p.Header = http.Header{"Www-Authenticate": {`Bearer realm="gatehouse", error="insufficient_user_authentication", ` +
		`error_description="A second factor is required", acr_values="` + factor.ACRMFA + `"`}}
	return p
}
