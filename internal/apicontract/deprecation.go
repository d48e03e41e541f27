package apicontract

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/gatehouse-iam/gatehouse/api"
)

// The contract's extensions on a deprecated operation (`deprecated: true`):
// when it was (or will be) deprecated, which it must say, and when it
// stops working, which it may. Each is an RFC 3339 date ("2027-01-31", at
// midnight UTC) or date-time.
const (
	ExtDeprecationDate = "x-deprecation-date"
	ExtSunset          = "x-sunset"
)

// ChangelogLink is the Link header value of deprecated operations: the
// changelog that says what replaces them (api/CHANGELOG.md, served by
// every Gatehouse). A relative reference, so it resolves against whatever
// name the server was reached under.
const ChangelogLink = `<` + api.ChangelogPath + `>; rel="deprecation"; type="text/markdown"`

// Deprecations holds the response headers of a contract's deprecated
// operations, computed once when the contract is loaded:
//
//	Deprecation: @1798675200                  (RFC 9745: a structured-field date)
//	Sunset: Wed, 30 Jun 2027 00:00:00 GMT     (RFC 8594: an HTTP-date; only with x-sunset)
//	Link: </api/CHANGELOG.md>; rel="deprecation"; type="text/markdown"
//
// RFC 9745 has no form without a date, so a deprecated operation without
// x-deprecation-date is an error, as is a sunset before the deprecation.
type Deprecations struct {
	headers map[*openapi3.Operation]http.Header
	// deprecated finds requests for deprecated operations quickly (it
	// holds only them); all then confirms with every operation, so a
	// literal path that a deprecated template would also match is judged
	// by its own operation.
	deprecated, all routers.Router
}

// NewDeprecations reads the deprecated operations of doc.
func NewDeprecations(doc *openapi3.T) (*Deprecations, error) {
	d := &Deprecations{headers: map[*openapi3.Operation]http.Header{}}
	only := openapi3.NewPaths()
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			if !op.Deprecated {
				if _, ok := op.Extensions[ExtSunset]; ok {
					return nil, fmt.Errorf("%s %s: %s without deprecated: true", method, path, ExtSunset)
				}
				continue
			}
			h, err := deprecationHeaders(op)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			d.headers[op] = h
			if only.Value(path) == nil {
				only.Set(path, &openapi3.PathItem{Parameters: item.Parameters})
			}
			only.Value(path).SetOperation(method, op)
		}
	}
	if len(d.headers) == 0 {
		return d, nil
	}
	var err error
	if d.deprecated, err = gorillamux.NewRouter(&openapi3.T{OpenAPI: doc.OpenAPI, Info: doc.Info, Paths: only}); err != nil {
		return nil, err
	}
	all := *doc
	all.Servers = nil // match any host, as api.Router does
	if d.all, err = gorillamux.NewRouter(&all); err != nil {
		return nil, err
	}
	return d, nil
}

func deprecationHeaders(op *openapi3.Operation) (http.Header, error) {
	at, ok, err := extDate(op, ExtDeprecationDate)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("deprecated without %s (RFC 9745 needs the date)", ExtDeprecationDate)
	}
	h := http.Header{
		"Deprecation": {"@" + strconv.FormatInt(at.Unix(), 10)},
		"Link":        {ChangelogLink},
	}
	sunset, ok, err := extDate(op, ExtSunset)
	if err != nil {
		return nil, err
	}
	if ok {
		if sunset.Before(at) {
			return nil, fmt.Errorf("%s %s is before %s %s", ExtSunset, sunset.Format(time.DateOnly), ExtDeprecationDate, at.Format(time.DateOnly))
		}
		h["Sunset"] = []string{sunset.UTC().Format(http.TimeFormat)}
	}
	return h, nil
}

func extDate(op *openapi3.Operation, name string) (time.Time, bool, error) {
	v, ok := op.Extensions[name]
	if !ok {
		return time.Time{}, false, nil
	}
	s, isString := v.(string)
	if !isString {
		return time.Time{}, false, fmt.Errorf("%s: want an RFC 3339 date as a string, have %v", name, v)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%s: %q is not an RFC 3339 date or date-time", name, s)
	}
	return t, true, nil
}

// SetHeaders adds the deprecation headers of op, if it is deprecated, to h.
func (d *Deprecations) SetHeaders(h http.Header, op *openapi3.Operation) {
	for k, v := range d.headers[op] {
		h[k] = v
	}
}

// Middleware adds the deprecation headers to the responses of deprecated
// operations. With none in the contract it adds no work to a request.
func (d *Deprecations) Middleware(next http.Handler) http.Handler {
	if len(d.headers) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		match := r
		if r.Method == http.MethodHead { // answered by the GET operation
			match = r.Clone(r.Context())
			match.Method = http.MethodGet
		}
		if _, _, err := d.deprecated.FindRoute(match); err == nil {
			if route, _, err := d.all.FindRoute(match); err == nil {
				d.SetHeaders(w.Header(), route.Operation)
			}
		}
		next.ServeHTTP(w, r)
	})
}

var contractDeprecations = sync.OnceValues(func() (*Deprecations, error) {
	doc, err := api.Spec()
	if err != nil {
		return nil, err
	}
	return NewDeprecations(doc)
})

// ContractDeprecations returns the Deprecations of api/openapi.yaml.
func ContractDeprecations() (*Deprecations, error) { return contractDeprecations() }
