package keys

import (
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Reseal returns a stored signing key (store.SealedSigningKeys) sealed
// under the keyring's current master key, for a secret-key rotation;
// changed is false when it already was.
func Reseal(k *secret.Keyring, v store.SealedValue) (next []byte, changed bool, err error) {
	return k.Reseal(sealPurpose, v.Value, sealAD(v.TenantID, v.ID))
}
