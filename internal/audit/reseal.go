package audit

import (
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// ResealSecret returns a stored webhook secret (store.SealedWebhookSecrets)
// sealed under the keyring's current master key, for a secret-key
// rotation; changed is false when it already was. The secret itself, which
// receivers hold, does not change.
func ResealSecret(k *secret.Keyring, v store.SealedValue) (next []byte, changed bool, err error) {
	return k.Reseal(secretPurpose, v.Value, []byte(v.TenantID+"/"+v.ID))
}

// ResealUserKey returns a user's sealed data key (store.SealedUserDataKeys)
// sealed under the keyring's current master key, for a secret-key
// rotation. The data key itself, and so every event sealed with it, does
// not change.
func ResealUserKey(k *secret.Keyring, v store.SealedValue) (next []byte, changed bool, err error) {
	return k.Reseal(userKeyPurpose, v.Value, keyAD(v.TenantID, v.ID))
}
