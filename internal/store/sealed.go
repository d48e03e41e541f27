package store

import "context"

// SealedKind names a column that holds data sealed with the master
// keyring (secret.Keyring.Seal), so a master-key rotation can find and
// rewrite every such value. The store knows where the values are; the
// packages that sealed them know how to open them.
type SealedKind string

// The sealed columns.
const (
	// SealedSigningKeys: signing_keys.private, a token-signing private key.
	SealedSigningKeys SealedKind = "signing_keys"
	// SealedWebhookSecrets: webhooks.secret_sealed, a webhook's signing secret.
	SealedWebhookSecrets SealedKind = "webhook_secrets"
	// SealedMFAFactors: mfa_factors.data of every factor (Type is the
	// factor type); a TOTP factor's JSON holds its sealed secret.
	SealedMFAFactors SealedKind = "mfa_factors"
	// SealedMFAChallenges: mfa_challenges.data of every challenge that has
	// data (Type is the kind); a TOTP enrolment's is its sealed secret.
	SealedMFAChallenges SealedKind = "mfa_challenges"
	// SealedIdempotencyResponses: idempotency_records.body, a stored Admin
	// API response (ID is the record's key).
	SealedIdempotencyResponses SealedKind = "idempotency_responses"
	// SealedConnectionSecrets: connections.secrets_sealed, a federation
	// connection's secrets (a JSON document).
	SealedConnectionSecrets SealedKind = "connection_secrets"
	// SealedSAMLCerts: saml_certs.private, a SAML signing private key.
	SealedSAMLCerts SealedKind = "saml_certs"
	// SealedUserDataKeys: user_data_keys.key_sealed, a user's data key
	// for crypto-shredding (ID and UserID are the user's ID). Losing it
	// erases the personal fields of the user's audit events.
	SealedUserDataKeys SealedKind = "user_data_keys"
)

// SealedKinds lists every kind, in the order a rotation walks them.
var SealedKinds = []SealedKind{SealedSigningKeys, SealedWebhookSecrets, SealedMFAFactors, SealedMFAChallenges, SealedIdempotencyResponses,
	SealedConnectionSecrets, SealedSAMLCerts, SealedUserDataKeys}

// SealedValue is one stored value of a SealedKind.
type SealedValue struct {
	TenantID string
	ID       string // the row's ID (an idempotency record's key)
	UserID   string // factors and challenges; "" otherwise
	Type     string // the factor type or challenge kind; "" otherwise
	Value    []byte
}

// SealedRepo reads and rewrites sealed values in place, across tenants,
// for a master-key rotation. It is a maintenance interface: nothing on a
// request path uses it.
type SealedRepo interface {
	// List returns up to limit values of kind, of every tenant, ordered by
	// (TenantID, ID), after the value (afterTenant, afterID); pass "", ""
	// for the first page.
	List(ctx context.Context, kind SealedKind, afterTenant, afterID string, limit int) ([]SealedValue, error)
	// Replace sets the value of (tenantID, id) to next if it still equals
	// old, and reports whether it did: false when another writer changed
	// or deleted the row meanwhile (the caller reads it again). It changes
	// nothing else (no version, no timestamp): the plaintext is the same.
	Replace(ctx context.Context, kind SealedKind, tenantID, id string, old, next []byte) (bool, error)
}

// SealedStore is a store whose sealed values can be rewritten.
type SealedStore interface {
	Sealed() SealedRepo
}
