package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// personalTables hold rows about one user (user_id) that data residency
// keeps in the user's region; saml_sessions go with their sessions.
var personalTables = []string{"session_clients", "logout_deliveries", "sessions", "refresh_tokens", "opaque_tokens",
	"consents", "verifications", "mfa_challenges", "mfa_devices", "mfa_factors", "risk_history", "privacy_ledger",
	"privacy_decisions", "data_exports", "user_data_keys", "federated_identities", "passwords"}

var _ store.SkeletonStore = (*Store)(nil)

// Skeleton implements store.SkeletonStore.
func (s *Store) Skeleton(ctx context.Context, tenantID, userID string) error {
	return s.inTx(ctx, func(tx *Store) error {
		profile, attrs, err := userJSON(&identity.User{Attributes: map[string]any{}})
		if err != nil {
			return err
		}
		n, err := tx.exec(ctx, `UPDATE users SET email = '', email_norm = '', email_verified = ?, username = '',
			username_norm = '', phone = '', phone_verified = ?, profile = ?, attributes = ?, disabled = ?,
			locked_until = NULL, terms_version = '', terms_accepted_at = NULL WHERE tenant_id = ? AND id = ?`,
			false, false, profile, attrs, false, tenantID, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		for _, t := range personalTables {
			if _, err := tx.exec(ctx, `DELETE FROM `+t+` WHERE tenant_id = ? AND user_id = ?`, tenantID, userID); err != nil {
				return err
			}
		}
		return nil
	})
}
