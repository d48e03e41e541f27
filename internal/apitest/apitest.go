// Package apitest checks, in tests, that every HTTP response the server sends
// matches the contract in api/openapi.yaml.
//
// Send test requests through Client(t), or wrap a transport with Transport.
// Each response is matched to its operation by method and path (any host),
// and its status, headers, content type and body are validated with
// kin-openapi. A status the operation does not document, or a request to a
// path the contract does not have, fails the test too, and so does a
// successful response of an operation marked x-gatehouse-no-store that may
// be cached.
// Requests to endpoints outside the contract (OAuth, hosted login pages)
// opt out with Unchecked, UncheckedContext or the UncheckedPrefix option.
package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
)

func init() {
	// The contract's text responses (/docs, its script, the changelog,
	// /metrics) are validated as strings; kin-openapi has no decoder for
	// these types.
	for _, ct := range []string{"text/html", "text/javascript", "text/markdown", "application/openmetrics-text"} {
		if openapi3filter.RegisteredBodyDecoder(ct) == nil {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
		}
	}
}

type uncheckedKey struct{}

// UncheckedContext returns a context that makes the Transport skip the
// contract check for requests made with it. Use it for endpoints that are not
// in the contract yet; pass it to the generated client's methods or to
// http.NewRequestWithContext.
func UncheckedContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, uncheckedKey{}, true)
}

// Unchecked returns a shallow copy of req for which the Transport skips the
// contract check.
func Unchecked(req *http.Request) *http.Request {
	return req.WithContext(UncheckedContext(req.Context()))
}

func isUnchecked(req *http.Request) bool {
	v, _ := req.Context().Value(uncheckedKey{}).(bool)
	return v
}

// Option configures a Transport.
type Option func(*transport)

// UncheckedPrefix makes the Transport skip the contract check for every
// request whose path starts with one of the prefixes, e.g. "/oauth2/".
func UncheckedPrefix(prefixes ...string) Option {
	return func(tr *transport) { tr.skipPrefixes = append(tr.skipPrefixes, prefixes...) }
}

// Transport returns a RoundTripper that sends requests with base
// (http.DefaultTransport if nil) and reports with t.Errorf every response
// that does not match api/openapi.yaml. The response is returned to the
// caller unchanged, its body re-readable, whether or not it matched.
func Transport(t testing.TB, base http.RoundTripper, opts ...Option) http.RoundTripper {
	t.Helper()
	if base == nil {
		base = http.DefaultTransport
	}
	r, err := api.Router()
	if err != nil {
		t.Fatalf("apitest: load api/openapi.yaml: %v", err)
	}
	tr := &transport{t: t, base: base, router: r}
	for _, o := range opts {
		o(tr)
	}
	return tr
}

// Client returns an HTTP client whose responses are checked against the
// contract. It does not follow redirects, so a test (and the check) sees
// every response the server sends.
func Client(t testing.TB, opts ...Option) *http.Client {
	t.Helper()
	return &http.Client{
		Transport: Transport(t, nil, opts...),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: 30 * time.Second,
	}
}

type transport struct {
	t            testing.TB
	base         http.RoundTripper
	router       routers.Router
	skipPrefixes []string
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := tr.base.RoundTrip(req)
	if err != nil || tr.skip(req) {
		return resp, err
	}
	if cerr := tr.check(req, resp); cerr != nil {
		tr.t.Errorf("apitest: %s %s -> %d: %v", req.Method, req.URL.Path, resp.StatusCode, cerr)
	}
	return resp, nil
}

func (tr *transport) skip(req *http.Request) bool {
	if isUnchecked(req) {
		return true
	}
	for _, p := range tr.skipPrefixes {
		if strings.HasPrefix(req.URL.Path, p) {
			return true
		}
	}
	return false
}

// maxShownBody caps how much of a mismatching body the error quotes.
const maxShownBody = 1 << 10

// check validates resp against the operation req was routed to. It reads
// resp.Body and puts an equivalent, unread body back.
func (tr *transport) check(req *http.Request, resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("reading the response body: %w", err)
	}

	// HEAD is answered by the GET operation, without a body.
	routed := req
	head := req.Method == http.MethodHead
	if head {
		routed = req.Clone(req.Context())
		routed.Method = http.MethodGet
	}
	route, params, err := tr.router.FindRoute(routed)
	if err != nil {
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			return fmt.Errorf("api/openapi.yaml has no %s operation for this path (use apitest.Unchecked to skip the check)", req.Method)
		}
		return fmt.Errorf("api/openapi.yaml has no operation for this path (use apitest.Unchecked to skip the check): %v", err)
	}
	op := route.Operation
	doc := op.Responses.Status(resp.StatusCode)
	if doc == nil {
		doc = op.Responses.Default()
	}
	if doc == nil || doc.Value == nil {
		return fmt.Errorf("status %d is not documented for operation %s%s", resp.StatusCode, op.OperationID, showBody(resp.Header, body))
	}
	if len(doc.Value.Content) == 0 && len(body) > 0 {
		return fmt.Errorf("operation %s documents no body for status %d, but one was sent%s", op.OperationID, resp.StatusCode, showBody(resp.Header, body))
	}
	if api.NoStore(op) && resp.StatusCode/100 == 2 && (resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache") {
		return fmt.Errorf("operation %s is marked %s, but the response has Cache-Control %q and Pragma %q",
			op.OperationID, api.NoStoreExtension, resp.Header.Get("Cache-Control"), resp.Header.Get("Pragma"))
	}

	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    routed,
			PathParams: params,
			Route:      route,
		},
		Status: resp.StatusCode,
		Header: resp.Header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus:   true,
			MultiError:              true,
			ExcludeResponseBody:     head,
			SchemaValidationOptions: api.SchemaOptions(),
		},
	}
	in.Options.WithCustomSchemaErrorFunc(schemaErrorMessage)
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		return fmt.Errorf("operation %s: %v%s", op.OperationID, err, showBody(resp.Header, body))
	}
	return nil
}

// schemaErrorMessage says where and why a value failed, without kin-openapi's
// dump of the whole schema (the body is shown instead).
func schemaErrorMessage(err *openapi3.SchemaError) string {
	reason := err.Reason
	if err.Origin != nil {
		reason = err.Origin.Error()
	}
	if reason == "" {
		reason = "does not match the schema's " + err.SchemaField
	}
	if p := err.JSONPointer(); len(p) > 0 {
		return fmt.Sprintf("at %q: %s", "/"+strings.Join(p, "/"), reason)
	}
	return reason
}

func showBody(h http.Header, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	ct := h.Get("Content-Type")
	if !strings.Contains(ct, "json") && !strings.HasPrefix(ct, "text/plain") {
		return fmt.Sprintf("\n\tbody: %d bytes of %q", len(body), ct)
	}
	if len(body) > maxShownBody {
		return fmt.Sprintf("\n\tbody (%s, first %d of %d bytes): %s", ct, maxShownBody, len(body), body[:maxShownBody])
	}
	return fmt.Sprintf("\n\tbody (%s): %s", ct, body)
}
