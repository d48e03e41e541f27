package store

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
)

// RiskRepo stores the risk engine's durable state: each tenant's policy
// (a JSON column of the tenant) and each user's sign-in history. Counters,
// back-offs and locks are not here: they live in the shared rate-limit
// store (memory or Redis).
type RiskRepo interface {
	// Policy returns the tenant's stored policy (the zero Policy, meaning
	// all defaults, if never set). ErrNotFound if the tenant does not exist.
	Policy(ctx context.Context, tenantID string) (riskpolicy.Policy, error)
	// SetPolicy replaces the tenant's policy, bumping the tenant's Version
	// and UpdatedAt. ErrNotFound if the tenant does not exist.
	SetPolicy(ctx context.Context, tenantID string, p riskpolicy.Policy) error
	// History returns the user's sign-in history: an empty one if the
	// user never signed in, ErrNotFound if the user does not exist.
	History(ctx context.Context, tenantID, userID string) (*riskpolicy.History, error)
	// UpdateHistory loads the user's history (empty if none), applies fn
	// and saves the result atomically; concurrent updates of one user are
	// serialised, none is lost. ErrNotFound if the user does not exist; an
	// error from fn aborts with nothing written. The history goes when the
	// user does.
	UpdateHistory(ctx context.Context, tenantID, userID string, fn func(*riskpolicy.History) error) (*riskpolicy.History, error)
}
