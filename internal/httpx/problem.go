// Package httpx holds the HTTP plumbing shared by every endpoint: RFC 9457
// problem responses, request IDs, logging, metrics, security headers and
// body limits.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Problem type URIs. They are part of the API contract: clients switch on
// them, so never change one once released (docs/problems.md lists them).
const (
	TypeValidation          = "urn:gatehouse:problem:validation"
	TypeMalformedJSON       = "urn:gatehouse:problem:malformed-json"
	TypeNotFound            = "urn:gatehouse:problem:not-found"
	TypeConflict            = "urn:gatehouse:problem:conflict"
	TypeUnauthorized        = "urn:gatehouse:problem:unauthorized"
	TypeForbidden           = "urn:gatehouse:problem:forbidden"
	TypePreconditionFailed  = "urn:gatehouse:problem:precondition-failed"
	TypePayloadTooLarge     = "urn:gatehouse:problem:payload-too-large"
	TypeUnsupportedMedia    = "urn:gatehouse:problem:unsupported-media-type"
	TypeMethodNotAllowed    = "urn:gatehouse:problem:method-not-allowed"
	TypeRateLimited         = "urn:gatehouse:problem:rate-limited"
	TypeIdempotencyConflict = "urn:gatehouse:problem:idempotency-conflict"
	TypeInternal            = "urn:gatehouse:problem:internal"
	TypeUnavailable         = "urn:gatehouse:problem:unavailable"
	// TypeReauthenticationRequired: the operation needs a more recent
	// sign-in than the one behind the access token.
	TypeReauthenticationRequired = "urn:gatehouse:problem:reauthentication-required"
)

// FieldError points at one invalid field with a JSON pointer.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problem is an RFC 9457 problem details object. It is also an error, so
// handlers can return it and one writer renders it.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`

	// Header is extra response headers (e.g. Retry-After, WWW-Authenticate).
	Header http.Header `json:"-"`
	// Cause is logged, never sent to the client.
	Cause error `json:"-"`
}

func (p *Problem) Error() string {
	if p.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", p.Title, p.Detail, p.Cause)
	}
	return p.Title + ": " + p.Detail
}

func (p *Problem) Unwrap() error { return p.Cause }

// NewProblem builds a problem of the given type and status.
func NewProblem(status int, typ, title, detail string) *Problem {
	return &Problem{Type: typ, Title: title, Status: status, Detail: detail}
}

// Convenience constructors for the common kinds.
func NotFound(detail string) *Problem {
	return NewProblem(http.StatusNotFound, TypeNotFound, "Not found", detail)
}
func Conflict(detail string) *Problem {
	return NewProblem(http.StatusConflict, TypeConflict, "Conflict", detail)
}
func Unauthorized(detail string) *Problem {
	p := NewProblem(http.StatusUnauthorized, TypeUnauthorized, "Unauthorized", detail)
	p.Header = http.Header{"Www-Authenticate": {`Bearer realm="gatehouse"`}}
	return p
}
func Forbidden(detail string) *Problem {
	return NewProblem(http.StatusForbidden, TypeForbidden, "Forbidden", detail)
}
func PreconditionFailed(detail string) *Problem {
	return NewProblem(http.StatusPreconditionFailed, TypePreconditionFailed, "Precondition failed", detail)
}
func Validation(detail string, fields ...FieldError) *Problem {
	p := NewProblem(http.StatusBadRequest, TypeValidation, "Invalid request", detail)
	p.Errors = fields
	return p
}
func Internal(cause error) *Problem {
	p := NewProblem(http.StatusInternalServerError, TypeInternal, "Internal error", "The server could not complete the request.")
	p.Cause = cause
	return p
}

// WriteProblem renders p (or, for any other error, a 500 that hides the
// cause) and logs server-side failures with their cause.
func WriteProblem(w http.ResponseWriter, r *http.Request, err error) {
	var p *Problem
	if !errors.As(err, &p) {
		p = Internal(err)
	}
	if p.Status == http.StatusInternalServerError && errors.Is(err, store.ErrUnavailable) {
		p = databaseUnavailable(err) // a transient outage, not a fault: 503, and no driver text
	}
	out := *p
	out.RequestID = RequestID(r.Context())
	if out.Instance == "" {
		out.Instance = r.URL.Path
	}
	switch {
	case out.Status >= 500 && clientGone(r, err):
		// The client hung up and the store gave up with it: nothing failed
		// on our side, so an operator's error alerts should not see it.
		Log(r.Context()).InfoContext(r.Context(), "request cancelled by the client", "status", out.Status, "err", err)
	case out.Status >= 500:
		Log(r.Context()).ErrorContext(r.Context(), "request failed", "status", out.Status, "type", out.Type, "err", err)
	}
	for k, vs := range p.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(out.Status)
	_ = json.NewEncoder(w).Encode(&out)
}

// clientGone reports whether err is the request's own context ending
// because the client went away (not a deadline of ours).
func clientGone(r *http.Request, err error) bool {
	return errors.Is(r.Context().Err(), context.Canceled) && errors.Is(err, context.Canceled)
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WithDetail returns a copy of p with detail replaced.
func (p *Problem) WithDetail(detail string) *Problem {
	q := *p
	q.Detail = detail
	return &q
}

// WithFields returns a copy of p with field errors attached.
func (p *Problem) WithFields(fields ...FieldError) *Problem {
	q := *p
	q.Errors = append(append([]FieldError(nil), p.Errors...), fields...)
	return &q
}
