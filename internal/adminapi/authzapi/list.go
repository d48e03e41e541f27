package authzapi

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/oapi-codegen/nullable"
)

// listed is what every list operation of the package does: read the page
// parameters, list one page of the request's tenant and render each item.
func listed[S, W any](ctx context.Context, limit *int, cursor *string,
	list func(sc *tenancy.Tenant, pg store.Page) ([]S, string, error), render func(*S) W) ([]W, nullable.Nullable[string], error) {
	pg, err := restapi.Page(limit, cursor)
	if err != nil {
		return nil, nullable.Nullable[string]{}, err
	}
	items, next, err := list(tenancy.From(ctx), pg)
	if err != nil {
		return nil, nullable.Nullable[string]{}, err
	}
	out := make([]W, len(items))
	for i := range items {
		out[i] = render(&items[i])
	}
	return out, restapi.NextCursor(next), nil
}

// location is the path of the collection coll of the Admin API, in the
// default tenant's form ("" tenant) or the tenant form, ending in "/".
func location(tenant, coll string) string {
	if tenant == "" {
		return "/admin/v1/" + coll + "/"
	}
	return "/admin/v1/tenants/" + tenant + "/" + coll + "/"
}
