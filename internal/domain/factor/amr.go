package factor

import "slices"

// AMRFor returns the RFC 8176 "amr" values one use of a factor of type t
// contributes: WebAuthn is "hwk" for a roaming authenticator or "swk" for a
// platform one, plus "user" when the authenticator verified the user; the
// code factors are "otp", and SMS adds "sms".
func AMRFor(t FactorType, userVerified bool, platform bool) []string {
	switch t {
	case WebAuthn:
		out := []string{AMRHardware}
		if platform {
			out[0] = AMRSoftware
		}
		if userVerified {
			out = append(out, AMRUser)
		}
		return out
	case SMS:
		return []string{AMROTP, AMRSMS}
	case TOTP, EmailOTP, Recovery:
		return []string{AMROTP}
	}
	return nil
}

// factorClass groups AMR values into the authentication factor classes
// (something you know, have, are) so that two values of one class do not
// count as multi-factor.
func factorClass(amr string) string {
	switch amr {
	case AMRPassword, "pin", "kba":
		return "know"
	case AMROTP, AMRHardware, AMRSoftware, AMRSMS, "sc", "tel":
		return "have"
	case AMRUser, "fpt", "face", "iris", "retina", "vbm":
		return "are"
	}
	return ""
}

// ACRFor maps what happened (amr values) to the strongest ACR reached:
// two distinct factor classes (password + authenticator, or a WebAuthn
// authenticator that verified the user) are ACRMFA, and "phr" when a
// WebAuthn authenticator (origin-bound, so phishing-resistant) was one of
// them; anything less is ACRPassword.
func ACRFor(amr []string) string {
	if classes(amr) < 2 && !slices.Contains(amr, AMRMFA) {
		return ACRPassword
	}
	if slices.Contains(amr, AMRHardware) || slices.Contains(amr, AMRSoftware) {
		return ACRPhishingResistant
	}
	return ACRMFA
}

func classes(amr []string) int {
	seen := map[string]bool{}
	for _, a := range amr {
		if c := factorClass(a); c != "" {
			seen[c] = true
		}
	}
	return len(seen)
}

// acrLevel orders the ACR values: pwd < mfa < phr; unknown values are -1.
func acrLevel(acr string) int {
	switch acr {
	case ACRPassword:
		return 0
	case ACRMFA:
		return 1
	case ACRPhishingResistant, ACRPhishingResistantURN:
		return 2
	}
	return -1
}

// Satisfies reports whether an authentication at ACR have meets a request
// for any of the requested ACR values (phr > mfa > pwd). Unknown requested
// values are ignored; a request of only unknown values (or none) is met.
func Satisfies(have string, requested []string) bool {
	level, known := acrLevel(have), false
	for _, r := range requested {
		l := acrLevel(r)
		if l < 0 {
			continue
		}
		known = true
		if level >= l {
			return true
		}
	}
	return !known
}
