package gatehouse_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
	gatehouse "github.com/gatehouse-iam/gatehouse/sdk/go"
)

const password = "correct horse battery staple"

func ptr[T any](v T) *T { return &v }

func adminClient(t *testing.T, s *testserver.Server, tenant string) *gatehouse.Client {
	t.Helper()
	c, err := gatehouse.NewAdminClient(gatehouse.AdminOptions{BaseURL: s.URL, Token: testserver.AdminToken, Tenant: tenant, HTTPClient: s.HTTP})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func createUser(t *testing.T, c *gatehouse.Client, email string) gen.User {
	t.Helper()
	resp, err := c.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: openapi_types.Email(email), Password: ptr(password)})
	if err != nil || resp.JSON201 == nil {
		t.Fatalf("create %s: %v %d %s", email, err, resp.StatusCode(), resp.Body)
	}
	return *resp.JSON201
}

// An admin creates users and pages through them; a conflict comes back
// as a typed problem.
func TestAdminClient(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	c := adminClient(t, s, "")
	for _, e := range []string{"ann@example.com", "bob@example.com", "cy@example.com"} {
		createUser(t, c, e)
	}
	var emails []string
	params := &gen.ListUsersParams{Limit: ptr(2)}
	for pages := 0; ; pages++ {
		resp, err := c.ListUsersWithResponse(t.Context(), params)
		if err != nil || resp.JSON200 == nil {
			t.Fatalf("list: %v %s", err, resp.Body)
		}
		for _, u := range resp.JSON200.Items {
			emails = append(emails, string(u.Email))
		}
		next, err := resp.JSON200.NextCursor.Get() // null on the last page
		if err != nil {
			if pages != 1 {
				t.Errorf("%d pages of 2 for 3 users", pages+1)
			}
			break
		}
		params.Cursor = &next
	}
	if strings.Join(emails, " ") != "ann@example.com bob@example.com cy@example.com" {
		t.Errorf("listed %v", emails)
	}

	resp, err := c.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: "bob@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := gatehouse.Problem(resp.HTTPResponse, resp.Body)
	if resp.StatusCode() != http.StatusConflict || resp.ApplicationProblemJSON409 == nil || !ok ||
		p.Type != "urn:gatehouse:problem:conflict" || p.Status != http.StatusConflict {
		t.Errorf("duplicate email: %d %+v %s", resp.StatusCode(), p, resp.Body)
	}
	if _, ok := gatehouse.Problem(resp.HTTPResponse, []byte("{}")); ok {
		t.Errorf("an empty object is not a problem")
	}
}

// With a Tenant the same calls act on that tenant; default-tenant-only
// operations are refused before anything is sent.
func TestAdminClientTenant(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	def := adminClient(t, s, "")
	if r, err := def.CreateTenantWithResponse(t.Context(), nil, gen.TenantCreate{Slug: "acme"}); err != nil || r.JSON201 == nil {
		t.Fatalf("tenant: %v %s", err, r.Body)
	}
	acme := adminClient(t, s, "acme")
	u := createUser(t, acme, "li@acme.example")

	if r, _ := def.GetUserWithResponse(t.Context(), u.ID); r.StatusCode() != http.StatusNotFound {
		t.Errorf("the default tenant sees acme's user: %d", r.StatusCode())
	}
	if r, _ := def.GetTenantUserWithResponse(t.Context(), "acme", u.ID); r.JSON200 == nil {
		t.Errorf("acme's user is not in acme: %d", r.StatusCode())
	}
	if r, _ := acme.GetUserWithResponse(t.Context(), u.ID); r.JSON200 == nil || r.JSON200.ID != u.ID {
		t.Errorf("the tenant client does not find its user: %d", r.StatusCode())
	}
	// Tenants themselves are not rewritten.
	if r, _ := acme.GetTenantWithResponse(t.Context(), "acme"); r.JSON200 == nil || r.JSON200.Slug != "acme" {
		t.Errorf("getTenant through the tenant client: %d %s", r.StatusCode(), r.Body)
	}
	if _, err := acme.ListEventsWithResponse(t.Context(), nil); !errors.Is(err, gatehouse.ErrNoTenantForm) {
		t.Errorf("listEvents with a tenant: err = %v, want ErrNoTenantForm", err)
	}
}

// The account client reads the signed-in user with their access token,
// in the default tenant and, with its issuer as base URL, in a named one.
func TestAccountClient(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	def := adminClient(t, s, "")
	createUser(t, def, "jane@example.com")
	if r, err := def.CreateTenantWithResponse(t.Context(), nil, gen.TenantCreate{Slug: "acme"}); err != nil || r.JSON201 == nil {
		t.Fatalf("tenant: %v %s", err, r.Body)
	}
	createUser(t, adminClient(t, s, "acme"), "li@acme.example")

	for _, tc := range []struct{ tenant, base, email string }{
		{"", s.URL, "jane@example.com"},
		{"acme", s.URL + "/t/acme", "li@acme.example"},
	} {
		token := s.SignIn(t, tc.tenant, tc.email, password, "openid account")
		me, err := gatehouse.NewAccountClient(gatehouse.AccountOptions{BaseURL: tc.base, AccessToken: token, HTTPClient: s.HTTP})
		if err != nil {
			t.Fatal(err)
		}
		r, err := me.GetMeWithResponse(t.Context())
		if err != nil || r.JSON200 == nil || string(r.JSON200.Email) != tc.email {
			t.Errorf("%s: GET /v1/me: %v %d %s", tc.base, err, r.StatusCode(), r.Body)
		}
	}
}

// A tenant client keeps escaped path parameters and a base path.
func TestTenantRewriteKeepsEscapes(t *testing.T) {
	var got string
	hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		got = r.Method + " " + r.URL.EscapedPath() + " " + r.Header.Get("Authorization")
		return nil, errors.New("not sent")
	})}
	c, err := gatehouse.NewAdminClient(gatehouse.AdminOptions{BaseURL: "https://id.example.com/gatehouse/", Token: "gh_k_s", Tenant: "acme", HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.GetUserWithResponse(t.Context(), "a/b c")
	if want := "GET /gatehouse/admin/v1/tenants/acme/users/a%2Fb%20c Bearer gh_k_s"; got != want {
		t.Errorf("sent %q, want %q", got, want)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestClientOptionsErrors(t *testing.T) {
	for name, o := range map[string]gatehouse.AdminOptions{
		"no token":   {BaseURL: "https://id.example.com"},
		"no URL":     {Token: "t"},
		"not a URL":  {BaseURL: "id.example.com", Token: "t"},
		"bad tenant": {BaseURL: "https://id.example.com", Token: "t", Tenant: "Acme Corp"},
	} {
		if _, err := gatehouse.NewAdminClient(o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := gatehouse.NewAccountClient(gatehouse.AccountOptions{BaseURL: "https://id.example.com"}); err == nil {
		t.Errorf("account client without a token: no error")
	}
}
