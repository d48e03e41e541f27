package login_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

type deviceAuth struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
}

// startDevice runs RFC 8628 3.1 as the device.
func (e *env) startDevice(c client, scope string) deviceAuth {
	e.t.Helper()
	form := url.Values{"client_id": {c.id}, "scope": {scope}}
	res, err := http.PostForm(e.issuer(c.tenant)+"/device_authorization", form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var d deviceAuth
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil || res.StatusCode != http.StatusOK || d.UserCode == "" {
		e.t.Fatalf("device authorization: %d %v %+v", res.StatusCode, err, d)
	}
	return d
}

func (e *env) pollDevice(c client, d deviceAuth) (int, tokens) {
	e.t.Helper()
	return e.tokenRequest(c, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "device_code": {d.DeviceCode}})
}

func deviceClient(e *env) client {
	return e.createClient(clientSpec{name: "Smart TV", grants: []gen.GrantType{gen.GrantTypeDeviceCode, gen.GrantTypeRefreshToken}})
}

// The user enters the code, signs in on the device page and approves; the
// device's poll then yields tokens.
func TestDeviceFlowApprove(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := deviceClient(e)
	d := e.startDevice(c, "openid profile offline_access")
	if d.VerificationURI != e.issuer("")+"/device" {
		t.Errorf("verification_uri = %q", d.VerificationURI)
	}
	if status, tk := e.pollDevice(c, d); status != http.StatusBadRequest || tk.Error != "authorization_pending" {
		t.Fatalf("early poll: %d %+v", status, tk)
	}

	b := newBrowser(t)
	page := b.get(d.VerificationURI)
	// Typed the way people type: lower case, with the dash.
	typed := strings.ToLower(d.UserCode[:4] + "-" + d.UserCode[4:])
	signin := b.submit(page, page.form(t, "user_code"), "user_code", typed)
	if !strings.Contains(signin.body, "Sign in to connect your device.") {
		t.Fatalf("want the sign-in step: %.600s", signin.body)
	}
	confirm := b.signIn(signin, "jane@example.com", testPassword)
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "Connect Smart TV?") ||
		!strings.Contains(confirm.body, "Stay signed in") {
		t.Fatalf("confirm step: %d %.800s", confirm.status, confirm.body)
	}
	done := b.submit(confirm, confirm.form(t, "user_code"), "action", "approve")
	if !strings.Contains(done.body, "Device connected") {
		t.Fatalf("done step: %.500s", done.body)
	}
	status, tk := e.pollDevice(c, d)
	if status != http.StatusOK || tk.AccessToken == "" || tk.IDToken == "" || tk.RefreshToken == "" {
		t.Fatalf("poll after approval: %d %+v", status, tk)
	}
	// The code is spent.
	again := b.submit(confirm, confirm.form(t, "user_code"), "action", "approve")
	if !strings.Contains(again.body, "That code is not valid or has expired") {
		t.Errorf("reusing the code: %.500s", again.body)
	}
}

// With a session, the prefilled link goes straight to the confirmation;
// denying answers the device with access_denied.
func TestDeviceFlowDeny(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	web := e.createClient(clientSpec{firstParty: true})
	c := deviceClient(e)
	b := newBrowser(t)
	e.signedIn(b, web, "jane@example.com")

	d := e.startDevice(c, "openid")
	confirm := b.get(d.VerificationURIComplete)
	if !strings.Contains(confirm.body, "Connect Smart TV?") || !strings.Contains(confirm.body, "jane@example.com") {
		t.Fatalf("confirm step: %.600s", confirm.body)
	}
	done := b.submit(confirm, confirm.form(t, "user_code"), "action", "deny")
	if !strings.Contains(done.body, "Request denied") {
		t.Fatalf("done step: %.500s", done.body)
	}
	if status, tk := e.pollDevice(c, d); status != http.StatusBadRequest || tk.Error != "access_denied" {
		t.Fatalf("poll after denial: %d %+v", status, tk)
	}
}

func TestDeviceUnknownCode(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t)
	page := b.get(e.issuer("") + "/device")
	for _, code := range []string{"BCDF-GHJK", strings.Repeat("x", 40)} {
		r := b.submit(page, page.form(t, "user_code"), "user_code", code)
		if r.status != http.StatusOK || !strings.Contains(r.body, "That code is not valid or has expired") ||
			!strings.Contains(r.body, `aria-describedby="code-error"`) {
			t.Errorf("%s: %d %.500s", code, r.status, r.body)
		}
	}
	if r := b.get(e.issuer("") + "/device?user_code=NOPE-NOPE"); !strings.Contains(r.body, "That code is not valid") {
		t.Errorf("prefilled unknown code: %.400s", r.body)
	}
	// Without the CSRF token, nothing is looked up.
	if r := b.post(e.issuer("")+"/device", url.Values{"user_code": {"BCDF-GHJK"}}); r.status != http.StatusForbidden {
		t.Errorf("no token: %d", r.status)
	}
}

// The device page's sign-in is assessed like the sign-in page's: from a
// deny-listed address the right password is refused as a wrong one would
// be, and the device is not connected.
func TestDeviceSignInIsAssessed(t *testing.T) {
	e := newEnv(t)
	e.createUser(userSpec{email: "jane@example.com"})
	c := deviceClient(e)
	setRiskPolicy(t, e.srv, `{"new_device":"notify","new_country":"notify","deny_cidrs":["127.0.0.0/8"]}`)
	d := e.startDevice(c, "openid")
	b := newBrowser(t)
	page := b.get(d.VerificationURI)
	signin := b.submit(page, page.form(t, "user_code"), "user_code", d.UserCode)
	refused := b.signIn(signin, "jane@example.com", testPassword)
	if strings.Contains(refused.body, "Connect Smart TV?") || !strings.Contains(refused.body, `name="password"`) {
		t.Fatalf("a denied sign-in must not reach the confirm step: %d %.800s", refused.status, refused.body)
	}
	if status, tk := e.pollDevice(c, d); status != http.StatusBadRequest || tk.Error != "authorization_pending" {
		t.Fatalf("poll after the refusal: %d %+v", status, tk)
	}
}
