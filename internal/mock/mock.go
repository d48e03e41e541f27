// Package mock serves an OpenAPI contract from its examples, without a
// database: `gatehouse mock`. Each request is routed to its operation,
// authenticated as far as a mock can (a bearer token or the session cookie
// must be present where the operation needs one; any value passes) and
// validated exactly as the Gatehouse server validates it (apicontract), so
// bad input gets the same 400, 413 or 415 problem. A valid request gets the
// operation's first success response with its first example, rendered when
// the mock starts; `Prefer: code=404` and `Prefer: example=NAME` (RFC 7240)
// pick another documented response. Deprecated operations carry their
// Deprecation, Sunset and Link headers, as on the server.
package mock

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// Options configure the mock.
type Options struct {
	// Spec is the contract, YAML or JSON; nil means api/openapi.yaml.
	Spec []byte
	// Log receives one line per request at info (nil: discarded).
	Log *slog.Logger
	// MaxBodyBytes caps request bodies as GATEHOUSE_MAX_BODY_BYTES does;
	// 0 means 1 MiB, the server's default.
	MaxBodyBytes int64
}

// Mock is a running mock's handler and what it serves.
type Mock struct {
	http.Handler
	// Title and Version are the contract's info.
	Title, Version string
	// Operations is how many operations it serves.
	Operations int
}

// New loads the contract and renders every example.
func New(opts Options) (*Mock, error) {
	spec := opts.Spec
	var doc *openapi3.T
	var err error
	if spec == nil {
		spec = api.YAML()
		doc, err = api.Spec()
	} else {
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = false
		if doc, err = loader.LoadFromData(spec); err == nil {
			err = doc.Validate(loader.Context)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("mock: the contract: %w", err)
	}
	order, err := readOrder(spec)
	if err != nil {
		return nil, fmt.Errorf("mock: the contract: %w", err)
	}
	deps, err := apicontract.NewDeprecations(doc)
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	d := *doc
	d.Servers = nil // any host, as on the server
	router, err := gorillamux.NewRouter(&d)
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	s := &server{router: router, validator: apicontract.NewValidator(&d), files: fileHandlers(opts.Spec == nil, doc, spec)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", s.unmatched)
	n := 0
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			_, file := s.files[op.OperationID]
			o, err := newOperation(&d, path, item, method, op, order[method+" "+path], deps, file)
			if err != nil {
				return nil, fmt.Errorf("mock: %s %s: %w", method, path, err)
			}
			if err := handle(mux, method+" "+path, s.serve(o)); err != nil {
				return nil, fmt.Errorf("mock: %s %s: %w", method, path, err)
			}
			n++
		}
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	limit := cmp.Or(opts.MaxBodyBytes, 1<<20)
	h := httpx.Chain(mux,
		httpx.RequestIDs,
		httpx.Logging(log),
		httpx.NewMetrics(prometheus.NewRegistry()).Observe,
		httpx.Recover,
		cors,
		httpx.SecurityHeaders(false),
		httpx.BodyLimit(limit),
	)
	return &Mock{Handler: h, Title: doc.Info.Title, Version: doc.Info.Version, Operations: n}, nil
}

// handle registers a ServeMux pattern, turning its panic on a pattern that
// conflicts with another into an error.
func handle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%v", v)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

type server struct {
	router    routers.Router // for telling 404 from 405
	validator *apicontract.Validator
	files     map[string]http.Handler
}

// unmatched answers requests no operation takes, as the server does.
func (s *server) unmatched(w http.ResponseWriter, r *http.Request) {
	_, _, err := s.router.FindRoute(r)
	if err == nil { // kin's router matched a path ServeMux's patterns did not: refuse as 405
		err = routers.ErrMethodNotAllowed
	}
	httpx.WriteProblem(w, r, apicontract.NoOperation(r, err))
}

func (s *server) serve(o *operation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r.Context(), o.route.Method+" "+o.route.Path)
		if api.NoStore(o.route.Operation) { // as the server: a secret shown once is never cached
			httpx.NoStore(w.Header())
		}
		if !o.authenticated(r) {
			o.write(w, r, o.unauthorized, nil)
			return
		}
		params := make(map[string]string, len(o.params))
		for _, p := range o.params {
			params[p] = r.PathValue(p)
		}
		if err := s.validator.Validate(r, o.route, params); err != nil {
			httpx.WriteProblem(w, r, apicontract.RequestProblem(err))
			return
		}
		if h := s.files[o.route.Operation.OperationID]; h != nil {
			h.ServeHTTP(w, r)
			return
		}
		c, applied, p := o.choose(r)
		if p != nil {
			httpx.WriteProblem(w, r, p)
			return
		}
		o.write(w, r, c, applied)
	}
}

// fileHandlers serve the operations whose bodies are files: the contract
// itself (as given), the reference page and the changelog.
func fileHandlers(embedded bool, doc *openapi3.T, spec []byte) map[string]http.Handler {
	jsonDoc := api.JSON()
	if !embedded {
		jsonDoc, _ = json.Marshal(doc)
	}
	static := func(contentType string, body []byte) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			_, _ = w.Write(body)
		})
	}
	return map[string]http.Handler{
		"getOpenAPIJSON": static("application/json", jsonDoc),
		"getOpenAPIYAML": static("application/yaml", spec),
		"getDocs":        api.DocsHandler(),
		"getDocsScript":  api.DocsHandler(),
		"getChangelog":   api.DocsHandler(),
	}
}

// cors lets browser apps on other origins call the mock (it holds no
// data, so any origin may, without credentials).
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") != "" {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers",
				"ETag, Location, Retry-After, WWW-Authenticate, Deprecation, Sunset, Link, Preference-Applied, X-Request-Id")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, Idempotency-Key, Prefer")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// operation is one operation with its responses rendered.
type operation struct {
	route  *routers.Route
	params []string
	// security is the alternatives the caller may satisfy; empty when
	// the operation is open.
	security openapi3.SecurityRequirements
	schemes  openapi3.SecuritySchemes
	// first is the default answer; byName the named examples of all
	// responses, successes first; byStatus the first example per status.
	first        *canned
	byName       map[string]*canned
	byStatus     map[int]*canned
	statuses     []int
	unauthorized *canned
	deprecation  http.Header
}

func newOperation(doc *openapi3.T, path string, item *openapi3.PathItem, method string, op *openapi3.Operation,
	order map[string][]mediaOrder, deps *apicontract.Deprecations, file bool) (*operation, error) {
	o := &operation{
		route:    &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
		byName:   map[string]*canned{},
		byStatus: map[int]*canned{},
	}
	if doc.Components != nil {
		o.schemes = doc.Components.SecuritySchemes
	}
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			o.params = append(o.params, seg[1:len(seg)-1])
		}
	}
	if op.Security != nil {
		o.security = *op.Security
	} else {
		o.security = doc.Security
	}
	if slices.ContainsFunc(o.security, func(req openapi3.SecurityRequirement) bool { return len(req) == 0 }) {
		o.security = nil // one alternative asks for nothing
	}
	o.deprecation = http.Header{}
	deps.SetHeaders(o.deprecation, op)

	codes := slices.Collect(maps.Keys(op.Responses.Map()))
	// Successes first, then the rest, each by status.
	rank := func(code string) int {
		if strings.HasPrefix(code, "2") {
			return 0
		}
		return 1
	}
	slices.SortFunc(codes, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
	for _, code := range codes {
		status, err := strconv.Atoi(code)
		if err != nil {
			continue // "default" or a range: nothing to pick by number
		}
		resp := op.Responses.Value(code).Value
		rendered, err := renderResponse(status, resp, order[code])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", code, err)
		}
		if len(rendered) == 0 {
			if file {
				continue // served from the file, not from examples
			}
			return nil, fmt.Errorf("%s: no example to answer with", code)
		}
		o.statuses = append(o.statuses, status)
		o.byStatus[status] = rendered[0]
		if o.first == nil {
			o.first = rendered[0]
		}
		for _, c := range rendered {
			if _, dup := o.byName[c.name]; c.name != "" && !dup {
				o.byName[c.name] = c
			}
		}
	}
	if o.first == nil && !file {
		return nil, errors.New("no response to answer with")
	}
	o.unauthorized = o.byStatus[http.StatusUnauthorized]
	if o.unauthorized == nil {
		p := httpx.Unauthorized("A bearer token is required.")
		o.unauthorized = &canned{status: p.Status, contentType: "application/problem+json", problem: problemMap(p),
			header: http.Header{"Www-Authenticate": p.Header["Www-Authenticate"]}}
	}
	return o, nil
}

// authenticated reports whether r carries what one of the operation's
// security alternatives needs. The mock checks presence only.
func (o *operation) authenticated(r *http.Request) bool {
	if len(o.security) == 0 {
		return true
	}
	for _, req := range o.security {
		ok := true
		for name := range req {
			if !o.present(r, name) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (o *operation) present(r *http.Request, scheme string) bool {
	ref := o.schemes[scheme]
	if ref == nil || ref.Value == nil {
		return false
	}
	s := ref.Value
	switch s.Type {
	case "http":
		kind, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		return ok && strings.EqualFold(kind, s.Scheme) && strings.TrimSpace(cred) != ""
	case "apiKey":
		switch s.In {
		case "header":
			return r.Header.Get(s.Name) != ""
		case "query":
			return r.URL.Query().Get(s.Name) != ""
		case "cookie":
			c, err := r.Cookie(s.Name)
			return err == nil && c.Value != ""
		}
	}
	return false
}

// choose picks the answer to r: the operation's first success example, or
// what the request's Prefer header asks for. An impossible preference is a
// 400 problem that lists what the operation documents.
func (o *operation) choose(r *http.Request) (*canned, []string, *httpx.Problem) {
	code, example := preferences(r.Header.Values("Prefer"))
	if code == "" && example == "" {
		return o.first, nil, nil
	}
	var applied []string
	c := o.first
	if code != "" {
		status, err := strconv.Atoi(code)
		if c = o.byStatus[status]; err != nil || c == nil {
			return nil, nil, preferProblem(fmt.Sprintf("this operation documents no response %q; it has %s", code, joinInts(o.statuses)))
		}
		applied = append(applied, "code="+code)
	}
	if example != "" {
		n := o.byName[example]
		if n == nil || (code != "" && n.status != c.status) {
			where := ""
			if code != "" {
				where = " for " + code
			}
			return nil, nil, preferProblem(fmt.Sprintf("this operation has no example %q%s; it has %s", example, where, o.exampleNames()))
		}
		c = n
		applied = append(applied, "example="+example)
	}
	return c, applied, nil
}

func (o *operation) exampleNames() string {
	names := slices.Sorted(maps.Keys(o.byName))
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func preferProblem(msg string) *httpx.Problem {
	return httpx.Validation("The Prefer header asks for a response this operation does not document.",
		httpx.FieldError{Field: "header:Prefer", Message: msg})
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// preferences reads the code and example preferences of Prefer header
// fields (RFC 7240: comma-separated, each token[=value][; params]); others
// are ignored, as the RFC asks.
func preferences(fields []string) (code, example string) {
	for _, f := range fields {
		for _, pref := range strings.Split(f, ",") {
			pref, _, _ = strings.Cut(pref, ";")
			name, value, _ := strings.Cut(strings.TrimSpace(pref), "=")
			value = strings.Trim(strings.TrimSpace(value), `"`)
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "code":
				code = value
			case "example":
				example = value
			}
		}
	}
	return code, example
}

// write sends c, with the operation's deprecation headers.
func (o *operation) write(w http.ResponseWriter, r *http.Request, c *canned, applied []string) {
	h := w.Header()
	for k, v := range o.deprecation {
		h[k] = v
	}
	if len(applied) > 0 {
		h.Set("Preference-Applied", strings.Join(applied, ", "))
	}
	c.write(w, r)
}
