package store

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// InitialAccessTokenRepo stores the initial access tokens of dynamic client
// registration (RFC 7591 §3). Tenant-scoped: every method filters on the
// tenant ID, so another tenant's token is ErrNotFound.
type InitialAccessTokenRepo interface {
	// Create inserts t (ID generated if empty).
	Create(ctx context.Context, t *oauth.InitialAccessToken) error
	Get(ctx context.Context, tenantID, id string) (*oauth.InitialAccessToken, error)
	List(ctx context.Context, tenantID string, p Page) (items []oauth.InitialAccessToken, next string, err error)
	// Use counts one registration against the token in one statement, if
	// it is unexpired at now and not used up; otherwise ErrNotFound and
	// nothing changes. Of racing calls on a token with one use left, one
	// wins.
	Use(ctx context.Context, tenantID, id string, now time.Time) error
	Delete(ctx context.Context, tenantID, id string) error
}
