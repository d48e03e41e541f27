package store

import (
	"context"
	"time"
)

// Webhook is a subscription: events of the listed types (all when empty)
// are POSTed to URL, signed with the secret, sealed at rest.
type Webhook struct {
	TenantID     string
	ID           string
	URL          string
	Description  string
	EventTypes   []string // exact types, or a prefix ending in "*" ("login.*")
	SecretSealed []byte
	Enabled      bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // gave up: older than the maximum age
)

// Delivery is one event on its way to one webhook: a row of the outbox.
type Delivery struct {
	TenantID  string
	ID        string // UUIDv7: creation order, which is delivery order per user
	WebhookID string
	EventID   string
	EventType string
	UserID    string // ordering key: "" is unordered
	Payload   []byte // the JSON body sent
	Status    string
	Attempts  int
	LastError string
	// NextAttemptAt is when a pending delivery is due.
	NextAttemptAt time.Time
	// LeaseUntil and LeaseToken mark a claim by a worker; another worker
	// may claim the row only after the lease ends.
	LeaseUntil  *time.Time
	LeaseToken  string
	CreatedAt   time.Time
	DeliveredAt *time.Time
}

// DeliveryResult is what a worker reports after one attempt.
type DeliveryResult struct {
	Status        string // DeliveryPending (retry at NextAttemptAt), DeliveryDelivered or DeliveryFailed
	Error         string
	NextAttemptAt time.Time
	At            time.Time
}

// WebhookRepo stores webhook subscriptions and their delivery outbox.
type WebhookRepo interface {
	// Create inserts w, setting ID, timestamps and Version.
	Create(ctx context.Context, w *Webhook) error
	Get(ctx context.Context, tenantID, id string) (*Webhook, error)
	List(ctx context.Context, tenantID string, p Page) (items []Webhook, next string, err error)
	// Update as TenantRepo.Update.
	Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*Webhook) error) (*Webhook, error)
	// Delete removes the webhook and its deliveries.
	Delete(ctx context.Context, tenantID, id string) error
	// Enabled returns the tenant's enabled webhooks.
	Enabled(ctx context.Context, tenantID string) ([]Webhook, error)

	// Enqueue inserts a pending delivery (ID and CreatedAt set if empty).
	Enqueue(ctx context.Context, d *Delivery) error
	// Claim leases up to limit due deliveries of enabled webhooks, of any
	// tenant, until now+lease, each under a fresh LeaseToken. A delivery is
	// not claimed while an earlier pending delivery of the same webhook and
	// the same non-empty UserID exists, nor while another lease holds it.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	// Finish records the outcome of an attempt and releases the lease.
	// ErrNotFound if the lease token no longer holds the row.
	Finish(ctx context.Context, tenantID, id, leaseToken string, r DeliveryResult) error
	// Deliveries lists a webhook's deliveries newest first; Page.After is
	// the last ID of the previous page.
	Deliveries(ctx context.Context, tenantID, webhookID string, p Page) (items []Delivery, next string, err error)
}
