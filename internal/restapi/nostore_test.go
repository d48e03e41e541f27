package restapi_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

var verifyCodeRe = regexp.MustCompile(`verification code: ([0-9]{6,8})`)

// noStoreSeen records the successful responses of operations marked
// x-gatehouse-no-store that went through it, and checks their headers.
type noStoreSeen struct {
	t    *testing.T
	base http.RoundTripper
	mu   sync.Mutex
	ops  []string
}

func (n *noStoreSeen) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := n.base.RoundTrip(req)
	if err != nil || resp.StatusCode/100 != 2 {
		return resp, err
	}
	r, _ := api.Router()
	route, _, ferr := r.FindRoute(req)
	if ferr != nil || !api.NoStore(route.Operation) {
		return resp, err
	}
	if cc, pr := resp.Header.Get("Cache-Control"), resp.Header.Get("Pragma"); cc != "no-store" || pr != "no-cache" {
		n.t.Errorf("%s %s (%s) -> %d with Cache-Control %q, Pragma %q; want no-store, no-cache",
			req.Method, req.URL.Path, route.Operation.OperationID, resp.StatusCode, cc, pr)
	}
	n.mu.Lock()
	n.ops = append(n.ops, route.Operation.OperationID)
	n.mu.Unlock()
	return resp, err
}

// Every operation the contract marks x-gatehouse-no-store (client create,
// secret rotation, API key and webhook create, TOTP enrolment, recovery
// codes, the login API's answers with an authorization code) answers a
// real request with Cache-Control: no-store and Pragma: no-cache, on the
// default tenant's paths and the named tenants'. A marked operation that
// this test does not reach fails it, so a new one gets covered.
func TestSecretResponsesAreNotCached(t *testing.T) {
	ms := mailtest.Start(t, mailtest.Options{})
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{
		"GATEHOUSE_SMTP_URL": ms.URL(), "GATEHOUSE_SMTP_FROM": "Gatehouse <noreply@example.org>",
	}})
	if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "acme"}); err != nil || r.StatusCode() != 201 {
		t.Fatalf("create tenant: %v %s", err, r.Body)
	}
	seen := &noStoreSeen{t: t, base: apitest.Transport(t, nil)}
	ua := func() *userAgent { // a new browser whose responses seen checks
		b := newUserAgent(t, s)
		b.hc.Transport = seen
		return b
	}
	admin := ua()
	call := func(method, path, token, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, raw := admin.send(req, true)
		var out map[string]any
		if resp.StatusCode/100 != 2 || json.Unmarshal([]byte(raw), &out) != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
		return out
	}

	// The Admin API.
	const confidential = `{"client_name":"Billing","grant_types":["client_credentials"],"scope":"invoices:read"}`
	for _, base := range []string{"/admin/v1", "/admin/v1/tenants/acme"} {
		c := call("POST", base+"/clients", testserver.AdminToken, confidential)
		call("POST", base+"/clients/"+c["client_id"].(string)+"/secret", testserver.AdminToken, "")
		call("POST", base+"/api-keys", testserver.AdminToken, `{"name":"ci","scopes":["users:read"]}`)
		call("POST", base+"/initial-access-tokens", testserver.AdminToken, `{"max_uses":1}`)
	}
	call("POST", "/admin/v1/webhooks", testserver.AdminToken, `{"url":"https://hooks.example.com/gh"}`)

	// The account API and the login API, in both tenants.
	for _, tenant := range []string{"", "acme"} {
		email := "ada" + tenant + "@example.com"
		uid := mkAccountUser(t, s, tenant, email)
		web := mkApp(t, s, tenant, "Account console", true)
		tok := ua().signIn(web, email, "openid account").AccessToken
		en := call("POST", mePath(tenant, "/mfa/totp"), tok, "")
		code, err := totp.GenerateCode(en["secret"].(string), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		call("POST", mePath(tenant, "/mfa/totp/"+en["enrolment_id"].(string)), tok, `{"code":"`+code+`"}`)
		b := ua()
		tok = b.signInTOTP(web, email, "openid account", en["secret"].(string)).AccessToken
		call("POST", mePath(tenant, "/mfa/recovery-codes"), tok, "")
		// Consent asked and given through the API, by the signed-in browser.
		z := b.authorize(web, "openid account")
		res := b.postLoginAPI(tenant, "consent", gen.LoginConsentRequest{AuthRequestID: z.loginURL.Query().Get("authRequestID"), Approve: true})
		if res.Status != gen.LoginResultStatusComplete {
			t.Fatalf("consent: %+v", res)
		}
		if tenant == "" { // the organization picker: ada is in two
			org := mkPickerOrgs(t, s, uid)
			z := b.authorize(mkPickerApp(t, s), "openid")
			res := b.postLoginAPI(tenant, "organization", gen.LoginOrganizationRequest{AuthRequestID: z.loginURL.Query().Get("authRequestID"), Organization: org})
			if res.Status != gen.LoginResultStatusComplete {
				t.Fatalf("organization: %+v", res)
			}
		}
	}

	// Registration, then verification by the mailed code.
	b := ua()
	z := b.authorize(mkApp(t, s, "", "Shop", true), "openid")
	raw, _ := json.Marshal(gen.RegistrationRequest{AuthRequestID: z.loginURL.Query().Get("authRequestID"),
		Email: "new@example.com", Password: accountPassword, AcceptTerms: true})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/register/api", strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	if resp, body := b.send(req, true); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	m := ms.WaitFor(t, "new@example.com", 10*time.Second)
	c := verifyCodeRe.FindStringSubmatch(m.Text)
	if c == nil {
		t.Fatalf("no code in %q:\n%s", m.Subject, m.Text)
	}
	var verified gen.LoginResult
	b.postJSON("/verify/api", map[string]string{"email": "new@example.com", "code": c[1]}, &verified)

	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if api.NoStore(op) && !slices.Contains(seen.ops, op.OperationID) {
				missing = append(missing, op.OperationID)
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("marked operations this test did not call with success: %v", missing)
	}
}

// postJSON posts v to a contract path of the default tenant and decodes a
// 200 answer into out.
func (b *userAgent) postJSON(path string, v, out any) {
	b.t.Helper()
	raw, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, b.s.URL+path, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	resp, body := b.send(req, true)
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), out) != nil {
		b.t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
}

// mkPickerOrgs puts the user in two organizations of the default tenant
// and returns the first's ID.
func mkPickerOrgs(t *testing.T, s *testserver.Server, userID string) string {
	t.Helper()
	var first string
	for _, name := range []string{"acme-corp", "globex"} {
		r, err := s.Admin.CreateOrganizationWithResponse(ctx, nil, gen.OrganizationCreate{Name: gen.OrganizationName(name)})
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create organization: %v %s", err, r.Body)
		}
		if m, err := s.Admin.AddOrganizationMemberWithResponse(ctx, r.JSON201.ID, nil, gen.OrganizationMemberAdd{UserID: userID}); err != nil || m.StatusCode()/100 != 2 {
			t.Fatalf("add member: %v %s", err, m.Body)
		}
		if first == "" {
			first = r.JSON201.ID
		}
	}
	return first
}

// mkPickerApp is a first-party app of the default tenant that signs
// people in for an organization (organization_usage required).
func mkPickerApp(t *testing.T, s *testserver.Server) app {
	t.Helper()
	method := gen.TokenEndpointAuthMethodNone
	r, err := s.Admin.CreateClientWithResponse(ctx, nil, gen.ClientCreate{
		ClientName: "Partner portal", RedirectUris: &[]string{callbackURI},
		GrantTypes: &[]gen.GrantType{gen.GrantTypeAuthorizationCode}, TokenEndpointAuthMethod: &method,
		Metadata: &map[string]any{"first_party": true, "organization_usage": "required"},
	})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("create client: %v %s", err, r.Body)
	}
	return app{id: r.JSON201.ClientID}
}
