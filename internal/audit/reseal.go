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
