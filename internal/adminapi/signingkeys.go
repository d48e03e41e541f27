package adminapi

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// privateJWKMembers are the JWK members that carry private key material
// (RFC 7518 section 6): a published key must have none of them.
var privateJWKMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// SigningKeyJSON renders a signing key with its public JWK only.
func SigningKeyJSON(k *oauth.SigningKey) (gen.SigningKey, error) {
	var jwk map[string]any
	if err := json.Unmarshal(k.PublicJWK, &jwk); err != nil {
		return gen.SigningKey{}, fmt.Errorf("signing key %s: public JWK: %w", k.ID, err)
	}
	for _, m := range privateJWKMembers {
		if _, ok := jwk[m]; ok {
			return gen.SigningKey{}, fmt.Errorf("signing key %s: the stored public JWK has the private member %q", k.ID, m)
		}
	}
	out := gen.SigningKey{
		Kid: k.ID, Alg: gen.SigningKeyAlg(k.Alg), Use: gen.SigningKeyUseSig, Status: gen.SigningKeyStatusActive,
		CreatedAt: k.CreatedAt, PublicJwk: jwk,
		RetiredAt: nullable.NewNullNullable[time.Time](), ExpiresAt: nullable.NewNullNullable[time.Time](),
	}
	if k.RetiredAt != nil {
		out.Status = gen.SigningKeyStatusRetired
		out.RetiredAt = nullable.NewNullableWithValue(*k.RetiredAt)
	}
	if k.ExpiresAt != nil {
		out.ExpiresAt = nullable.NewNullableWithValue(*k.ExpiresAt)
	}
	return out, nil
}

// signingKeys lists a tenant's keys as its JWKS publishes them: keys past
// expires_at, which only wait for the scheduler to delete them, are left
// out.
func (a *SigningKeys) signingKeys(ctx context.Context, tenantID string) (gen.SigningKeySet, error) {
	rows, err := a.keys.List(ctx, tenantID)
	if err != nil {
		return gen.SigningKeySet{}, err
	}
	now := a.now()
	out := gen.SigningKeySet{Items: make([]gen.SigningKey, 0, len(rows))}
	for i := range rows {
		if e := rows[i].ExpiresAt; e != nil && !now.Before(*e) {
			continue
		}
		k, err := SigningKeyJSON(&rows[i])
		if err != nil {
			return gen.SigningKeySet{}, err
		}
		out.Items = append(out.Items, k)
	}
	return out, nil
}

func (a *SigningKeys) getSigningKeys(ctx context.Context) (gen.SigningKeySet, error) {
	sc := tenancy.From(ctx)
	return a.signingKeys(ctx, sc.Tenant.ID)
}

func (a *SigningKeys) rotateSigningKeys(ctx context.Context, in *gen.SigningKeyRotation) (gen.SigningKeySet, error) {
	sc := tenancy.From(ctx)
	var algs []string
	if in != nil && in.Algs != nil {
		algs = stringsOf(*in.Algs)
	}
	if err := a.keys.Rotate(ctx, sc.Tenant.ID, algs...); err != nil {
		return gen.SigningKeySet{}, err
	}
	return a.signingKeys(ctx, sc.Tenant.ID)
}

func (a *SigningKeys) GetSigningKeys(ctx context.Context, _ gen.GetSigningKeysRequestObject) (gen.GetSigningKeysResponseObject, error) {
	out, err := a.getSigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	return gen.GetSigningKeys200JSONResponse(out), nil
}

func (a *SigningKeys) RotateSigningKeys(ctx context.Context, r gen.RotateSigningKeysRequestObject) (gen.RotateSigningKeysResponseObject, error) {
	out, err := a.rotateSigningKeys(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RotateSigningKeys200JSONResponse(out), nil
}

func (a *SigningKeys) GetTenantSigningKeys(ctx context.Context, r gen.GetTenantSigningKeysRequestObject) (gen.GetTenantSigningKeysResponseObject, error) {
	out, err := a.getSigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantSigningKeys200JSONResponse(out), nil
}

func (a *SigningKeys) RotateTenantSigningKeys(ctx context.Context, r gen.RotateTenantSigningKeysRequestObject) (gen.RotateTenantSigningKeysResponseObject, error) {
	out, err := a.rotateSigningKeys(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RotateTenantSigningKeys200JSONResponse(out), nil
}
