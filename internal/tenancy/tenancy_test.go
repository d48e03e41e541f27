package tenancy

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

func TestOfDerivesIssuerAndBase(t *testing.T) {
	for _, tc := range []struct {
		slug, root, issuer, base, pathSlug string
	}{
		{identity.DefaultTenantSlug, "https://id.example.com", "https://id.example.com", "", ""},
		{"acme", "https://id.example.com", "https://id.example.com/t/acme", "/t/acme", "acme"},
		{"acme", "https://id.example.com/", "https://id.example.com/t/acme", "/t/acme", "acme"},
	} {
		got := Of(&identity.Tenant{Slug: tc.slug}, nil, tc.root)
		if got.Issuer != tc.issuer || got.Base != tc.base || got.PathSlug() != tc.pathSlug {
			t.Errorf("Of(%q, %q) = issuer %q base %q slug %q; want %q %q %q",
				tc.slug, tc.root, got.Issuer, got.Base, got.PathSlug(), tc.issuer, tc.base, tc.pathSlug)
		}
	}
}
