package oidc

import (
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// ACRValuesSupported is discovery's acr_values_supported.
var ACRValuesSupported = []string{factor.ACRPassword, factor.ACRMFA, factor.ACRPhishingResistant, factor.ACRPhishingResistantURN}

// RequiredACR is the class the request's acr_values demand: the weakest
// value it names that the provider knows (acr_values lists what the
// client accepts), with the phr URN normalised to ACRPhishingResistant;
// "" when it names none.
func (in *Interaction) RequiredACR() string {
	if factor.Satisfies("", in.Request.ACRValues) { // no class the provider knows
		return ""
	}
	for _, v := range []string{factor.ACRPassword, factor.ACRMFA} {
		if factor.Satisfies(v, in.Request.ACRValues) {
			return v
		}
	}
	return factor.ACRPhishingResistant
}

// NeedsStepUp reports whether the session signed in, but with less than
// the request's acr_values demand: it needs only the missing factor, not
// a new sign-in.
func (in *Interaction) NeedsStepUp(s *oauth.Session) bool {
	return s != nil && !factor.Satisfies(s.ACR, in.Request.ACRValues)
}

// ACRFor is the class a session reached with the methods in amr (RFC
// 8176 values).
func ACRFor(amr []string) string { return factor.ACRFor(amr) }
