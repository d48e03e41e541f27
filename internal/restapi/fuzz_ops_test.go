package restapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// FuzzOperations sends every operation of api/openapi.yaml, and the hosted
// pages and OAuth endpoints outside it, with a fuzzed string in each of
// their string parameters in turn: path, query, header, and every string
// (and map key) of the JSON body, nested ones included, and as the raw
// body. Path parameters name real resources (a user, a client, a key, a
// webhook, an invitation, the caller's session) except on DELETE, and
// account operations carry a real access token, so the string reaches the
// handlers and the stores. The servers run on SQLite and, with
// GATEHOUSE_TEST_POSTGRES_DSN, on PostgreSQL. No answer may be a 5xx.
//
// The seeds run in `go test` (CI); `go test -fuzz FuzzOperations` explores.
func FuzzOperations(f *testing.F) {
	for _, s := range []string{
		// Refused at the edge: NUL, invalid UTF-8 (an encoded surrogate
		// too), and JSON escapes of NUL and of a lone surrogate (as the
		// raw body they are escapes; inside a string, text).
		"a\x00b", "a\xff\xed\xa0\x80b", `{"auth_request_id":"a\u0000b","email":"\ud800"}`,
		// Text that passes the edge and reaches the handlers and stores:
		// empty, long, and one with quotes, SQL LIKE and template
		// metacharacters, a path, bidi and astral characters and controls.
		"", strings.Repeat("a", 5000), "'\"%_\\;-- {{.Secret}} ../x ü\u202eé😀 \r\n\t\x7f\x01 https://evil.example/cb",
	} {
		f.Add(s)
	}
	doc, err := api.Spec()
	if err != nil {
		f.Fatal(err)
	}
	targets := []*opsTarget{newOpsTarget(f, "sqlite", nil)}
	if os.Getenv(pgtest.DSNEnv) != "" {
		targets = append(targets, newOpsTarget(f, "postgres", map[string]string{"GATEHOUSE_DATABASE": pgtest.SchemaURL(f, "gh_fuzzops")}))
	}
	ops := contractOps(doc)
	f.Fuzz(func(t *testing.T, s string) {
		// Both engines, each with a few requests in flight: the requests
		// wait on the database far more than they compute.
		var wg sync.WaitGroup
		for _, tg := range targets {
			work := make(chan variant)
			for range 2 {
				wg.Go(func() {
					for v := range work {
						tg.check(t, v)
					}
				})
			}
			wg.Go(func() {
				defer close(work)
				for _, o := range ops {
					for _, v := range o.variants(s, tg.fx) {
						work <- v
					}
				}
				for _, v := range pageVariants(s, tg.fx) {
					work <- v
				}
			})
		}
		wg.Wait()
	})
}

// opsTarget is one server with its fixtures.
type opsTarget struct {
	engine string
	s      *testserver.Server
	hc     *http.Client
	fx     fixtures
}

// fixtures are the resources path parameters name, per tenant ("" is the
// default tenant, "fz" another), and an account access token of each.
type fixtures map[string]map[string]string

func newOpsTarget(f *testing.F, engine string, env map[string]string) *opsTarget {
	if env == nil {
		env = map[string]string{}
	}
	env["GATEHOUSE_LOG_LEVEL"] = "warn"
	env["GATEHOUSE_SMTP_URL"] = mailtest.Start(f, mailtest.Options{}).URL() // invitations, codes, notices
	s := testserver.New(f, testserver.Options{LoopbackIssuer: true, Env: env})
	tg := &opsTarget{engine: engine, s: s, fx: fixtures{}, hc: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	admin := func(method, path, body string) map[string]any {
		status, raw := tg.send(variant{method: method, path: path, body: []byte(body), ctype: "application/json", auth: testserver.AdminToken})
		var out map[string]any
		if status/100 != 2 || json.Unmarshal(raw, &out) != nil {
			f.Fatalf("%s: %s %s: %d %s", engine, method, path, status, raw)
		}
		return out
	}
	admin("POST", "/admin/v1/tenants", `{"slug":"fz"}`)
	for _, tenant := range []string{"", "fz"} {
		base := "/admin/v1"
		if tenant != "" {
			base += "/tenants/" + tenant
		}
		fx := map[string]string{"tenant": "fz", "kind": "invitation", "lang": "en", "factor_id": "none", "enrolment_id": "none"}
		fx["user_id"] = admin("POST", base+"/users", `{"email":"fz-admin@example.com"}`)["id"].(string)
		fx["client_id"] = admin("POST", base+"/clients", `{"client_name":"Fuzz","grant_types":["client_credentials"]}`)["client_id"].(string)
		fx["key_id"] = admin("POST", base+"/api-keys", `{"name":"fz","scopes":["users:read"]}`)["id"].(string)
		fx["invitation_id"] = admin("POST", base+"/invitations", `{"email":"fz-invite@example.com"}`)["id"].(string)
		fx["purpose_id"] = admin("POST", base+"/privacy/purposes", `{"id":"fz-purpose","name":"Fuzz","legal_basis":"consent"}`)["id"].(string)
		fx["receipt_id"] = admin("PUT", base+"/users/"+fx["user_id"]+"/privacy/purposes/fz-purpose",
			`{"granted":true,"evidence":"fuzz"}`)["receipt_id"].(string)
		fx["export_id"] = admin("POST", base+"/users/"+fx["user_id"]+"/export", "")["id"].(string)
		if tenant == "" { // webhooks and events are the default tenant's
			fx["webhook_id"] = admin("POST", "/admin/v1/webhooks", `{"url":"https://hooks.example.com/fz"}`)["id"].(string)
			if events := admin("GET", "/admin/v1/events?limit=1", "")["items"].([]any); len(events) > 0 {
				fx["event_id"] = events[0].(map[string]any)["id"].(string)
			}
		}
		// A user of the account API, signed in through the login API.
		mkAccountUser(f, s, tenant, "fz-account@example.com")
		web := mkApp(f, s, tenant, "Fuzz console", true)
		fx["token"] = newUserAgent(f, s).signIn(web, "fz-account@example.com", "openid account").AccessToken
		me := "/v1/me"
		if tenant != "" {
			me = "/t/" + tenant + me
		}
		status, raw := tg.send(variant{method: "GET", path: me + "/sessions", auth: fx["token"]})
		var sessions struct{ Items []struct{ ID string } }
		if status != 200 || json.Unmarshal(raw, &sessions) != nil || len(sessions.Items) == 0 {
			f.Fatalf("%s: sessions: %d %s", engine, status, raw)
		}
		fx["session_id"] = sessions.Items[0].ID
		tg.fx[tenant] = fx
	}
	return tg
}

// variant is one request to send.
type variant struct {
	name, method, path, ctype, auth string
	query                           url.Values
	header                          http.Header
	body                            []byte
	form                            bool // body is a form, not JSON
}

func (tg *opsTarget) send(v variant) (int, []byte) {
	u := tg.s.URL + v.path
	if len(v.query) > 0 {
		u += "?" + v.query.Encode()
	}
	var body io.Reader
	if v.body != nil {
		body = bytes.NewReader(v.body)
	}
	req, err := http.NewRequest(v.method, u, body)
	if err != nil {
		return -1, []byte(err.Error())
	}
	if v.ctype != "" {
		req.Header.Set("Content-Type", v.ctype)
	}
	if v.auth != "" {
		req.Header.Set("Authorization", "Bearer "+v.auth)
	}
	for k, vs := range v.header {
		req.Header[k] = vs
	}
	resp, err := tg.hc.Do(req)
	if err != nil {
		return -1, []byte(err.Error())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func (tg *opsTarget) check(t *testing.T, v variant) {
	t.Helper()
	status, raw := tg.send(v)
	if status >= 500 || status == -1 {
		t.Errorf("%s: %s (%s %s): %d %.300s\nrequest body: %.300q\nlogs:\n%s",
			tg.engine, v.name, v.method, v.path, status, raw, v.body, tail(tg.s.Logs.String()))
	}
}

// contractOp is an operation of the contract, ready to fill.
type contractOp struct {
	id, method, path string
	params           openapi3.Parameters
	body             *openapi3.Schema
	ctype            string
	auth             string // "admin", "account" or ""
	// twin: the operation is the Tenant twin of another (listTenantUsers
	// of listUsers), with the same body.
	twin bool
}

// refusedAtEdge: s holds what the edge refuses in any parameter (NUL,
// invalid UTF-8), or JSON escapes of it, which the raw body variant sends.
func refusedAtEdge(s string) bool {
	return strings.ContainsRune(s, 0) || !utf8.ValidString(s) || strings.Contains(s, `\u0000`) || strings.Contains(s, `\ud8`)
}

func contractOps(doc *openapi3.T) []contractOp {
	var ops []contractOp
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			o := contractOp{id: op.OperationID, method: method, path: path, params: append(slices.Clone(item.Parameters), op.Parameters...)}
			sec := op.Security
			if sec == nil {
				sec = &doc.Security
			}
			for _, req := range *sec {
				if _, ok := req["bearerAuth"]; ok {
					o.auth = "admin"
				}
				if _, ok := req["accountAuth"]; ok {
					o.auth = "account"
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, ct := range []string{"application/json", "application/merge-patch+json"} {
					if mt := op.RequestBody.Value.Content.Get(ct); mt != nil && mt.Schema != nil {
						o.body, o.ctype = mt.Schema.Value, ct
						break
					}
				}
			}
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	ids := map[string]bool{}
	for _, o := range ops {
		ids[o.id] = true
	}
	for i, o := range ops {
		if strings.Contains(o.id, "Tenant") && (ids[strings.Replace(o.id, "Tenant", "", 1)] || ids[strings.Replace(o.id, "TenantMy", "My", 1)]) {
			ops[i].twin = true
		}
	}
	return ops
}

// variants are the requests that put s into each string parameter of o in
// turn (and one with s in all of them at once).
func (o contractOp) variants(s string, fx fixtures) []variant {
	tenant := ""
	if strings.Contains(o.path, "{tenant}") {
		tenant = "fz"
	}
	real := fx[tenant]
	base := variant{method: o.method, ctype: o.ctype}
	switch o.auth {
	case "admin":
		base.auth = testserver.AdminToken
	case "account":
		if o.method != http.MethodDelete { // DELETE /v1/me would end the fixture's account
			base.auth = real["token"]
		}
	}
	path := func(fuzzed string) string {
		p := o.path
		for _, prm := range o.params {
			if prm.Value.In == openapi3.ParameterInPath {
				val := real[prm.Value.Name]
				if fuzzed != "" || o.method == http.MethodDelete || val == "" {
					val = s
				}
				p = strings.ReplaceAll(p, "{"+prm.Value.Name+"}", url.PathEscape(val))
			}
		}
		return p
	}
	// required query parameters keep a valid value when another is fuzzed
	query := func(fuzzed string) url.Values {
		q := url.Values{}
		for _, prm := range o.params {
			p := prm.Value
			switch {
			case p.In != openapi3.ParameterInQuery:
			case p.Name == fuzzed || fuzzed == "*":
				q.Set(p.Name, s)
			case p.Required:
				q.Set(p.Name, fill(p.Schema.Value))
			}
		}
		return q
	}
	var out []variant
	add := func(name string, v variant) {
		v.name = o.id + " " + name
		out = append(out, v)
	}
	all := base
	all.path, all.query = path("*"), query("*")
	if o.body != nil {
		all.body = jsonOf(bodyGen{s: s, target: -1}.value(o.body, 0, new(int)))
	}
	add("all", all)
	if o.body != nil {
		raw := base
		raw.path, raw.query, raw.body = path(""), query(""), []byte(s)
		add("raw body", raw)
		// One string in each leaf in turn, for the default tenant's
		// operations: the Tenant twins run the same handlers. Text the edge
		// refuses is refused whole, so "all" covers it.
		n := leaves(o.body, 0)
		if o.twin || refusedAtEdge(s) {
			n = 0
		}
		for i := 0; i < n; i++ {
			v := base
			v.path, v.query = path(""), query("")
			v.body = jsonOf(bodyGen{s: s, target: i}.value(o.body, 0, new(int)))
			add(fmt.Sprintf("body leaf %d", i), v)
		}
	}
	for _, prm := range o.params {
		p := prm.Value
		v := base
		v.path, v.query = path(""), query("")
		if o.body != nil {
			v.body = jsonOf(bodyGen{s: s, target: -2}.value(o.body, 0, new(int)))
		}
		switch p.In {
		case openapi3.ParameterInPath:
			v.path = strings.ReplaceAll(o.path, "{"+p.Name+"}", url.PathEscape(s))
			for _, other := range o.params {
				if other.Value.In == openapi3.ParameterInPath {
					v.path = strings.ReplaceAll(v.path, "{"+other.Value.Name+"}", url.PathEscape(real[other.Value.Name]))
				}
			}
		case openapi3.ParameterInQuery:
			v.query = query(p.Name)
		case openapi3.ParameterInHeader:
			// Key rotations take a while (key generation), and their
			// Idempotency-Key is handled as every other POST's.
			if !headerSafe(s) || strings.Contains(o.id, "SigningKeys") {
				continue
			}
			v.header = http.Header{http.CanonicalHeaderKey(p.Name): {s}}
		default:
			continue
		}
		add(p.In+" "+p.Name, v)
	}
	return out
}

// headerSafe: the HTTP client refuses to send control characters in a
// header (and net/http servers refuse NUL), so those inputs skip headers.
func headerSafe(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f })
}

// jsonOf encodes v as JSON, writing the bytes of strings as they are:
// encoding/json would turn invalid UTF-8 into U+FFFD, and the server must
// see what a client can send. Quotes, backslashes and control characters
// (NUL too) are escaped, as JSON requires.
func jsonOf(v any) []byte {
	var b bytes.Buffer
	writeJSONValue(&b, v)
	return b.Bytes()
}

func writeJSONValue(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case string:
		b.WriteByte('"')
		for i := 0; i < len(v); i++ {
			switch c := v[i]; {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c < 0x20:
				fmt.Fprintf(b, `\u%04x`, c)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(v) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONValue(b, k)
			b.WriteByte(':')
			writeJSONValue(b, v[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONValue(b, e)
		}
		b.WriteByte(']')
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		b.Write(raw)
	}
}

// bodyGen builds a JSON value for a schema: string leaf number target gets
// s (-1: every leaf; -2: none), every other string a valid value. Objects
// carry their required members and those on the way to the target leaf
// (all members when target is -1).
type bodyGen struct {
	s      string
	target int
}

const maxDepth = 5

func (g bodyGen) value(sc *openapi3.Schema, depth int, next *int) any {
	if sc == nil || depth > maxDepth {
		return nil
	}
	if alt := pick(sc); alt != nil {
		return g.value(alt, depth, next)
	}
	switch {
	case len(sc.AllOf) > 0:
		out := map[string]any{}
		for _, part := range sc.AllOf {
			if m, ok := g.value(part.Value, depth, next).(map[string]any); ok {
				for k, v := range m {
					out[k] = v
				}
			}
		}
		return out
	case sc.Type.Is("object") || len(sc.Properties) > 0:
		out := map[string]any{}
		for _, name := range sortedKeys(sc.Properties) {
			first := *next
			v := g.value(sc.Properties[name].Value, depth+1, next)
			inside := g.target >= first && g.target < *next
			if g.target == -1 || inside || slices.Contains(sc.Required, name) {
				out[name] = v
			}
		}
		if ap := sc.AdditionalProperties.Schema; ap != nil && len(sc.Properties) == 0 {
			key := "k"
			if g.hit(next) {
				key = g.s
			}
			out[key] = g.value(ap.Value, depth+1, next)
		}
		return out
	case sc.Type.Is("array"):
		if sc.Items == nil {
			return []any{}
		}
		return []any{g.value(sc.Items.Value, depth+1, next)}
	case sc.Type.Is("string") || sc.Type.Includes("string"):
		if len(sc.Enum) > 0 {
			return sc.Enum[0]
		}
		if g.hit(next) {
			return g.s
		}
		return fill(sc)
	case sc.Type.Is("integer") || sc.Type.Is("number"):
		if sc.Min != nil {
			return *sc.Min
		}
		return 1
	case sc.Type.Is("boolean"):
		return true
	}
	return nil
}

// hit counts a leaf and reports whether it is the target.
func (g bodyGen) hit(next *int) bool {
	i := *next
	*next++
	return g.target == -1 || g.target == i
}

// leaves counts the string leaves of sc as value numbers them.
func leaves(sc *openapi3.Schema, depth int) int {
	n := 0
	bodyGen{target: -2}.value(sc, depth, &n)
	return n
}

// pick is the first non-null alternative of a oneOf/anyOf, or nil.
func pick(sc *openapi3.Schema) *openapi3.Schema {
	for _, l := range [][]*openapi3.SchemaRef{sc.OneOf, sc.AnyOf} {
		for _, r := range l {
			if r.Value != nil && !r.Value.Type.Is("null") {
				return r.Value
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fill is a valid value for a string schema: its example, or one for its
// format or pattern.
var fillCandidates = []string{"jane.doe", "123456", "#112233", "+14155550123", "1990-01-01", "en-US", "openid",
	"login.*", "1h", "plan=pro", "v1", "acme", "x"}

func fill(sc *openapi3.Schema) string {
	if sc == nil {
		return "x"
	}
	if len(sc.Enum) > 0 {
		if v, ok := sc.Enum[0].(string); ok {
			return v
		}
	}
	for _, ex := range append([]any{sc.Example}, sc.Examples...) {
		if v, ok := ex.(string); ok {
			return v
		}
	}
	switch sc.Format {
	case "email":
		return "fz@example.com"
	case "uri":
		return "https://example.com/fz"
	case "date-time":
		return "2030-01-02T03:04:05Z"
	case "date":
		return "2000-01-01"
	case "password":
		return "correct horse battery staple"
	}
	if sc.Pattern != "" {
		if re, err := regexp.Compile(sc.Pattern); err == nil {
			for _, c := range fillCandidates {
				if re.MatchString(c) {
					return c
				}
			}
		}
	}
	if sc.MinLength > 1 {
		return strings.Repeat("x", int(sc.MinLength))
	}
	return "x"
}

// pageVariants are the hosted pages and OAuth endpoints outside the
// contract, with s in each of their parameters, for both tenants' paths.
func pageVariants(s string, fx fixtures) []variant {
	form := func(kv ...string) []byte {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return []byte(q.Encode())
	}
	esc := url.PathEscape(s)
	var out []variant
	for _, base := range []string{"", "/t/fz", "/t/" + esc} {
		add := func(method, path string, q url.Values, body []byte) {
			v := variant{name: "page " + method + " " + base + path, method: method, path: base + path, query: q, body: body}
			if body != nil {
				v.ctype, v.form = "application/x-www-form-urlencoded", true
			}
			out = append(out, v)
		}
		for _, p := range []string{"/login", "/login/mfa", "/login/mfa/enrol", "/login/consent", "/login/password", "/login/not-me",
			"/register", "/verify", "/recover", "/recover/reset", "/invite", "/email/confirm", "/device"} {
			add("GET", p, url.Values{"authRequestID": {s}, "token": {s}, "user_code": {s}, "email": {s}}, nil)
			add("POST", p, nil, form("authRequestID", s, "csrf", s, "identifier", s, "password", s, "code", s, "decision", s,
				"email", s, "token", s, "new_password", s, "user_code", s, "given_name", s))
		}
		for _, p := range []string{"/login/mfa/passkey/begin", "/login/mfa/webauthn/begin", "/login/mfa/register/begin",
			"/login/mfa/passkey/finish", "/login/mfa/webauthn/finish", "/login/mfa/register/finish"} {
			out = append(out, variant{name: "page POST " + base + p, method: "POST", path: base + p, ctype: "application/json",
				body: jsonOf(map[string]any{"auth_request_id": s, "credential": map[string]any{s: s}})})
		}
		add("GET", "/login/assets/"+esc, nil, nil)
		add("GET", "/authorize", url.Values{"client_id": {s}, "redirect_uri": {s}, "response_type": {"code"}, "scope": {s},
			"state": {s}, "nonce": {s}, "code_challenge": {s}, "code_challenge_method": {"S256"}, "prompt": {s}, "acr_values": {s}}, nil)
		add("GET", "/authorize", url.Values{"client_id": {fx[""]["client_id"]}, "redirect_uri": {s}, "response_type": {"code"}, "scope": {"openid"}}, nil)
		for _, gt := range []string{s, "authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code",
			"urn:ietf:params:oauth:grant-type:token-exchange"} {
			add("POST", "/oauth/token", nil, form("grant_type", gt, "code", s, "refresh_token", s, "client_id", s, "client_secret", s,
				"redirect_uri", s, "code_verifier", s, "device_code", s, "scope", s, "subject_token", s, "subject_token_type", s))
		}
		add("POST", "/oauth/introspect", nil, form("token", s, "client_id", s, "client_secret", s))
		add("POST", "/revoke", nil, form("token", s, "client_id", s, "token_type_hint", s))
		add("POST", "/oauth/par", nil, form("client_id", s, "redirect_uri", s, "response_type", "code", "scope", s))
		add("POST", "/device_authorization", nil, form("client_id", s, "scope", s))
		add("GET", "/end_session", url.Values{"id_token_hint": {s}, "post_logout_redirect_uri": {s}, "state": {s}, "client_id": {s}}, nil)
		add("GET", "/userinfo", url.Values{"access_token": {s}}, nil)
		add("GET", "/keys", nil, nil)
		add("GET", "/.well-known/openid-configuration", nil, nil)
		if headerSafe(s) {
			out = append(out, variant{name: "userinfo bearer " + base, method: "GET", path: base + "/userinfo", auth: s})
		}
	}
	return out
}
