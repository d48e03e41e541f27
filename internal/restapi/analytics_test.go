package restapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// analyticsTotals sums a report's points per group ("" for an ungrouped
// series; labels as k=v joined by &, sorted).
func analyticsTotals(r *gen.AnalyticsReport) map[string]int64 {
	out := map[string]int64{}
	for _, s := range r.Series {
		var labels []string
		if s.Group != nil {
			for k, v := range *s.Group {
				labels = append(labels, k+"="+v)
			}
		}
		sort.Strings(labels)
		key := strings.Join(labels, "&")
		for _, p := range s.Points {
			out[key] += p.Value
		}
	}
	return out
}

func getAnalytics(t *testing.T, c *gen.ClientWithResponses, metric string, p *gen.GetAnalyticsParams) *gen.AnalyticsReport {
	t.Helper()
	r, err := c.GetAnalyticsWithResponse(ctx, gen.AnalyticsMetricParam(metric), p)
	if err != nil || r.JSON200 == nil {
		t.Fatalf("%s: %v %d %s", metric, err, r.StatusCode(), r.Body)
	}
	return r.JSON200
}

// loginAttempt answers the login API with email and password in a fresh
// authorization request and returns the HTTP status and the result.
func loginAttempt(b *userAgent, a app, email, password string) (int, string) {
	b.t.Helper()
	z := b.authorize(a, "openid account")
	raw, _ := json.Marshal(gen.LoginAuthenticateRequest{AuthRequestID: z.loginURL.Query().Get("authRequestID"), Identifier: email, Password: password})
	req, _ := http.NewRequest(http.MethodPost, issuerOf(b.s, a.tenant)+"/login/api/authenticate", strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	resp, body := b.send(req, true)
	return resp.StatusCode, body
}

// A known sequence of real actions, through the real server, on both
// engines: the analytics answer exactly its numbers.
func TestAnalyticsCountKnownWorkload(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			s := engineServer(t, engine)
			start := time.Now().UTC()
			adaID := mkAccountUser(t, s, "", "ada@example.com") // also quiets the new-device rule
			mkAccountUser(t, s, "", "bob@example.com")
			web := mkApp(t, s, "", "Web", true)

			// Two sign-ups through self-service registration.
			for _, email := range []string{"new1@example.com", "new2@example.com"} {
				b := newUserAgent(t, s)
				z := b.authorize(web, "openid")
				raw, _ := json.Marshal(gen.RegistrationRequest{AuthRequestID: z.loginURL.Query().Get("authRequestID"),
					Email: email, Password: accountPassword, AcceptTerms: true})
				req, _ := http.NewRequest(http.MethodPost, s.URL+"/register/api", strings.NewReader(string(raw)))
				req.Header.Set("Content-Type", "application/json")
				if resp, body := b.send(req, true); resp.StatusCode != http.StatusAccepted {
					t.Fatalf("register: %d %s", resp.StatusCode, body)
				}
			}
			// Two successful sign-ins (authorization_code tokens), one
			// wrong password.
			ada := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken
			bob := newUserAgent(t, s).signIn(web, "bob@example.com", "openid account").AccessToken
			if code, body := loginAttempt(newUserAgent(t, s), web, "bob@example.com", "not the password"); code == http.StatusOK && strings.Contains(body, `"complete"`) {
				t.Fatalf("a wrong password signed in: %s", body)
			}
			// MFA enrolments: ada an authenticator app, bob recovery codes.
			resp, en := do(t, s, "POST", "/v1/me/mfa/totp", ada, "", "")
			if resp.StatusCode != 200 {
				t.Fatalf("start TOTP: %d %v", resp.StatusCode, en)
			}
			code, err := totp.GenerateCode(en["secret"].(string), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if resp, body := do(t, s, "POST", "/v1/me/mfa/totp/"+en["enrolment_id"].(string), ada, "application/json", `{"code":"`+code+`"}`); resp.StatusCode != 200 {
				t.Fatalf("confirm TOTP: %d %v", resp.StatusCode, body)
			}
			if resp, body := do(t, s, "POST", "/v1/me/mfa/recovery-codes", bob, "", ""); resp.StatusCode != 200 {
				t.Fatalf("recovery codes: %d %v", resp.StatusCode, body)
			}
			// A risk challenge: ada, with history and an authenticator app
			// now, from a browser the engine never saw, under a policy that
			// challenges new devices.
			if resp, body := do(t, s, "PUT", "/admin/v1/risk-policy", testserver.AdminToken, "application/json", `{"new_device":"challenge"}`); resp.StatusCode != 200 {
				t.Fatalf("risk policy: %d %v", resp.StatusCode, body)
			}
			if code, body := loginAttempt(newUserAgent(t, s), web, "ada@example.com", accountPassword); code != http.StatusOK || strings.Contains(body, `"complete"`) {
				t.Fatalf("new device: %d %s, want a challenge", code, body)
			}
			// Two client_credentials tokens.
			backend, secret := mkClient(t, s, "", "Backend", "client_credentials")
			for range 2 {
				oauthPost(t, s, "/oauth/token", backend, secret, url.Values{"grant_type": {"client_credentials"}})
			}

			if err := s.App.Analytics.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			from, to := start.Add(-time.Hour), time.Now().Add(time.Hour)
			day := gen.GetAnalyticsParamsInterval("day")
			p := &gen.GetAnalyticsParams{From: &from, To: &to, Interval: &day}
			want := map[string]map[string]int64{
				"signups": {"": 2},
				"signins": {"method=password&outcome=success": 2, "method=password&outcome=failed": 1,
					"method=password&outcome=challenged": 1},
				"mfa_adoption":   {"factor=totp": 1, "factor=recovery_codes": 1},
				"token_issuance": {"client=" + backend + "&grant=client_credentials": 2},
				"risk_decisions": {"decision=allow&rule=none": 3, "decision=challenge&rule=new_device": 1},
			}
			for metric, w := range want {
				r := getAnalytics(t, s.Admin, metric, p)
				got := analyticsTotals(r)
				if metric == "token_issuance" { // each sign-in helper is its own client
					var code int64
					for k, v := range got {
						if strings.HasSuffix(k, "&grant=authorization_code") {
							code += v
							delete(got, k)
						}
					}
					if code != 2 {
						t.Errorf("token_issuance: %d authorization_code tokens, want 2 (%v)", code, analyticsTotals(r))
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(w) {
					t.Errorf("%s: %v, want %v", metric, got, w)
				}
			}
			// Active users: ada and bob today, this week, this month: the
			// last bucket that has started (to is an hour ahead, so after
			// 23:00 UTC the series ends with tomorrow's, still empty).
			r := getAnalytics(t, s.Admin, "active_users", p)
			last := map[string]int64{}
			now := time.Now()
			for _, s := range r.Series {
				for _, pt := range s.Points {
					if !pt.At.After(now) {
						last[(*s.Group)["period"]] = pt.Value
					}
				}
			}
			if fmt.Sprint(last) != fmt.Sprint(map[string]int64{"day": 2, "week": 2, "month": 2}) {
				t.Errorf("active users now: %v, want 2 each", last)
			}
			// Erasing ada removes her activity rows; the counts stay.
			if resp, body := do(t, s, "DELETE", "/admin/v1/users/"+adaID, testserver.AdminToken, "", ""); resp.StatusCode != 204 {
				t.Fatalf("delete ada: %d %v", resp.StatusCode, body)
			}
			if rows := scanDatabase(t, s, adaID); containsTable(rows, "analytics_active") {
				t.Errorf("ada's activity rows outlived her: %v", rows)
			}
		})
	}
}

func containsTable(rows []string, table string) bool {
	for _, r := range rows {
		if strings.HasPrefix(r, table+".") {
			return true
		}
	}
	return false
}

// The query is checked: every refusal is a 400 validation problem and
// the defaults are the last 7 days by day.
func TestAnalyticsValidation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	tok := testserver.AdminToken
	for _, q := range []string{
		"/admin/v1/analytics/nope",
		"/admin/v1/analytics/signins?interval=minute",
		"/admin/v1/analytics/signins?from=yesterday",
		"/admin/v1/analytics/signins?to=2026-13-01T00:00:00Z",
		"/admin/v1/analytics/signins?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
		"/admin/v1/analytics/signins?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z",
		"/admin/v1/analytics/signins?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&interval=hour",
		"/admin/v1/tenants/default/analytics/active_users?from=2000-01-01T00:00:00Z&to=2026-12-01T00:00:00Z",
	} {
		resp, body := do(t, s, "GET", q, tok, "", "")
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	}
	r := getAnalytics(t, s.Admin, "signups", nil)
	if len(r.Series) != 1 || r.Series[0].Group != nil || len(r.Series[0].Points) != 8 || r.Interval != "day" ||
		r.To.Sub(r.From) < 7*24*time.Hour || r.To.Sub(r.From) > 8*24*time.Hour {
		t.Fatalf("defaults: %+v", r)
	}
	for _, p := range r.Series[0].Points {
		if p.Value != 0 || !p.At.Equal(p.At.Truncate(24*time.Hour)) {
			t.Fatalf("empty day %+v", p)
		}
	}
	// 1,000 hours is the most one answer has.
	to := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	from, hour := to.Add(-999*time.Hour), gen.GetAnalyticsParamsInterval("hour")
	r = getAnalytics(t, s.Admin, "signins", &gen.GetAnalyticsParams{From: &from, To: &to, Interval: &hour})
	if len(r.Series) != 0 {
		t.Fatalf("no sign-ins, yet %+v", r.Series)
	}
	week := gen.GetAnalyticsParamsInterval("week")
	from = time.Date(2026, 11, 4, 12, 0, 0, 0, time.UTC) // a Wednesday
	r = getAnalytics(t, s.Admin, "signups", &gen.GetAnalyticsParams{From: &from, To: &to, Interval: &week})
	if pts := r.Series[0].Points; len(pts) != 5 || pts[0].At.Weekday() != time.Monday || !pts[0].At.Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("weeks: %+v", r.Series[0].Points)
	}
}

// Tenant A's admin key cannot read tenant B's analytics, nor the
// default tenant's; a key without events:read reads none.
func TestAnalyticsTenantIsolation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	for _, slug := range []string{"tenant-a", "tenant-b"} {
		if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: slug}); err != nil || r.StatusCode() != 201 {
			t.Fatalf("%v", err)
		}
	}
	kr, err := s.Admin.CreateTenantAPIKeyWithResponse(ctx, "tenant-a", nil, gen.APIKeyCreate{Name: "a", Scopes: []gen.APIKeyScope{"admin"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	keyA := kr.JSON201.Token
	// Tenant B has a sign-up counted.
	tb, err := s.App.Directory.Stores.Control().Tenants().GetBySlug(ctx, "tenant-b")
	if err != nil {
		t.Fatal(err)
	}
	backend, secret := mkClient(t, s, "tenant-b", "B backend", "client_credentials")
	oauthPost(t, s, "/t/tenant-b/oauth/token", backend, secret, url.Values{"grant_type": {"client_credentials"}})
	if err := s.App.Analytics.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, s, "GET", "/admin/v1/tenants/tenant-b/analytics/token_issuance", testserver.AdminToken, "", "")
	if resp.StatusCode != 200 || !strings.Contains(fmt.Sprint(body["series"]), backend) {
		t.Fatalf("tenant B's own figures (%s): %d %v", tb.ID, resp.StatusCode, body)
	}
	for _, path := range []string{
		"/admin/v1/tenants/tenant-b/analytics/token_issuance",
		"/admin/v1/tenants/" + tb.ID + "/analytics/token_issuance",
		"/admin/v1/tenants/default/analytics/signins",
		"/admin/v1/analytics/signins",
	} {
		resp, body := do(t, s, "GET", path, keyA, "", "")
		wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	}
	resp, body = do(t, s, "GET", "/admin/v1/tenants/tenant-a/analytics/token_issuance", keyA, "", "")
	if resp.StatusCode != 200 || len(body["series"].([]any)) != 0 {
		t.Fatalf("tenant A's own figures: %d %v", resp.StatusCode, body)
	}
	wr, err := s.Admin.CreateAPIKeyWithResponse(ctx, nil, gen.APIKeyCreate{Name: "writer", Scopes: []gen.APIKeyScope{"users:write"}})
	if err != nil || wr.JSON201 == nil {
		t.Fatalf("%v %s", err, wr.Body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/analytics/signups", wr.JSON201.Token, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
}
