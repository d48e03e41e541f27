package server

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/login"
	"github.com/gatehouse-iam/gatehouse/internal/loginapi"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
)

// table is the route table with every optional login route on (MFA,
// registration, recovery) and stand-in handlers.
func table(t *testing.T) ([]route, *http.ServeMux) {
	t.Helper()
	stub := http.NotFoundHandler()
	lh := login.New(login.Deps{Accounts: &accounts.Service{}, Registration: true, MFA: &mfa.Service{}})
	la, err := loginapi.New(loginapi.Deps{Flow: lh.SignInFlow()})
	if err != nil {
		t.Fatal(err)
	}
	rs := routes(routeHandlers{admin: stub, account: stub, ops: stub, login: lh, loginAPI: la, protocol: stub, saml: stub})
	return rs, mux(rs) // mux panics on conflicting patterns
}

var paramRe = regexp.MustCompile(`\{[^}]+\}`)

// Every operation of the contract is routed to a handler that serves the
// contract, and every route said to serve the contract serves operations
// of it. Pages and protocol endpoints are their own kinds: the contract
// does not describe them.
func TestRouteTableMatchesContract(t *testing.T) {
	rs, m := table(t)
	kinds := map[string]routeKind{}
	for _, r := range rs {
		kinds[r.pattern] = r.kind
	}
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	type op struct{ method, path string }
	ops := map[op]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops[op{method, path}] = true
			target := paramRe.ReplaceAllString(path, "x")
			_, pattern := m.Handler(httptest.NewRequest(method, target, nil))
			if k, ok := kinds[pattern]; !ok || k != contractRoute {
				t.Errorf("%s %s (contract) is routed to %q, not to a contract route", method, path, pattern)
			}
		}
	}
	for _, r := range rs {
		if r.kind != contractRoute {
			continue
		}
		method, path, ok := strings.Cut(r.pattern, " ")
		if !ok {
			method, path = "", r.pattern
		}
		// The login API of a named tenant is the contract's path under
		// /t/{tenant}; the account API's tenant paths are in the contract
		// as they are.
		bare := strings.TrimPrefix(path, "/t/{tenant}")
		found := false
		for o := range ops {
			if method != "" && o.method != method {
				continue
			}
			if o.path == path || o.path == bare || strings.HasSuffix(path, "/") && strings.HasPrefix(o.path, path) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("route %q serves the contract but the contract has no operation there", r.pattern)
		}
	}
}

// The login's JSON API is routed for named tenants too, the protocol's
// endpoints go to the provider (/authorize through the login's error
// pages), and other paths fall back to the provider.
func TestRouteTableProtocolAndTenants(t *testing.T) {
	rs, m := table(t)
	kinds := map[string]routeKind{}
	for _, r := range rs {
		kinds[r.pattern] = r.kind
	}
	cases := []struct {
		method, target string
		kind           routeKind
	}{
		{"POST", "/t/acme/login/api/authenticate", contractRoute},
		{"GET", "/t/acme/v1/me", contractRoute},
		{"GET", "/login", pageRoute},
		{"GET", "/t/acme/login/assets/app.css", pageRoute},
		{"POST", "/login/mfa/passkey/begin", pageRoute},
		{"GET", "/authorize", protocolRoute},
		{"GET", "/t/acme/authorize", protocolRoute},
		{"POST", "/oauth/token", protocolRoute},
		{"POST", "/t/acme/oauth/par", protocolRoute},
		{"GET", "/t/acme/.well-known/openid-configuration", protocolRoute},
		{"GET", "/.well-known/oauth-authorization-server/t/acme", protocolRoute},
		{"GET", "/saml/metadata", protocolRoute},
		{"HEAD", "/t/acme/saml/metadata", protocolRoute},
		{"GET", "/no/such/path", fallbackRoute},
	}
	for _, tc := range cases {
		_, pattern := m.Handler(httptest.NewRequest(tc.method, tc.target, nil))
		if k, ok := kinds[pattern]; !ok || k != tc.kind {
			t.Errorf("%s %s: routed to %q (kind %d), want kind %d", tc.method, tc.target, pattern, k, tc.kind)
		}
	}
}
