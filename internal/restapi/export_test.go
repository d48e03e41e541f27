package restapi_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Data export (issue 15) through the Admin API and the account API of a
// running server, both tenant forms: every category is in the document,
// no secret is, and another user's, another tenant's or an expired export
// is a 404.

func exportTenantStore(t *testing.T, s *testserver.Server, slug string) (store.Store, string) {
	t.Helper()
	if slug == "" {
		slug = "default"
	}
	tn, err := s.App.Stores.Control().Tenants().GetBySlug(t.Context(), slug)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.App.Stores.ForTenant(t.Context(), tn)
	if err != nil {
		t.Fatal(err)
	}
	return st, tn.ID
}

// getRaw fetches path with token and returns the response and its body.
func getRaw(t *testing.T, s *testserver.Server, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestDataExport(t *testing.T) {
	for _, tenant := range []string{"", "acme"} {
		t.Run("tenant="+tenant, func(t *testing.T) {
			s := newTenantServer(t, tenant)
			adm := testserver.AdminToken
			ctx := t.Context()
			resp, body := do(t, s, "POST", purposesPath(tenant, ""), adm, "application/json",
				`{"id":"newsletter","name":"Newsletter","legal_basis":"consent"}`)
			if resp.StatusCode != 201 {
				t.Fatalf("purpose: %d %v", resp.StatusCode, body)
			}
			ada := mkAccountUser(t, s, tenant, "ada@example.com")
			bob := mkAccountUser(t, s, tenant, "bob@example.com")
			web := mkApp(t, s, tenant, "Account console", true)
			tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken
			bobTok := newUserAgent(t, s).signIn(web, "bob@example.com", "openid account").AccessToken
			resp, body = do(t, s, "PUT", mePath(tenant, "/privacy/purposes/newsletter"), tok, "application/json", `{"granted":true}`)
			if resp.StatusCode != 200 {
				t.Fatalf("grant: %d %v", resp.StatusCode, body)
			}

			// Secrets the document must not carry.
			st, tid := exportTenantStore(t, s, tenant)
			pw, err := st.Passwords().Get(ctx, tid, ada)
			if err != nil {
				t.Fatal(err)
			}
			const totpSecret, recoveryCode = "JBSWY3DPEHPK3PXPTOTPSECRET", "RCVR-7Q2K-9XWM"
			for _, f := range []factor.Factor{
				{TenantID: tid, UserID: ada, Type: factor.TOTP, Name: "Phone", Data: json.RawMessage(`{"secret":"` + totpSecret + `"}`)},
				{TenantID: tid, UserID: ada, Type: factor.Recovery, Data: json.RawMessage(`{"codes":["` + recoveryCode + `"]}`)},
			} {
				if err := st.MFA().CreateFactor(ctx, &f); err != nil {
					t.Fatal(err)
				}
			}
			refresh := "rt-" + strings.Repeat("s3cr3t", 6)
			rtHash := sha256.Sum256([]byte(refresh))
			now := time.Now().UTC()
			if err := st.RefreshTokens().Create(ctx, &oauth.RefreshToken{TenantID: tid, UserID: ada, ClientID: web.id, TokenHash: rtHash[:],
				Scopes: []string{"openid"}, AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}

			for _, c := range []struct {
				name, start, get, token string
			}{
				{"account", mePath(tenant, "/export"), mePath(tenant, "/export/"), tok},
				{"admin", adminUserPath(tenant, ada, "/export"), adminUserPath(tenant, ada, "/export/"), adm},
			} {
				t.Run(c.name, func(t *testing.T) {
					resp, body := do(t, s, "POST", c.start, c.token, "", "")
					if resp.StatusCode != 202 || body["status"] != "pending" || body["id"] == "" {
						t.Fatalf("start: %d %v", resp.StatusCode, body)
					}
					id := body["id"].(string)
					s.App.Privacy.WaitExports()
					resp, raw := getRaw(t, s, c.get+id, c.token)
					if resp.StatusCode != 200 {
						t.Fatalf("get: %d %s", resp.StatusCode, raw)
					}
					if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="gatehouse-export-`+id+`.json"` {
						t.Fatalf("Content-Disposition %q", cd)
					}
					var ex struct {
						Status   string         `json:"status"`
						Document map[string]any `json:"document"`
					}
					if err := json.Unmarshal(raw, &ex); err != nil {
						t.Fatal(err)
					}
					if ex.Status != "ready" {
						t.Fatalf("status %q", ex.Status)
					}
					d := ex.Document
					for _, k := range []string{"profile", "identities", "mfa_factors", "sessions", "oauth_consents", "privacy", "devices", "audit_events"} {
						if _, ok := d[k]; !ok {
							t.Errorf("document has no %s", k)
						}
					}
					if p := d["profile"].(map[string]any); p["email"] != "ada@example.com" || p["id"] != ada || p["has_password"] != true {
						t.Errorf("profile %v", p)
					}
					if fs := d["mfa_factors"].([]any); len(fs) != 2 {
						t.Errorf("mfa_factors %v", fs)
					}
					if ss := d["sessions"].([]any); len(ss) == 0 {
						t.Errorf("no sessions")
					}
					led := d["privacy"].(map[string]any)["ledger"].([]any)
					if len(led) != 1 || led[0].(map[string]any)["receipt"] == "" {
						t.Errorf("ledger %v", led)
					}
					if evs := d["audit_events"].([]any); len(evs) == 0 {
						t.Errorf("no audit events")
					}
					text := string(raw)
					for what, secret := range map[string]string{
						"password hash": pw.Hash, "TOTP secret": totpSecret, "recovery code": recoveryCode,
						"refresh token": refresh, "refresh token hash (hex)": hex.EncodeToString(rtHash[:]),
						"refresh token hash (base64)":    base64.StdEncoding.EncodeToString(rtHash[:]),
						"refresh token hash (base64url)": base64.RawURLEncoding.EncodeToString(rtHash[:]),
						"argon2 marker":                  "$argon2id$", "bob": "bob@example.com",
					} {
						if strings.Contains(text, secret) {
							t.Errorf("the export carries the %s", what)
						}
					}
					if strings.Contains(text, ada) && !strings.Contains(text, `"id":"`+ada+`"`) {
						t.Errorf("the user id is missing from the profile")
					}

					// Another user's export is a 404 to them and under their ID.
					r2, b2 := do(t, s, "GET", mePath(tenant, "/export/")+id, bobTok, "", "")
					wantProblem(t, r2, b2, 404, notFound)
					r2, b2 = do(t, s, "GET", adminUserPath(tenant, bob, "/export/")+id, adm, "", "")
					wantProblem(t, r2, b2, 404, notFound)
					// Another tenant's form of the path does not find it.
					other := "/admin/v1/tenants/other-" + strings.ToLower(c.name) + "/users/" + ada + "/export/" + id
					if tenant == "" {
						mkTenant(t, s, "other-"+strings.ToLower(c.name))
					} else {
						other = "/admin/v1/users/" + ada + "/export/" + id
					}
					r2, b2 = do(t, s, "GET", other, adm, "", "")
					if r2.StatusCode != 404 {
						t.Fatalf("another tenant: %d %v", r2.StatusCode, b2)
					}
				})
			}

			// A person starts at most one export of their own per
			// privacy.OwnExportEvery; an administrator is not limited.
			resp, body = do(t, s, "POST", mePath(tenant, "/export"), tok, "", "")
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Retry-After") == "0" {
				t.Fatalf("second own export at once: %d %q %v", resp.StatusCode, resp.Header.Get("Retry-After"), body)
			}
			resp, body = do(t, s, "POST", adminUserPath(tenant, ada, "/export"), adm, "", "")
			if resp.StatusCode != 202 {
				t.Fatalf("admin export after the person's: %d %v", resp.StatusCode, body)
			}
			s.App.Privacy.WaitExports()

			// An expired export is a 404 even before the job deletes it.
			old := &store.DataExport{TenantID: tid, UserID: ada, Status: store.ExportReady, Document: "{}",
				CreatedAt: now.Add(-8 * 24 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
			if err := st.Exports().CreateExport(ctx, old); err != nil {
				t.Fatal(err)
			}
			resp, body = do(t, s, "GET", mePath(tenant, "/export/")+old.ID, tok, "", "")
			wantProblem(t, resp, body, 404, notFound)
			resp, body = do(t, s, "GET", adminUserPath(tenant, ada, "/export/")+old.ID, adm, "", "")
			wantProblem(t, resp, body, 404, notFound)
			// Unknown user and unknown ID.
			resp, body = do(t, s, "POST", adminUserPath(tenant, "no-such-user", "/export"), adm, "", "")
			wantProblem(t, resp, body, 404, notFound)
			resp, body = do(t, s, "GET", mePath(tenant, "/export/nope"), tok, "", "")
			wantProblem(t, resp, body, 404, notFound)
			// Without a token.
			resp, _ = do(t, s, "POST", mePath(tenant, "/export"), "", "", "")
			if resp.StatusCode != 401 {
				t.Fatalf("anonymous start: %d", resp.StatusCode)
			}
		})
	}
}
