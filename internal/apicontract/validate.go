// Package apicontract applies api/openapi.yaml to live requests, the same
// way for the Gatehouse server and for `gatehouse mock`: it validates a
// request against its operation and maps what is wrong to an RFC 9457
// problem (validate.go; validator.go spares valid requests kin-openapi's
// per-value schema compiles), and it answers deprecated operations with the
// Deprecation, Sunset and Link headers (deprecation.go).
package apicontract

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// ValidateRequest checks r's parameters and body against the operation of
// route (params are its path parameters), leaving authentication to the
// caller, with kin-openapi alone. A failure maps to a problem with
// RequestProblem. Validator.Validate gives the same result, faster.
func ValidateRequest(r *http.Request, route *routers.Route, params map[string]string) error {
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:              true,
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults:     true,
			SchemaValidationOptions: api.SchemaOptions(),
		},
	}
	return openapi3filter.ValidateRequest(r.Context(), in)
}

// RequestProblem maps a validation failure to a precise problem: 413 for
// an oversized body, 415 for a content type the operation does not take,
// malformed-json for bodies that do not parse, and 400 with one field
// error per violated rule otherwise.
func RequestProblem(err error) *httpx.Problem {
	if httpx.IsTooLarge(err) {
		return httpx.PayloadTooLarge(0).WithDetail("The request body is too large.")
	}
	var fields []httpx.FieldError
	var unsupported, malformed bool
	for _, e := range flatten(err) {
		var re *openapi3filter.RequestError
		if !errors.As(e, &re) {
			fields = append(fields, httpx.FieldError{Field: "", Message: e.Error()})
			continue
		}
		switch {
		case strings.HasPrefix(re.Reason, "header Content-Type has unexpected value"):
			unsupported = true
			continue
		case re.RequestBody != nil && isParseError(re.Err):
			malformed = true
			continue
		}
		prefix := ""
		if re.Parameter != nil {
			prefix = re.Parameter.In + ":" + re.Parameter.Name
		}
		for _, se := range schemaErrors(re.Err) {
			field := prefix
			if ptr := se.JSONPointer(); len(ptr) > 0 {
				field += "/" + strings.Join(ptr, "/")
			}
			if m := unsupportedRe.FindStringSubmatch(se.Reason); m != nil {
				field += "/" + m[1] // point at the unknown member itself
			}
			fields = append(fields, httpx.FieldError{Field: field, Message: schemaMessage(se)})
		}
		if len(schemaErrors(re.Err)) == 0 {
			msg := re.Reason
			if re.Err != nil {
				msg = re.Err.Error()
			}
			if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
				msg = "is required"
			}
			fields = append(fields, httpx.FieldError{Field: prefix, Message: msg})
		}
	}
	switch {
	case unsupported:
		return httpx.NewProblem(http.StatusUnsupportedMediaType, httpx.TypeUnsupportedMedia,
			"Unsupported media type", "This operation accepts application/json bodies.")
	case malformed:
		return httpx.NewProblem(http.StatusBadRequest, httpx.TypeMalformedJSON,
			"Malformed JSON", "The request body is not valid JSON.")
	}
	return httpx.Validation("The request does not match the API contract.", fields...)
}

// NoOperation is the problem for a request no operation matches: 405 when
// the path exists with other methods (err is routers.ErrMethodNotAllowed),
// else 404.
func NoOperation(r *http.Request, err error) *httpx.Problem {
	if errors.Is(err, routers.ErrMethodNotAllowed) {
		return httpx.NewProblem(http.StatusMethodNotAllowed, httpx.TypeMethodNotAllowed,
			"Method not allowed", r.Method+" is not allowed on "+r.URL.Path+".")
	}
	return httpx.NotFound("No operation matches " + r.Method + " " + r.URL.Path + ".")
}

// flatten expands multi-errors at the top level only: errors.As would dig
// through a RequestError and lose it.
func flatten(err error) []error {
	if me, ok := err.(openapi3.MultiError); ok {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func isParseError(err error) bool {
	var pe *openapi3filter.ParseError
	return errors.As(err, &pe)
}

func schemaErrors(err error) []*openapi3.SchemaError {
	var out []*openapi3.SchemaError
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			out = append(out, se)
		}
	}
	return out
}

var unsupportedRe = regexp.MustCompile(`^property "([^"]+)" is unsupported$`)

func schemaMessage(se *openapi3.SchemaError) string {
	if se.Reason != "" {
		return se.Reason
	}
	return se.Error()
}
