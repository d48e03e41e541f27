package management

import (
	"context"
	"net/http"

	dmfa "github.com/gatehouse-iam/gatehouse/internal/domain/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/provider"
)

// The hosted login creates the session right after the password and adds
// the second factor to it when the user answers. Until then the session
// must not reach the account API, or the password alone would change the
// email, the password or the very factors that protect the account.

// sessionOwesFactor refuses a session that has not reached the mfa class
// while its user has enrolled a factor (in a tenant with MFA on). A
// remembered device does not count here: it stands in for the factor at
// sign-in only.
func (c *contract) sessionOwesFactor(ctx context.Context, t *provider.Tenant, acr, userID string) error {
	if c.mfa == nil || t.MFA.Mode == dmfa.ModeOff || dmfa.Satisfies(acr, []string{dmfa.ACRMFA}) {
		return nil
	}
	enrolled, err := c.mfa.HasFactor(ctx, mfa.Target{Tenant: t.Tenant, Store: t.Store, Issuer: t.Issuer}, userID)
	if err != nil {
		return httpx.Internal(err)
	}
	if !enrolled {
		return nil
	}
	p := httpx.Unauthorized("This session has not completed the second factor: finish signing in first.")
	p.Header.Set("WWW-Authenticate", `Bearer realm="gatehouse", error="insufficient_user_authentication", acr_values="`+dmfa.ACRMFA+`"`)
	return p
}

// requireSecondFactor refuses to change the factors of a user who has one
// unless the token (or session) reached the mfa class: whoever holds only
// the password must not swap the factor for their own (RFC 9470 step-up:
// the client asks again with acr_values).
func (a *API) requireSecondFactor(ctx context.Context, tg mfa.Target, acct *account, userID string) error {
	if tg.Tenant.MFA.Mode == dmfa.ModeOff || dmfa.Satisfies(acct.token.ACR, []string{dmfa.ACRMFA}) {
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
		`error_description="A second factor is required", acr_values="` + dmfa.ACRMFA + `"`}}
	return p
}
