package federation

import (
	"encoding/json"
	"errors"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// secretsPurpose is the keyring purpose of connections' secrets; the
// associated data binds a sealed value to its tenant and connection, so a
// value copied to another row does not open.
const secretsPurpose = "connection-secrets"

// Secrets are a connection's write-only settings, stored sealed
// (store.Connection.SecretsSealed) and never returned by the API.
type Secrets struct {
	ClientSecret  string `json:"client_secret,omitempty"`
	BindPassword  string `json:"bind_password,omitempty"`
	PrivateKeyPEM string `json:"private_key_pem,omitempty"`
}

// Empty reports whether no secret is set.
func (s Secrets) Empty() bool { return s == Secrets{} }

// Names lists the secrets that are set, by their API names.
func (s Secrets) Names() []string {
	var out []string
	if s.ClientSecret != "" {
		out = append(out, "client_secret")
	}
	if s.BindPassword != "" {
		out = append(out, "bind_password")
	}
	if s.PrivateKeyPEM != "" {
		out = append(out, "private_key_pem")
	}
	return out
}

// String keeps secrets out of logs and %v.
func (s Secrets) String() string { return "federation.Secrets{…}" }

// GoString is String for %#v.
func (s Secrets) GoString() string { return s.String() }

// SealSecrets seals s for the connection (nil when s is empty).
func SealSecrets(k *secret.Keyring, tenantID, connectionID string, s Secrets) ([]byte, error) {
	if s.Empty() {
		return nil, nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return k.Seal(secretsPurpose, b, []byte(tenantID+"/"+connectionID))
}

// OpenSecrets opens a connection's sealed secrets (none when nil).
func OpenSecrets(k *secret.Keyring, c *store.Connection) (Secrets, error) {
	var s Secrets
	if len(c.SecretsSealed) == 0 {
		return s, nil
	}
	b, err := k.Open(secretsPurpose, c.SecretsSealed, []byte(c.TenantID+"/"+c.ID))
	if err != nil {
		return s, errors.New("federation: the connection's secrets do not open with this keyring")
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, errors.New("federation: the connection's secrets are unreadable")
	}
	return s, nil
}

// ResealSecrets returns a connection's sealed secrets
// (store.SealedConnectionSecrets) sealed under the keyring's current
// master key, for a master-key rotation; changed is false when they
// already were.
func ResealSecrets(k *secret.Keyring, v store.SealedValue) (next []byte, changed bool, err error) {
	return k.Reseal(secretsPurpose, v.Value, []byte(v.TenantID+"/"+v.ID))
}
