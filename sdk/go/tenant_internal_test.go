package gatehouse

import (
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api"
)

// The resources a tenant client rewrites are exactly those the contract
// also serves under /admin/v1/tenants/{tenant}/, every path of them.
func TestTenantScopedMatchesTheContract(t *testing.T) {
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	with, without := map[string]bool{}, map[string]bool{}
	for _, p := range doc.Paths.InMatchingOrder() {
		rest, ok := strings.CutPrefix(p, "/admin/v1/")
		if !ok || strings.HasPrefix(rest, "tenants") {
			continue
		}
		resource, _, _ := strings.Cut(rest, "/")
		if doc.Paths.Value("/admin/v1/tenants/{tenant}/"+rest) != nil {
			with[resource] = true
		} else {
			without[resource] = true
		}
	}
	for r := range with {
		if without[r] {
			t.Errorf("%s has paths with and without a tenant form: the SDK cannot rewrite it whole", r)
		}
	}
	if got, want := tenantScoped, slices.Sorted(func(yield func(string) bool) {
		for r := range with {
			if !yield(r) {
				return
			}
		}
	}); !slices.Equal(got, want) {
		t.Errorf("tenantScoped = %v, the contract has tenant forms for %v", got, want)
	}
}
