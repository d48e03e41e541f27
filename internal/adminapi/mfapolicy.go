package adminapi

import (
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
)

// MFAPolicyJSON renders a tenant's MFA policy with every member, the
// defaults spelled out.
func MFAPolicyJSON(p *identity.MFAPolicy) gen.MFAPolicy {
	mode := p.Mode
	if mode == "" {
		mode = identity.MFAModeOptional
	}
	grace := ""
	if p.GracePeriod > 0 {
		grace = time.Duration(p.GracePeriod).String()
	}
	uv := gen.WebAuthnPolicyUserVerification(p.WebAuthn.UserVerification)
	return gen.MFAPolicy{
		Mode: ptrTo(gen.MFAPolicyMode(mode)), RequiredRoles: ptrTo(restapi.NonNil(p.RequiredRoles)),
		RequiredClients: ptrTo(restapi.NonNil(p.RequiredClients)), PhishingResistantRoles: ptrTo(restapi.NonNil(p.PhishingResistantRoles)),
		GracePeriod: &grace, AllowEmailOtp: ptrTo(p.AllowEmailOTP), AllowSms: ptrTo(p.AllowSMS),
		SmsWebhookURL: ptrTo(p.SMSWebhookURL), RememberDeviceDays: ptrTo(p.RememberDeviceDays),
		TrustUpstreamMfa: ptrTo(p.TrustUpstreamMFA),
		Webauthn: &gen.WebAuthnPolicy{
			RpID: ptrTo(p.WebAuthn.RPID), RpOrigins: ptrTo(restapi.NonNil(p.WebAuthn.RPOrigins)), RpName: ptrTo(p.WebAuthn.RPName),
			RequireAttestation: ptrTo(p.WebAuthn.RequireAttestation), UserVerification: &uv,
		},
	}
}

func ptrTo[T any](v T) *T { return &v }

// applyMFAPolicy merges an MFA policy object: members present replace.
// When the mode starts requiring MFA, the grace period of users without
// a factor starts now (EnforcedSince).
func applyMFAPolicy(dst *identity.MFAPolicy, in *gen.MFAPolicy, now time.Time) error {
	if in == nil {
		return nil
	}
	if in.Mode != nil {
		requires := func(m string) bool { return m == identity.MFAModeRequired || m == identity.MFAModeConditional }
		if !requires(dst.Mode) && requires(string(*in.Mode)) {
			t := now.UTC()
			dst.EnforcedSince = &t
		}
		dst.Mode = string(*in.Mode)
	}
	set(&dst.RequiredRoles, in.RequiredRoles)
	set(&dst.RequiredClients, in.RequiredClients)
	set(&dst.PhishingResistantRoles, in.PhishingResistantRoles)
	if in.GracePeriod != nil {
		d := time.Duration(0)
		if *in.GracePeriod != "" {
			var err error
			if d, err = time.ParseDuration(*in.GracePeriod); err != nil || d < 0 {
				return httpx.Validation("The grace period is not valid.",
					httpx.FieldError{Field: "/mfa/grace_period", Message: "must be a non-negative duration such as 168h"})
			}
		}
		dst.GracePeriod = identity.Duration(d)
	}
	set(&dst.AllowEmailOTP, in.AllowEmailOtp)
	set(&dst.AllowSMS, in.AllowSms)
	set(&dst.SMSWebhookURL, in.SmsWebhookURL)
	set(&dst.RememberDeviceDays, in.RememberDeviceDays)
	set(&dst.TrustUpstreamMFA, in.TrustUpstreamMfa)
	if w := in.Webauthn; w != nil {
		set(&dst.WebAuthn.RPID, w.RpID)
		set(&dst.WebAuthn.RPOrigins, w.RpOrigins)
		set(&dst.WebAuthn.RPName, w.RpName)
		set(&dst.WebAuthn.RequireAttestation, w.RequireAttestation)
		if w.UserVerification != nil {
			dst.WebAuthn.UserVerification = string(*w.UserVerification)
		}
	}
	return nil
}

// set replaces *dst with *v when v is present.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
