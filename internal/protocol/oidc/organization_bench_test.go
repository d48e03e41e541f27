package oidc_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// BenchmarkRefreshOrganization compares, on one server, a user's refresh
// for an API (rbac on, permissions claim, ID token) without an
// organization (`org=none`: permissions from the user's roles) with one
// scoped to an organization (`org=acme`: the organization and the
// membership read again, permissions from the member's roles in it,
// org_id and org_name in both tokens). Each iteration rotates the
// refresh token the previous one returned.
func BenchmarkRefreshOrganization(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	ctx := context.Background()
	scopes := []gen.APIScope{{Value: "invoices:read"}, {Value: "invoices:write"}}
	if r, err := s.Admin.CreateAPIWithResponse(ctx, nil, gen.APICreate{Identifier: billingID, Name: "Billing",
		Scopes: &scopes, Rbac: new(true), PermissionsInToken: new(true)}); err != nil || r.JSON201 == nil {
		b.Fatalf("%v %s", err, r.Body)
	}
	role, err := s.Admin.CreateRoleWithResponse(ctx, nil, gen.RoleCreate{Name: "accountant", Permissions: &[]gen.Permission{
		{API: billingID, Scope: "invoices:read"}, {API: billingID, Scope: "invoices:write"}}})
	if err != nil || role.JSON201 == nil {
		b.Fatalf("%v %s", err, role.Body)
	}
	u, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: openapi_types.Email("bench@example.com")})
	if err != nil || u.JSON201 == nil {
		b.Fatalf("%v %s", err, u.Body)
	}
	userID, tenantID, roles := u.JSON201.ID, u.JSON201.TenantID, gen.UserRolesAssign{Roles: []string{role.JSON201.ID}}
	if r, err := s.Admin.AssignUserRolesWithResponse(ctx, userID, roles); err != nil || r.StatusCode() != 204 {
		b.Fatalf("%v %s", err, r.Body)
	}
	org, err := s.Admin.CreateOrganizationWithResponse(ctx, nil, gen.OrganizationCreate{Name: "acme"})
	if err != nil || org.JSON201 == nil {
		b.Fatalf("%v %s", err, org.Body)
	}
	orgID := org.JSON201.ID
	if r, err := s.Admin.AddOrganizationMemberWithResponse(ctx, orgID, nil, gen.OrganizationMemberAdd{UserID: userID}); err != nil || r.JSON201 == nil {
		b.Fatalf("%v %s", err, r.Body)
	}
	if r, err := s.Admin.AssignOrganizationMemberRolesWithResponse(ctx, orgID, userID, roles); err != nil || r.StatusCode() != 204 {
		b.Fatalf("%v %s", err, r.Body)
	}
	c, err := s.Admin.CreateClientWithResponse(ctx, nil, gen.ClientCreate{ClientName: "bench web",
		GrantTypes:   &[]gen.GrantType{gen.GrantTypeAuthorizationCode, gen.GrantTypeRefreshToken},
		RedirectUris: &[]string{"https://app.example.com/cb"}, Scope: ptr("openid offline_access")})
	if err != nil || c.JSON201 == nil {
		b.Fatalf("%v %s", err, c.Body)
	}
	id, secret := c.JSON201.ClientID, *c.JSON201.ClientSecret
	st := s.App.Stores.Control()
	for _, bc := range []struct{ name, org string }{{"org=none", ""}, {"org=acme", orgID}} {
		b.Run(bc.name, func(b *testing.B) {
			now := time.Now()
			token := tokens.RefreshPrefix + "bench" + rand8() + rand8()
			if err := st.RefreshTokens().Create(ctx, &oauth.RefreshToken{TenantID: tenantID, TokenHash: tokens.Hash(token),
				ClientID: id, UserID: userID, Scopes: []string{"openid", "offline_access", "invoices:read", "invoices:write"},
				Audience: []string{billingID}, AuthTime: now, OrgID: bc.org, ExpiresAt: now.Add(time.Hour),
				FamilyExpiresAt: now.Add(24 * time.Hour)}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader("grant_type=refresh_token&refresh_token="+url.QueryEscape(token)))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
				rec := httptest.NewRecorder()
				s.Handler.ServeHTTP(rec, req)
				var out struct {
					RefreshToken string `json:"refresh_token"`
				}
				if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil || out.RefreshToken == "" {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				token = out.RefreshToken
			}
			// The machine is shared: the process's CPU time per refresh is
			// steadier than the wall time (SQLite's commit waits for disk).
			b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// processCPU is the user and system CPU time the process used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
