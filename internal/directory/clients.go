package directory

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// secretBytes is the entropy of generated client secrets and API-key
// secrets: 256 bits, which is why a fast keyed hash is safe for them.
const secretBytes = 32

func (s *Service) prepareClient(c *oauth.Client) error {
	oauth.ApplyClientDefaults(c)
	return oauth.ValidateClient(c)
}

// CreateClient validates c, assigns a client_id and, for confidential
// clients, a secret that is returned once and stored only as a keyed hash.
func (s *Service) CreateClient(ctx context.Context, sc *tenancy.Tenant, c *oauth.Client) (clientSecret string, err error) {
	if err := s.prepareClient(c); err != nil {
		return "", err
	}
	if c.ID == "" {
		c.ID = secret.Token(16)
	}
	if !c.Public() {
		clientSecret = secret.Token(secretBytes)
		c.SecretHash = s.Keyring.MAC(purposeClientSecret, []byte(clientSecret))
	}
	if err := sc.Store.Clients().Create(ctx, sc.Tenant.ID, c); err != nil {
		return "", err
	}
	return clientSecret, nil
}

// UpdateClient applies fn and re-validates the client. A change between
// public and confidential adds or drops the secret accordingly; a newly
// confidential client gets its secret returned.
func (s *Service) UpdateClient(ctx context.Context, sc *tenancy.Tenant, id string, ifVersion int64, fn func(*oauth.Client) error) (*oauth.Client, string, error) {
	var newSecret string
	c, err := sc.Store.Clients().Update(ctx, sc.Tenant.ID, id, ifVersion, func(c *oauth.Client) error {
		if err := fn(c); err != nil {
			return err
		}
		if err := s.prepareClient(c); err != nil {
			return err
		}
		switch {
		case c.Public():
			c.SecretHash = nil
		case len(c.SecretHash) == 0:
			newSecret = secret.Token(secretBytes)
			c.SecretHash = s.Keyring.MAC(purposeClientSecret, []byte(newSecret))
		}
		return nil
	})
	return c, newSecret, err
}

// RotateClientSecret replaces a confidential client's secret.
func (s *Service) RotateClientSecret(ctx context.Context, sc *tenancy.Tenant, id string) (*oauth.Client, string, error) {
	newSecret := secret.Token(secretBytes)
	c, err := sc.Store.Clients().Update(ctx, sc.Tenant.ID, id, 0, func(c *oauth.Client) error {
		if c.Public() {
			return invalidField("/token_endpoint_auth_method", "a public client has no secret to rotate")
		}
		c.SecretHash = s.Keyring.MAC(purposeClientSecret, []byte(newSecret))
		c.SecretExpiresAt = nil
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return c, newSecret, nil
}

// VerifyClientSecret checks a presented secret in constant time.
func (s *Service) VerifyClientSecret(c *oauth.Client, presented string) bool {
	if c.Public() || len(c.SecretHash) == 0 {
		return false
	}
	return s.Keyring.Equal(purposeClientSecret, []byte(presented), c.SecretHash)
}

// CORSOrigins collects the allowed_cors_origins of every client of t (the
// origins that may call its protocol endpoints from a browser).
func (s *Service) CORSOrigins(ctx context.Context, t *tenancy.Tenant) (map[string]bool, error) {
	out := map[string]bool{}
	pg := store.Page{Limit: store.MaxLimit}
	for {
		items, next, err := t.Store.Clients().List(ctx, t.ID, pg)
		if err != nil {
			return nil, err
		}
		for i := range items {
			cs, _ := oauth.ParseClientSettings(items[i].Metadata) // bad keys are logged when the client loads
			for _, o := range cs.AllowedCORSOrigins {
				out[o] = true
			}
		}
		if next == "" {
			return out, nil
		}
		pg.After = next
	}
}
