package loginflow

import (
	"context"
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/sessions"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"golang.org/x/text/language"
)

// StartRecovery sends the reset mail after the answer.
func (h *Flow) StartRecovery(r *http.Request, t *tenancy.Tenant, email, authRequestID string, lang language.Tag) {
	h.recovery.RecoverDetached(r.Context(), h.Target(r, t), accounts.Recovery{
		Email: email, ResetURL: ResetURL(t), AuthRequestID: authRequestID, Lang: lang.String(),
	})
}

// PasswordReset is a reset that signs the user out everywhere.
func (h *Flow) PasswordReset(t *tenancy.Tenant, proof accounts.ResetProof, pw string, lang language.Tag) accounts.PasswordReset {
	return accounts.PasswordReset{
		Proof: proof, NewPassword: pw, Lang: lang.String(), SecureURL: t.Issuer + "/recover",
		Revoke: func(ctx context.Context, userID string) error {
			_, _, err := h.p.RevokeUserTokens(ctx, t, userID, true)
			return err
		},
	}
}

// Registration is the registration service for tenant t, or nil when
// Registration is off app-wide or for the tenant.
func (h *Flow) Registration(t *tenancy.Tenant) *accounts.Service {
	if h.onboarding == nil || t.Onboarding.RegistrationDisabled {
		return nil
	}
	return h.onboarding
}

// Target is where the tenant's verification links point, and who asks.
func (h *Flow) Target(r *http.Request, t *tenancy.Tenant) accounts.Target {
	return accounts.Target{Scope: t, Name: TenantName(t), VerifyURL: t.Issuer + "/verify", IP: sessions.ClientIP(r)}
}

// TenantName is the name the tenant's pages and mails show: its display
// name, else its slug ("Gatehouse" for none).
func TenantName(t *tenancy.Tenant) string {
	switch {
	case t == nil:
		return "Gatehouse"
	case t.DisplayName != "":
		return t.DisplayName
	}
	return t.Slug
}

// SendVerification mails u a fresh verification code and link after a
// sign-in refused by authn.ErrEmailUnverified. It is limited per address (as
// the verify page's resend) and by the service's resend cooldown; a
// refusal by either sends nothing and is not an error: the page says the
// same either way.
func (h *Flow) SendVerification(r *http.Request, t *tenancy.Tenant, u *identity.User, in *oidc.Interaction) error {
	if h.verifier == nil {
		return nil
	}
	if err := h.LimitAddress(r, t, "resend", NormalizedAddress(u.Email), LimitPerAddress); err != nil {
		var el *LimitedError
		if errors.As(err, &el) {
			return nil
		}
		return err
	}
	var id, lang string
	if in != nil {
		id, lang = in.Request.ID, Lang(in.Request.UILocales, r).String()
	} else {
		lang = Lang(nil, r).String()
	}
	return h.verifier.Resend(r.Context(), h.Target(r, t), u.Email, id, lang)
}
