package restapi_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
	mfaservice "github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const (
	reauthRequired = "urn:gatehouse:problem:reauthentication-required"
	noticeSubject  = "Two-factor authentication changed for your"
)

// ssoToken authorizes a in this signed-in browser without a new sign-in
// (the session answers) and returns the tokens: their auth_time is the
// session's.
func (b *userAgent) ssoToken(a app, scope string) tokenSet {
	b.t.Helper()
	z := b.authorize(a, scope)
	next := z.loginURL
	for range 5 {
		resp, body := b.get(next.String())
		if resp.StatusCode < 300 || resp.StatusCode > 399 {
			b.t.Fatalf("single sign-on stopped at %s: %d %.300s", next, resp.StatusCode, body)
		}
		if next = location(b.t, resp); strings.HasPrefix(next.String(), callbackURI) {
			return z.redeem(b.t, b.s, next.String())
		}
	}
	b.t.Fatal("single sign-on did not reach the client")
	return tokenSet{}
}

func TestMyMFA(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			ms := mailtest.Start(t, mailtest.Options{})
			s := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{
				"GATEHOUSE_SMTP_URL": ms.URL(), "GATEHOUSE_SMTP_FROM": "Gatehouse <noreply@example.org>",
			}})
			if tenant != "" {
				if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: tenant}); err != nil || r.StatusCode() != 201 {
					t.Fatalf("create tenant: %v %s", err, r.Body)
				}
			}
			mkAccountUser(t, s, tenant, "ada@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken
			notice := func() {
				t.Helper()
				if m := ms.WaitFor(t, "ada@example.com", 10*time.Second); !strings.HasPrefix(m.Subject, noticeSubject) {
					t.Fatalf("mail %q, want the MFA change notice", m.Subject)
				}
			}

			resp, body := do(t, s, "GET", mePath(tenant, "/mfa/factors"), tok, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 0 {
				t.Fatalf("list: %d %v", resp.StatusCode, body)
			}

			// Authenticator app: start, a wrong code, the right one.
			resp, en := do(t, s, "POST", mePath(tenant, "/mfa/totp"), tok, "", "")
			if resp.StatusCode != 200 {
				t.Fatalf("start TOTP: %d %v", resp.StatusCode, en)
			}
			qr, ok := strings.CutPrefix(en["qr_code"].(string), "data:image/svg+xml;base64,")
			svg, err := base64.StdEncoding.DecodeString(qr)
			if !ok || err != nil || !strings.Contains(string(svg), "<svg") {
				t.Fatalf("qr_code %.80s", en["qr_code"])
			}
			if !strings.HasPrefix(en["otpauth_url"].(string), "otpauth://totp/") {
				t.Fatalf("otpauth_url %v", en["otpauth_url"])
			}
			secret := en["secret"].(string)
			code, err := totp.GenerateCode(secret, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			confirm := mePath(tenant, "/mfa/totp/"+en["enrolment_id"].(string))
			resp, body = do(t, s, "POST", confirm, tok, "application/json", `{"code":"`+wrong+`"}`)
			wantField(t, resp, body, "/code")
			resp, fac := do(t, s, "POST", confirm, tok, "application/json", `{"code":"`+code+`","name":"Phone"}`)
			if resp.StatusCode != 200 || fac["type"] != "totp" || fac["name"] != "Phone" || fac["weak"] != false {
				t.Fatalf("confirm: %d %v", resp.StatusCode, fac)
			}
			notice()
			id := fac["id"].(string)

			// Now that there is a factor, a token from the password alone
			// cannot change factors: the user signs in with the factor.
			resp, body = do(t, s, "PUT", mePath(tenant, "/mfa/factors/"+id+"/name"), tok, "application/json", `{"name":"Mine now"}`)
			wantProblem(t, resp, body, 403, "urn:gatehouse:problem:reauthentication-required")
			resp, body = do(t, s, "DELETE", mePath(tenant, "/mfa/factors/"+id), tok, "", "")
			wantProblem(t, resp, body, 403, "urn:gatehouse:problem:reauthentication-required")
			// Nor can the session the password alone opened, before the
			// second factor, reach the account API with its cookie.
			pending := newUserAgent(t, s)
			z := pending.authorize(web, "openid account")
			res := pending.postLoginAPI(tenant, "authenticate", gen.LoginAuthenticateRequest{
				AuthRequestID: z.loginURL.Query().Get("authRequestID"), Identifier: "ada@example.com", Password: accountPassword})
			if res.Status != gen.LoginResultStatusMfaRequired {
				t.Fatalf("password sign-in of a user with a factor: %+v", res)
			}
			resp, body = pending.cookieRequest("GET", mePath(tenant, ""), "")
			wantProblem(t, resp, body, 401, "urn:gatehouse:problem:unauthorized")
			resp, body = pending.cookieRequest("DELETE", mePath(tenant, "/mfa/factors/"+id), "", "Origin", s.URL)
			wantProblem(t, resp, body, 401, "urn:gatehouse:problem:unauthorized")
			tok = newUserAgent(t, s).signInTOTP(web, "ada@example.com", "openid account", secret).AccessToken

			resp, body = do(t, s, "POST", confirm, tok, "application/json", `{"code":"`+code+`"}`)
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")

			resp, body = do(t, s, "PUT", mePath(tenant, "/mfa/factors/"+id+"/name"), tok, "application/json", `{"name":"Work phone"}`)
			if resp.StatusCode != 200 || body["name"] != "Work phone" {
				t.Fatalf("rename: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "PUT", mePath(tenant, "/mfa/factors/"+id+"/name"), tok, "application/json", `{"name":"bad\u0007"}`)
			wantField(t, resp, body, "/name")

			resp, body = do(t, s, "POST", mePath(tenant, "/mfa/recovery-codes"), tok, "", "")
			if resp.StatusCode != 200 || len(body["codes"].([]any)) != 10 {
				t.Fatalf("recovery codes: %d %v", resp.StatusCode, body)
			}
			notice()

			// WebAuthn needs a domain: on an IP issuer the tenant names one.
			resp, body = do(t, s, "POST", mePath(tenant, "/mfa/webauthn"), tok, "application/json", `{}`)
			wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
			slug := tenant
			if slug == "" {
				slug = "default"
			}
			resp, body = do(t, s, "PATCH", "/admin/v1/tenants/"+slug, testserver.AdminToken, "application/merge-patch+json",
				`{"mfa":{"webauthn":{"rp_id":"localhost","rp_origins":["`+s.URL+`"]}}}`)
			if resp.StatusCode != 200 {
				t.Fatalf("set rp_id: %d %v", resp.StatusCode, body)
			}
			// The options name this relying party; a credential that does
			// not verify changes nothing.
			resp, reg := do(t, s, "POST", mePath(tenant, "/mfa/webauthn"), tok, "application/json", `{"discoverable":true}`)
			if resp.StatusCode != 200 {
				t.Fatalf("start WebAuthn: %d %v", resp.StatusCode, reg)
			}
			var opts struct {
				PublicKey struct {
					Challenge string `json:"challenge"`
					RP        struct {
						ID string `json:"id"`
					} `json:"rp"`
				} `json:"publicKey"`
			}
			if err := json.Unmarshal([]byte(mustJSON(reg["options"])), &opts); err != nil || opts.PublicKey.Challenge == "" || opts.PublicKey.RP.ID != "localhost" {
				t.Fatalf("options %v (%v)", reg["options"], err)
			}
			resp, body = do(t, s, "POST", mePath(tenant, "/mfa/webauthn/"+reg["enrolment_id"].(string)), tok, "application/json",
				`{"name":"Key","credential":{"id":"AAAA","type":"public-key","response":{}}}`)
			wantField(t, resp, body, "/credential")

			resp, body = do(t, s, "GET", mePath(tenant, "/mfa/factors?limit=1"), tok, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 1 || body["next_cursor"] == nil {
				t.Fatalf("first page: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "GET", mePath(tenant, "/mfa/factors?limit=1&cursor="+body["next_cursor"].(string)), tok, "", "")
			if resp.StatusCode != 200 || len(body["items"].([]any)) != 1 || body["next_cursor"] != nil {
				t.Fatalf("second page: %d %v", resp.StatusCode, body)
			}

			resp, body = do(t, s, "DELETE", mePath(tenant, "/mfa/factors/"+id), tok, "", "")
			if resp.StatusCode != 204 {
				t.Fatalf("delete: %d %v", resp.StatusCode, body)
			}
			notice()
			resp, body = do(t, s, "DELETE", mePath(tenant, "/mfa/factors/"+id), tok, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
		})
	}
}

// Changing factors needs a sign-in less than 5 minutes old; reading them
// does not.
func TestMyMFANeedsRecentSignIn(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	ada := mkAccountUser(t, s, "", "ada@example.com")
	web := mkApp(t, s, "", "Account console", true)
	b := newUserAgent(t, s)
	b.signIn(web, "ada@example.com", "openid account")
	sc := mustScope(t, s, "")
	sessions, _, err := sc.Store.Sessions().ListByUser(ctx, sc.Tenant.ID, ada, store.Page{})
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions %v %v", sessions, err)
	}
	if _, err := sc.Store.Sessions().Update(ctx, sc.Tenant.ID, sessions[0].ID, func(x *oauth.Session) error {
		x.AuthTime = x.AuthTime.Add(-10 * time.Minute)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	old := b.ssoToken(web, "openid account").AccessToken

	resp, body := do(t, s, "GET", "/v1/me/mfa/factors", old, "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("list with an old sign-in: %d %v", resp.StatusCode, body)
	}
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/me/mfa/totp", ""},
		{"POST", "/v1/me/mfa/recovery-codes", ""},
		{"POST", "/v1/me/mfa/webauthn", `{}`},
		{"DELETE", "/v1/me/mfa/factors/f1", ""},
	} {
		ct := ""
		if c.body != "" {
			ct = "application/json"
		}
		resp, body := do(t, s, c.method, c.path, old, ct, c.body)
		wantProblem(t, resp, body, http.StatusForbidden, reauthRequired)
		if !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="insufficient_user_authentication"`) {
			t.Fatalf("%s %s: WWW-Authenticate %q", c.method, c.path, resp.Header.Get("WWW-Authenticate"))
		}
	}
	fs, err := sc.Store.MFA().ListFactors(ctx, sc.Tenant.ID, ada)
	if err != nil || len(fs) != 0 {
		t.Fatalf("refused requests stored factors: %v %v", fs, err)
	}
}

func TestAdminMFA(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			s := testserver.New(t, testserver.Options{})
			base := "/admin/v1"
			if tenant != "" {
				if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: tenant}); err != nil || r.StatusCode() != 201 {
					t.Fatalf("create tenant: %v %s", err, r.Body)
				}
				base += "/tenants/" + tenant
			}
			ada := mkAccountUser(t, s, tenant, "ada@example.com")
			sc := mustScope(t, s, tenant)
			for _, typ := range []factor.FactorType{factor.TOTP, factor.WebAuthn, factor.Recovery} {
				f := &factor.Factor{TenantID: sc.Tenant.ID, UserID: ada, Type: typ, Name: string(typ), Data: json.RawMessage(`{"secret":"x"}`)}
				if err := sc.Store.MFA().CreateFactor(ctx, f); err != nil {
					t.Fatal(err)
				}
			}
			tok := testserver.AdminToken
			path := base + "/users/" + ada + "/mfa"
			resp, body := do(t, s, "GET", path+"/factors", tok, "", "")
			items, _ := body["items"].([]any)
			if resp.StatusCode != 200 || len(items) != 3 || strings.Contains(mustJSON(body), "secret") {
				t.Fatalf("list: %d %v", resp.StatusCode, body)
			}
			first := items[0].(map[string]any)["id"].(string)
			resp, body = do(t, s, "DELETE", path+"/factors/"+first, tok, "", "")
			if resp.StatusCode != 204 {
				t.Fatalf("delete: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "DELETE", path+"/factors/"+first, tok, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
			resp, body = do(t, s, "POST", path+"/reset", tok, "", "")
			if resp.StatusCode != 204 {
				t.Fatalf("reset: %d %v", resp.StatusCode, body)
			}
			if fs, err := sc.Store.MFA().ListFactors(ctx, sc.Tenant.ID, ada); err != nil || len(fs) != 0 {
				t.Fatalf("factors after reset: %v %v", fs, err)
			}
			resp, body = do(t, s, "POST", base+"/users/nobody/mfa/reset", tok, "", "")
			wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
		})
	}
}

func TestTenantMFAPolicy(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	resp, body := do(t, s, "GET", "/admin/v1/tenants/default", tok, "", "")
	m, _ := body["mfa"].(map[string]any)
	if resp.StatusCode != 200 || m["mode"] != "optional" || m["allow_sms"] != false || m["allow_email_otp"] != false {
		t.Fatalf("default policy: %d %v", resp.StatusCode, body)
	}
	for _, c := range []struct{ body, field string }{
		{`{"mfa":{"allow_sms":true}}`, "/mfa/sms_webhook_url"},
		{`{"mfa":{"sms_webhook_url":"ftp://sms.example"}}`, "/mfa/sms_webhook_url"},
		{`{"mfa":{"grace_period":"soon"}}`, "/mfa/grace_period"},
		{`{"mfa":{"webauthn":{"rp_origins":["not a url"]}}}`, "/mfa/webauthn/rp_origins/0"},
	} {
		resp, body := do(t, s, "PATCH", "/admin/v1/tenants/default", tok, "application/merge-patch+json", c.body)
		wantField(t, resp, body, c.field)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/default", tok, "application/merge-patch+json",
		`{"mfa":{"mode":"conditional","required_roles":["admin"],"phishing_resistant_roles":["admin"],"grace_period":"168h",
		  "allow_email_otp":true,"remember_device_days":30,"webauthn":{"rp_name":"Acme","user_verification":"required"}}}`)
	m, _ = body["mfa"].(map[string]any)
	if resp.StatusCode != 200 || m["mode"] != "conditional" || m["grace_period"] != "168h0m0s" || m["remember_device_days"] != float64(30) {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	sc := mustScope(t, s, "")
	p := sc.Tenant.MFA
	if p.Mode != factor.ModeConditional || p.EnforcedSince == nil || p.GracePeriod != factor.Duration(168*time.Hour) ||
		!p.AllowEmailOTP || p.WebAuthn.UserVerification != "required" || p.WebAuthn.RPName != "Acme" {
		t.Fatalf("stored policy %+v", p)
	}
	// A patch of one member leaves the others.
	resp, body = do(t, s, "PATCH", "/admin/v1/tenants/default", tok, "application/merge-patch+json", `{"mfa":{"allow_email_otp":false}}`)
	m, _ = body["mfa"].(map[string]any)
	if resp.StatusCode != 200 || m["mode"] != "conditional" || m["allow_email_otp"] != false {
		t.Fatalf("second patch: %d %v", resp.StatusCode, body)
	}
}

// Forgetting remembered devices revokes their cookies; it needs no recent
// sign-in, since it only takes something away.
func TestForgetMyRememberedDevices(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	uid := mkAccountUser(t, s, "", "ada@example.com")
	web := mkApp(t, s, "", "Account console", true)
	tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken

	ten, err := s.App.Directory.EnsureDefaultTenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tg := mfaservice.Target{Tenant: ten, Store: s.App.DB, Issuer: s.URL}
	cookie, _, err := s.App.MFA.RememberDevice(ctx, tg, uid, 30)
	if err != nil || !s.App.MFA.DeviceRemembered(ctx, tg, uid, cookie) {
		t.Fatalf("remember: %v", err)
	}
	resp, body := do(t, s, "DELETE", mePath("", "/mfa/remembered-devices"), tok, "", "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("forget: %d %v", resp.StatusCode, body)
	}
	if s.App.MFA.DeviceRemembered(ctx, tg, uid, cookie) {
		t.Fatal("the device is still remembered")
	}
	resp, body = do(t, s, "DELETE", mePath("", "/mfa/remembered-devices"), "", "", "")
	wantProblem(t, resp, body, 401, "urn:gatehouse:problem:unauthorized")
}
