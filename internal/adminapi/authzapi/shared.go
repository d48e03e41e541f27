package authzapi

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/oapi-codegen/nullable"
)

// Shared steps of the package's operations: list a page, list under a
// parent, read one, audit a change, answer with the generated response.

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

// listedUnder is listed for a collection under a parent resource:
// parent, which fails with ErrNotFound when the parent is absent from
// the tenant, runs before the page is read.
func listedUnder[S, W any](ctx context.Context, limit *int, cursor *string, parent func(sc *tenancy.Tenant) error,
	list func(sc *tenancy.Tenant, pg store.Page) ([]S, string, error), render func(*S) W) ([]W, nullable.Nullable[string], error) {
	return listed(ctx, limit, cursor, func(sc *tenancy.Tenant, pg store.Page) ([]S, string, error) {
		if err := parent(sc); err != nil {
			return nil, "", err
		}
		return list(sc, pg)
	}, render)
}

// exists turns the lookup of a parent resource into listedUnder's check.
func exists[T any](_ T, err error) error { return err }

// got is what every read of one resource does: get it from the request's
// tenant and render it.
func got[S, W any](ctx context.Context, get func(sc *tenancy.Tenant) (*S, error), render func(*S) W) (W, error) {
	x, err := get(tenancy.From(ctx))
	if err != nil {
		var zero W
		return zero, err
	}
	return render(x), nil
}

// audited is what every change without a body to answer does: run it on
// the request's tenant and, if it succeeded, note action in the audit
// log (resource.Base.Audited); its error is passed on.
func audited(ctx context.Context, b *resource.Base, action, userID string, data map[string]any, change func(sc *tenancy.Tenant) error) error {
	sc := tenancy.From(ctx)
	return b.Audited(ctx, change(sc), sc.Tenant.ID, action, userID, data)
}

// notFoundAs answers a store.ErrNotFound of err with a 404 saying detail.
func notFoundAs(err error, detail string) error {
	if errors.Is(err, store.ErrNotFound) {
		return httpx.NotFound(detail)
	}
	return err
}

// location is the path of the collection coll of the Admin API, in the
// default tenant's form ("" tenant) or the tenant form, ending in "/".
func location(tenant, coll string) string {
	if tenant == "" {
		return "/admin/v1/" + coll + "/"
	}
	return "/admin/v1/tenants/" + tenant + "/" + coll + "/"
}

// answer is the last step of every operation with a result: the
// response ok makes of the handler's result, or the handler's error.
func answer[O, R any](ok func(O) R) func(O, error) (R, error) {
	return func(out O, err error) (R, error) {
		if err != nil {
			var none R
			return none, err
		}
		return ok(out), nil
	}
}

// done is the last step of every operation without a result: ok, or
// the handler's error.
func done[R any](ok R, err error) (R, error) {
	if err != nil {
		var none R
		return none, err
	}
	return ok, nil
}
