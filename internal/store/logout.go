package store

import (
	"context"
	"time"
)

// SessionClient records that a client got tokens in a browser session,
// so that the session's end reaches that client's logout channels.
type SessionClient struct {
	TenantID  string
	SessionID string
	ClientID  string
	UserID    string
	CreatedAt time.Time
}

// LogoutDelivery is one OIDC back-channel logout token on its way to one
// client: a row of the logout outbox. The token is signed at each attempt
// (it lives two minutes); ID is its jti, the same on every attempt, so a
// relying party can tell a retry from a new logout.
type LogoutDelivery struct {
	TenantID      string
	ID            string // UUIDv7, the logout token's jti
	ClientID      string
	SessionID     string // the sid claim
	UserID        string // the sub claim
	Status        string // DeliveryPending, DeliveryDelivered or DeliveryFailed
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	LeaseUntil    *time.Time
	LeaseToken    string
	CreatedAt     time.Time
	DeliveredAt   *time.Time
}

// LogoutRepo stores which clients got tokens in which session, and the
// back-channel logout outbox.
type LogoutRepo interface {
	// AddSessionClient records that clientID got tokens in the session
	// (again: no error, nothing changes). ErrNotFound if the session or
	// the client does not exist.
	AddSessionClient(ctx context.Context, sc *SessionClient) error
	// SessionClients lists the clients that got tokens in the session, in
	// client ID order.
	SessionClients(ctx context.Context, tenantID, sessionID string) ([]SessionClient, error)
	// EndSession forgets the session's clients and, in the same
	// transaction, enqueues a pending delivery (due at now) for each of
	// them that has a backchannel_logout_uri, and returns those: a
	// session's end notifies each client once, even when two nodes end
	// it at once.
	EndSession(ctx context.Context, tenantID, sessionID string, now time.Time) ([]LogoutDelivery, error)
	// Claim leases up to limit due pending deliveries, of any tenant, until
	// now+lease, each under a fresh LeaseToken, and counts the attempt.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]LogoutDelivery, error)
	// Finish records the outcome of an attempt and releases the lease.
	// ErrNotFound if the lease token no longer holds the row.
	Finish(ctx context.Context, tenantID, id, leaseToken string, r DeliveryResult) error
	// Deliveries lists the deliveries for a session, oldest first.
	Deliveries(ctx context.Context, tenantID, sessionID string) ([]LogoutDelivery, error)
	// DeleteFinished removes delivered and failed rows (of both outboxes)
	// created before t.
	DeleteFinished(ctx context.Context, before time.Time) (int64, error)

	// EnqueueSAML forgets the session's sign-ins into the service
	// providers spIDs names (SAMLSessionRepo's rows) and, in the same
	// transaction, enqueues a pending SAML delivery (due at now) for each
	// of them, with the NameID and SessionIndex the SP was sent, and
	// returns those: a session's end reaches each SP once, even when two
	// nodes end it at once. An SP the session did not sign into gets
	// nothing.
	EnqueueSAML(ctx context.Context, tenantID, sessionID, userID string, spIDs []string, now time.Time) ([]SAMLLogoutDelivery, error)
	// ClaimSAML is Claim for the SAML outbox.
	ClaimSAML(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]SAMLLogoutDelivery, error)
	// FinishSAML is Finish for the SAML outbox.
	FinishSAML(ctx context.Context, tenantID, id, leaseToken string, r DeliveryResult) error
	// SAMLDeliveries lists the SAML deliveries for a session, oldest first.
	SAMLDeliveries(ctx context.Context, tenantID, sessionID string) ([]SAMLLogoutDelivery, error)
}

// SAMLLogoutDelivery is one SAML LogoutRequest on its way to one service
// provider's SOAP SingleLogoutService (back-channel single logout): a row
// of the SAML logout outbox. The request is signed at each attempt; ID is
// its ID, the same on every attempt.
type SAMLLogoutDelivery struct {
	TenantID      string
	ID            string // UUIDv7; the LogoutRequest's ID is "_" + ID
	SPID          string
	SessionID     string
	UserID        string
	NameID        string // as the SP was sent it
	NameIDFormat  string // the SAML URI; "" when unknown
	SessionIndex  string
	Status        string // DeliveryPending, DeliveryDelivered or DeliveryFailed
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	LeaseUntil    *time.Time
	LeaseToken    string
	CreatedAt     time.Time
	DeliveredAt   *time.Time
}
