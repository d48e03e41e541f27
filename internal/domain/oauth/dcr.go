package oauth

import "time"

// RegisteredByDCR marks a client that registered itself at the
// registration endpoint (Client.RegisteredBy).
const RegisteredByDCR = "dcr"

// InitialAccessToken lets its bearer register clients while the tenant's
// registration mode is initial_access_token (RFC 7591 §3). Only the keyed
// hash of its secret is stored.
type InitialAccessToken struct {
	TenantID   string
	ID         string
	SecretHash []byte
	ExpiresAt  *time.Time // nil: never
	MaxUses    int        // 0: no limit
	Uses       int
	CreatedAt  time.Time
}

// Usable reports whether the token may register one more client at now.
func (t *InitialAccessToken) Usable(now time.Time) bool {
	return (t.ExpiresAt == nil || now.Before(*t.ExpiresAt)) && (t.MaxUses == 0 || t.Uses < t.MaxUses)
}
