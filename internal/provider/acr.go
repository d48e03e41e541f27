package provider

import (
	"github.com/gatehouse-iam/gatehouse/internal/domain/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// Authentication context classes (acr), as mfa defines them. A request's
// acr_values name the classes it accepts; the ID token's acr says which
// class the session reached. The classes are ordered: phishing-resistant
// MFA satisfies MFA, which satisfies a password.
const (
	ACRPassword          = mfa.ACRPassword
	ACRMFA               = mfa.ACRMFA
	ACRPhishingResistant = mfa.ACRPhishingResistant
)

// ACRValuesSupported is discovery's acr_values_supported.
var ACRValuesSupported = []string{mfa.ACRPassword, mfa.ACRMFA, mfa.ACRPhishingResistant, mfa.ACRPhishingResistantURN}

// RequiredACR is the class the request's acr_values demand: the weakest
// value it names that the provider knows (acr_values lists what the
// client accepts), with the phr URN normalised to ACRPhishingResistant;
// "" when it names none.
func (in *Interaction) RequiredACR() string {
	if mfa.Satisfies("", in.Request.ACRValues) { // no class the provider knows
		return ""
	}
	for _, v := range []string{mfa.ACRPassword, mfa.ACRMFA} {
		if mfa.Satisfies(v, in.Request.ACRValues) {
			return v
		}
	}
	return mfa.ACRPhishingResistant
}

// NeedsStepUp reports whether the session signed in, but with less than
// the request's acr_values demand: it needs only the missing factor, not
// a new sign-in.
func (in *Interaction) NeedsStepUp(s *oauth.Session) bool {
	return s != nil && !mfa.Satisfies(s.ACR, in.Request.ACRValues)
}

// ACRFor is the class a session reached with the methods in amr (RFC
// 8176 values).
func ACRFor(amr []string) string { return mfa.ACRFor(amr) }
