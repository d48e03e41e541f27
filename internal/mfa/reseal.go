package mfa

import (
	"encoding/json"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// ResealFactor returns a stored factor's data (store.SealedMFAFactors) with
// its sealed TOTP secret under the keyring's current master key, for a
// secret-key rotation; changed is false when it already was, and for
// factors that seal nothing. The rest of the data is kept as it is.
func ResealFactor(k *secret.Keyring, v store.SealedValue) (next []byte, changed bool, err error) {
	if v.Type != string(factor.TOTP) {
		return v.Value, false, nil
	}
	var d map[string]json.RawMessage
	if err := json.Unmarshal(v.Value, &d); err != nil {
		return nil, false, err
	}
	var sealed []byte
	if err := json.Unmarshal(d["secret"], &sealed); err != nil {
		return nil, false, err
	}
	sealed, changed, err = k.Reseal(sealTOTP, sealed, ad(v.TenantID, v.UserID))
	if err != nil || !changed {
		return v.Value, false, err
	}
	if d["secret"], err = json.Marshal(sealed); err != nil {
		return nil, false, err
	}
	next, err = json.Marshal(d)
	return next, err == nil, err
}

// ResealChallenge is ResealFactor for a TOTP enrolment in progress
// (store.SealedMFAChallenges); other challenges seal nothing.
func ResealChallenge(k *secret.Keyring, v store.SealedValue) (next []byte, changed bool, err error) {
	if v.Type != kindTOTPEnrol {
		return v.Value, false, nil
	}
	return k.Reseal(sealTOTP, v.Value, ad(v.TenantID, v.UserID))
}
