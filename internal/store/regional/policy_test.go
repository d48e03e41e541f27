package regional_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/geoip/geoiptest"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// TestResidencyPolicy: a tenant's residency policy places self-registered
// users (fixed, by the request's GeoIP country, by the person's pick); a
// policy naming an unconfigured region, or a pick outside the list, is a
// 400 that changes nothing; the Admin API's explicit region still wins.
func TestResidencyPolicy(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		residencyPolicy(t, map[string]string{
			"GATEHOUSE_DATABASE":       "sqlite:" + filepath.Join(dir, "main.db"),
			"GATEHOUSE_REGIONS":        "eu=sqlite:" + filepath.Join(dir, "eu.db") + ";us=sqlite:" + filepath.Join(dir, "us.db"),
			"GATEHOUSE_DEFAULT_REGION": "eu",
		})
	})
	t.Run("postgres", func(t *testing.T) {
		residencyPolicy(t, map[string]string{
			"GATEHOUSE_DATABASE":       pgtest.DatabaseURL(t, "gh_pol_main"),
			"GATEHOUSE_REGIONS":        "eu=" + pgtest.DatabaseURL(t, "gh_pol_eu") + ";us=" + pgtest.DatabaseURL(t, "gh_pol_us"),
			"GATEHOUSE_DEFAULT_REGION": "eu",
		})
	})
}

func residencyPolicy(t *testing.T, env map[string]string) {
	env["GATEHOUSE_TRUSTED_PROXIES"] = "127.0.0.1/32,::1/128"
	env["GATEHOUSE_GEOIP_DB"] = geoiptest.WriteCity(t, geoiptest.Sample) // DE, US, FR, JP
	s := testserver.New(t, testserver.Options{Env: env, LoopbackIssuer: true})
	ctx := t.Context()

	patch := func(p any) *gen.UpdateTenantResponse {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"residency": p})
		r, err := s.Admin.UpdateTenantWithBodyWithResponse(ctx, "default", &gen.UpdateTenantParams{}, "application/merge-patch+json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Attacker's view: unconfigured regions, bad codes, a bad mode. Each
	// is a 400 naming the field, and the tenant keeps no policy.
	for _, bad := range []struct {
		p     map[string]any
		field string
	}{
		{map[string]any{"mode": "fixed", "region": "mars"}, "/residency/region"},
		{map[string]any{"mode": "by_country", "countries": map[string]string{"DE": "eu", "US": "mars"}, "fallback": "eu"}, "/residency/countries/US"},
		{map[string]any{"mode": "by_country", "countries": map[string]string{"DE": "eu"}, "fallback": "mars"}, "/residency/fallback"},
		{map[string]any{"mode": "choice", "regions": []string{"eu", "mars"}}, "/residency/regions"},
		{map[string]any{"mode": "fixed"}, "/residency/region"},
	} {
		r := patch(bad.p)
		if r.StatusCode() != http.StatusBadRequest || !strings.Contains(string(r.Body), bad.field) {
			t.Fatalf("%v: %d %s, want 400 on %s", bad.p, r.StatusCode(), r.Body, bad.field)
		}
	}
	if g, err := s.Admin.GetTenantWithResponse(ctx, "default"); err != nil || g.JSON200 == nil || g.JSON200.Residency != nil {
		t.Fatalf("a refused policy was written: %v %s", err, g.Body)
	}

	register := register(t, s)
	regionOf := func(email string) string {
		t.Helper()
		l, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Email: restapi.Ptr(gen.EmailFilter(email))})
		if err != nil || l.JSON200 == nil || len(l.JSON200.Items) != 1 {
			t.Fatalf("list %s: %v %s", email, err, l.Body)
		}
		return restapi.Val(l.JSON200.Items[0].Region)
	}

	// fixed: everyone in us, wherever they come from.
	if r := patch(map[string]any{"mode": "fixed", "region": "us"}); r.JSON200 == nil || r.JSON200.Residency == nil || restapi.Val(r.JSON200.Residency.Region) != "us" {
		t.Fatalf("fixed: %d %s", r.StatusCode(), r.Body)
	}
	register("fixed@example.de", "192.0.2.7", "", http.StatusAccepted)
	if got := regionOf("fixed@example.de"); got != "us" {
		t.Fatalf("fixed: region %q, want us", got)
	}
	// The Admin API's explicit region wins; without one the policy applies.
	c, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "admin-eu@example.org", Region: restapi.Ptr("eu")})
	if err != nil || c.JSON201 == nil || restapi.Val(c.JSON201.Region) != "eu" {
		t.Fatalf("explicit region: %v %s", err, c.Body)
	}
	c, err = s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "admin-policy@example.org"})
	if err != nil || c.JSON201 == nil || restapi.Val(c.JSON201.Region) != "us" {
		t.Fatalf("policy on the Admin API: %v %s", err, c.Body)
	}

	// by_country: Germany and France to eu, the US to us, the rest
	// (Japan, an address the database does not know) to the fallback.
	if r := patch(map[string]any{"mode": "by_country", "countries": map[string]string{"DE": "eu", "FR": "eu", "US": "us"}, "fallback": "eu"}); r.JSON200 == nil {
		t.Fatalf("by_country: %d %s", r.StatusCode(), r.Body)
	}
	for _, c := range []struct{ email, ip, want string }{
		{"berlin@example.org", "192.0.2.10", "eu"},
		{"newyork@example.org", "198.51.100.10", "us"},
		{"paris@example.org", "203.0.113.10", "eu"},
		{"tokyo@example.org", "2001:db8:aa::1", "eu"},
		{"nowhere@example.org", "10.1.2.3", "eu"},
	} {
		register(c.email, c.ip, "", http.StatusAccepted)
		if got := regionOf(c.email); got != c.want {
			t.Fatalf("%s from %s: region %q, want %q", c.email, c.ip, got, c.want)
		}
	}
	// A pick is refused when the tenant offers none, and nothing is written.
	register("picky@example.org", "192.0.2.11", "us", http.StatusBadRequest)

	// choice: the person picks from the list; anything else is a 400 on
	// /region and no account.
	if r := patch(map[string]any{"mode": "choice", "regions": []string{"us", "eu"}}); r.JSON200 == nil {
		t.Fatalf("choice: %d %s", r.StatusCode(), r.Body)
	}
	register("chooser@example.org", "192.0.2.12", "us", http.StatusAccepted)
	if got := regionOf("chooser@example.org"); got != "us" {
		t.Fatalf("choice: region %q, want us", got)
	}
	register("mars@example.org", "192.0.2.13", "mars", http.StatusBadRequest)
	for _, e := range []string{"picky@example.org", "mars@example.org"} {
		l, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Email: restapi.Ptr(gen.EmailFilter(e))})
		if err != nil || l.JSON200 == nil || len(l.JSON200.Items) != 0 {
			t.Fatalf("a refused registration left %s: %v %s", e, err, l.Body)
		}
	}
	// The hosted page offers the list, labelled.
	page := hostedRegister(t, s)
	if !strings.Contains(page, `<label for="region">`) || !strings.Contains(page, `<option value="us"`) || !strings.Contains(page, `<option value="eu"`) {
		t.Fatalf("the registration page offers no region choice:\n%s", page)
	}
	// null removes the policy.
	if r := patch(nil); r.JSON200 == nil || r.JSON200.Residency != nil {
		t.Fatalf("remove: %d %s", r.StatusCode(), r.Body)
	}
}

// register returns a function that registers email through the JSON
// registration API as a browser at ip (behind the trusted proxy) would,
// with region as its pick, and checks the status.
func register(t *testing.T, s *testserver.Server) func(email, ip, region string, want int) {
	client := firstPartyClient(t, s)
	return func(email, ip, region string, want int) {
		t.Helper()
		id, browser := authorize(t, s, client)
		in := gen.RegistrationRequest{AuthRequestID: id, Email: email, Password: "correct horse battery staple 42", AcceptTerms: true}
		if region != "" {
			in.Region = &region
		}
		body, _ := json.Marshal(in)
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/register/api", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", ip)
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != want {
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			t.Fatalf("register %s from %s: %d %s, want %d", email, ip, resp.StatusCode, b.String(), want)
		}
	}
}

const policyRedirect = "http://127.0.0.1:9/callback"

func firstPartyClient(t *testing.T, s *testserver.Server) string {
	t.Helper()
	method := gen.TokenEndpointAuthMethodNone
	scope := "openid"
	r, err := s.Admin.CreateClientWithResponse(t.Context(), nil, gen.ClientCreate{ClientName: "Registration", RedirectUris: &[]string{policyRedirect},
		GrantTypes: &[]gen.GrantType{gen.GrantTypeAuthorizationCode}, TokenEndpointAuthMethod: &method,
		Scope: &scope, Metadata: &map[string]any{"first_party": true}})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("client: %v %s", err, r.Body)
	}
	return r.JSON201.ClientID
}

// authorize starts an authorization request in a new browser and returns
// its ID and the browser.
func authorize(t *testing.T, s *testserver.Server, client string) (string, *http.Client) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Transport: apitest.Transport(t, nil),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	sum := sha256.Sum256([]byte(strings.Repeat("v", 50)))
	q := url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {policyRedirect},
		"scope": {"openid"}, "state": {"s"}, "nonce": {"n"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/authorize?"+q.Encode(), nil)
	resp, err := browser.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	login, err := resp.Location()
	if err != nil || login.Query().Get("authRequestID") == "" {
		t.Fatalf("/authorize: %d %v", resp.StatusCode, login)
	}
	return login.Query().Get("authRequestID"), browser
}

// hostedRegister fetches the hosted registration page.
func hostedRegister(t *testing.T, s *testserver.Server) string {
	t.Helper()
	id, browser := authorize(t, s, firstPartyClient(t, s))
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/register?authRequestID="+url.QueryEscape(id), nil)
	resp, err := browser.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}
