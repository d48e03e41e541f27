package restapi

// Problems, conditional requests and paging, the same for every audience.

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/regional"
)

// Problem maps service and store errors to problems.
func Problem(err error) error {
	var p *httpx.Problem
	var ve *identity.ValidationError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &ve):
		fields := make([]httpx.FieldError, len(ve.Errors))
		for i, f := range ve.Errors {
			fields[i] = httpx.FieldError{Field: f.Field, Message: f.Message}
		}
		return httpx.Validation("The request breaks a rule of this resource.", fields...)
	case errors.Is(err, store.ErrNotFound):
		return httpx.NotFound("No such resource in this tenant.")
	case errors.Is(err, store.ErrConflict):
		return httpx.Conflict("A resource with the same unique value (email, username, slug or ID) already exists.")
	case errors.Is(err, store.ErrInvalidInput):
		return httpx.Validation("The request contains text the server cannot store (a NUL character or invalid UTF-8).")
	case errors.Is(err, store.ErrVersionMismatch):
		return httpx.PreconditionFailed("The resource changed since the ETag in If-Match was read.")
	case errors.Is(err, regional.ErrSameRegion):
		return httpx.Conflict("The user is already in that region.")
	case errors.Is(err, directory.ErrDefaultTenant):
		return httpx.Conflict(err.Error() + ".")
	}
	return httpx.Internal(err)
}

// ETag renders a resource version as a strong ETag.
func ETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// IfMatch returns the version an If-Match header demands (0 for none or
// "*"), or a 412 for a value that cannot match any version.
func IfMatch(h *string) (int64, error) {
	if h == nil {
		return 0, nil
	}
	v := strings.TrimSpace(*h)
	if v == "*" || v == "" {
		return 0, nil
	}
	v = strings.TrimPrefix(v, "W/")
	n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
	if err != nil || n <= 0 || !strings.HasPrefix(v, `"`) || !strings.HasSuffix(v, `"`) {
		return 0, httpx.PreconditionFailed("If-Match does not match the current ETag.")
	}
	return n, nil
}

// Page turns limit/cursor parameters into a store Page.
func Page(limit *int, cursor *string) (store.Page, error) {
	p := store.Page{}
	if limit != nil {
		p.Limit = *limit
	}
	if cursor != nil {
		after, err := DecodeCursor(*cursor)
		if err != nil {
			return p, httpx.Validation("The cursor is not valid.", httpx.FieldError{Field: "query:cursor", Message: err.Error()})
		}
		p.After = after
	}
	return p.Norm(), nil
}

// Patch opens every PATCH handler: it returns the version If-Match
// demands (0 for none) and the RFC 7396 merge patch, which clients may
// send as application/merge-patch+json or application/json (the generated
// request has a member for each). The handler applies the patch in the
// service's update closure, with MergePatch for free-form objects.
func Patch[T any](ifMatch *string, jsonBody, mergePatchBody *T) (int64, *T, error) {
	version, err := IfMatch(ifMatch)
	if err != nil {
		return 0, nil, err
	}
	in := jsonBody
	if in == nil {
		in = mergePatchBody
	}
	if in == nil {
		return 0, nil, httpx.Validation("A request body is required.")
	}
	return version, in, nil
}
