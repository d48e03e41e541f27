package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// deviceClient registers a public device-flow client (a TV app).
func (o *op) deviceClient(t *testing.T, slug, scope string) *rp {
	t.Helper()
	return o.registerClient(t, slug, map[string]any{
		"grant_types": []string{grantDevice, grantRefresh}, "token_endpoint_auth_method": "none", "scope": scope,
	})
}

// startDevice posts a device authorization request (RFC 8628 3.1).
func (o *op) startDevice(t *testing.T, c *rp, scope string) reply {
	t.Helper()
	form := url.Values{"client_id": {c.ID}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return o.post(t, o.issuer(c.Tenant)+"/device_authorization", form)
}

func (o *op) pollDevice(t *testing.T, c *rp, deviceCode string) reply {
	t.Helper()
	return o.token(t, c.Tenant, url.Values{"grant_type": {grantDevice}, "device_code": {deviceCode}, "client_id": {c.ID}})
}

func checkDeviceResponse(t *testing.T, r reply, issuer string) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("device authorization: %d %s", r.Status, r.Raw)
	}
	if r.str("device_code") == "" || r.str("user_code") == "" {
		t.Fatalf("codes missing: %s", r.Raw)
	}
	if got := r.str("verification_uri"); got != issuer+"/device" {
		t.Fatalf("verification_uri %q, want %q", got, issuer+"/device")
	}
	complete, err := url.Parse(r.str("verification_uri_complete"))
	if err != nil || !strings.HasPrefix(complete.String(), issuer+"/device?") || complete.Query().Get("user_code") != r.str("user_code") {
		t.Fatalf("verification_uri_complete %q", r.str("verification_uri_complete"))
	}
	if r.Body["expires_in"] != float64(600) || r.Body["interval"] != float64(5) {
		t.Fatalf("expires_in %v interval %v", r.Body["expires_in"], r.Body["interval"])
	}
}

func TestDeviceAuthorization(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.deviceClient(t, "", "openid profile offline_access")
	r := o.startDevice(t, c, "openid profile")
	checkDeviceResponse(t, r, o.issuer(""))
	dc := r.str("device_code")

	// RFC 8628 3.5: until the user acts, polls are told to keep waiting
	// (TestDevicePollingSlowDown: and to slow down when they come too fast).
	wantOAuthError(t, o.pollDevice(t, c, dc), http.StatusBadRequest, "authorization_pending")
	wantOAuthError(t, o.pollDevice(t, c, "unknown-device-code"), http.StatusBadRequest, "invalid_grant")

	// Another client cannot redeem the device code, nor slow it down.
	thief := o.deviceClient(t, "", "openid profile")
	wantOAuthError(t, o.pollDevice(t, thief, dc), http.StatusBadRequest, "invalid_grant")

	// A confidential device client authenticates at both endpoints.
	conf := o.registerClient(t, "", map[string]any{
		"grant_types": []string{grantDevice}, "token_endpoint_auth_method": "client_secret_basic", "scope": "openid",
	})
	r = o.post(t, o.issuer("")+"/device_authorization", url.Values{"scope": {"openid"}}, conf.ID, conf.Secret)
	checkDeviceResponse(t, r, o.issuer(""))
	pr := o.token(t, "", url.Values{"grant_type": {grantDevice}, "device_code": {r.str("device_code")}}, conf.ID, conf.Secret)
	wantOAuthError(t, pr, http.StatusBadRequest, "authorization_pending")
	wrong := o.post(t, o.issuer("")+"/device_authorization", url.Values{"scope": {"openid"}}, conf.ID, "wrong")
	wantOAuthError(t, wrong, http.StatusUnauthorized, "invalid_client")
	unknown := o.post(t, o.issuer("")+"/device_authorization", url.Values{"client_id": {"nobody"}})
	wantOAuthError(t, unknown, http.StatusUnauthorized, "invalid_client")
}

// The user code page is a tenant page like the login: a named tenant's
// verification_uri must be under its issuer, where its users sign in.
func TestDeviceAuthorizationNamedTenant(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	o.createTenant(t, "acme")
	c := o.deviceClient(t, "acme", "openid")
	r := o.startDevice(t, c, "openid")
	checkDeviceResponse(t, r, o.issuer("acme"))
	wantOAuthError(t, o.pollDevice(t, c, r.str("device_code")), http.StatusBadRequest, "authorization_pending")
}

// RFC 8628 3.2 refers to RFC 6749 5.2 for errors: a scope the client may
// not request is invalid_scope, as at /authorize and for client
// credentials; otherwise approving the device grants scopes the client
// was never registered for.
func TestDeviceAuthorizationScopePolicy(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.deviceClient(t, "", "openid")
	for _, scope := range []string{"openid email", "openid offline_access", "admin"} {
		t.Run(scope, func(t *testing.T) {
			wantOAuthError(t, o.startDevice(t, c, scope), http.StatusBadRequest, "invalid_scope")
		})
	}
	t.Run("client without the device grant", func(t *testing.T) {
		web := o.registerClient(t, "", map[string]any{
			"grant_types": []string{grantCode}, "redirect_uris": []string{redirectURI}, "token_endpoint_auth_method": "none",
		})
		wantOAuthError(t, o.startDevice(t, web, "openid"), http.StatusBadRequest, "unauthorized_client")
	})
}

// RFC 8628 3.5: a device that polls sooner than its interval is told to
// slow_down, and its interval grows by 5 seconds for this and every later
// poll; a poll after the new interval is pending again. The state lives
// with the device code in the database, so every node applies it. The
// provider's clock is the test's: no sleeping.
func TestDevicePollingSlowDown(t *testing.T) {
	t.Parallel()
	clock := frozenClock()
	wait := clock.Add
	o := newOPWith(t, testserver.Options{ProviderNow: clock.Now})
	c := o.deviceClient(t, "", "openid")
	dc := o.startDevice(t, c, "openid").str("device_code")
	poll := func(want string) {
		t.Helper()
		wantOAuthError(t, o.pollDevice(t, c, dc), http.StatusBadRequest, want)
	}

	poll("authorization_pending") // the first poll: interval 5 s
	poll("slow_down")             // at once: interval 10 s
	wait(6 * time.Second)
	poll("slow_down") // 6 s < 10 s: interval 15 s
	wait(14 * time.Second)
	poll("slow_down") // 14 s < 15 s: interval 20 s
	wait(20 * time.Second)
	poll("authorization_pending") // the new interval waited out
	wait(20 * time.Second)
	poll("authorization_pending") // the interval stays 20 s
	wait(19 * time.Second)
	poll("slow_down")

	// Eight polls in a burst (the reported case): one pending at most.
	d2 := o.startDevice(t, c, "openid").str("device_code")
	var pending, slow int
	for range 8 {
		switch r := o.pollDevice(t, c, d2); r.str("error") {
		case "authorization_pending":
			pending++
		case "slow_down":
			slow++
		default:
			t.Fatalf("burst poll: %d %s", r.Status, r.Raw)
		}
	}
	if pending != 1 || slow != 7 {
		t.Fatalf("burst: %d pending, %d slow_down; want 1 and 7", pending, slow)
	}

	// Once the user approved, the next poll gets the tokens, however soon.
	b := o.newBrowser(t)
	u := o.createUser(t, "")
	r := o.startDevice(t, c, "openid")
	p := b.visit(t, http.MethodGet, r.str("verification_uri_complete"), nil)
	p = b.submit(t, p.form(t, "password"), "identifier", u.Email, "password", u.Password)
	poll2 := func() reply { return o.pollDevice(t, c, r.str("device_code")) }
	wantOAuthError(t, poll2(), http.StatusBadRequest, "authorization_pending")
	if p = b.submit(t, p.form(t, "user_code"), "action", "approve"); p.Status != http.StatusOK {
		t.Fatalf("approve: %d", p.Status)
	}
	if res := poll2(); res.Status != http.StatusOK || res.str("access_token") == "" {
		t.Fatalf("poll after approval: %d %s", res.Status, res.Raw)
	}
}
