package oidc

import (
	"context"
	"errors"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// hintAlgs are the algorithms an id_token_hint may be signed with: the
// ones this provider signs ID tokens with.
var hintAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA}

// loadHintKey makes sure this node holds the key an id_token_hint names
// before the engine verifies the hint against the key set it has. A key
// another node made a moment ago would otherwise be missing until the
// cluster bus or the periodic refresh brings it. keys.Manager.Public
// reloads once for an unknown kid and at most once a second per tenant, so
// hints with made-up kids cost no more than that; what does not verify is
// refused by the engine afterwards, as before.
func (p *Provider) loadHintKey(ctx context.Context, t *tenancy.Tenant, hint string) {
	if hint == "" {
		return
	}
	jws, err := jose.ParseSignedCompact(hint, hintAlgs)
	if err != nil || len(jws.Signatures) != 1 || jws.Signatures[0].Header.KeyID == "" {
		return
	}
	_, err = p.keys.Public(ctx, t.ID, jws.Signatures[0].Header.KeyID)
	if err != nil && !errors.Is(err, keys.ErrNoKey) && !errors.Is(err, store.ErrNotFound) {
		p.log.ErrorContext(ctx, "id_token_hint: load signing keys", "tenant", t.ID, "err", err)
	}
}
