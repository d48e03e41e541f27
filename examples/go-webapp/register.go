package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	gatehouse "github.com/gatehouse-iam/gatehouse/sdk/go"
)

// Register creates the app's OAuth client with the Admin API (through the
// Go SDK) and returns its ID and secret. A tenant's issuer
// (https://id.example.com/t/acme) registers it in that tenant.
func Register(ctx context.Context, cfg Config, adminToken string) (id, secret string, err error) {
	base, tenant := cfg.Issuer, ""
	if i := strings.LastIndex(cfg.Issuer, "/t/"); i >= 0 {
		base, tenant = cfg.Issuer[:i], cfg.Issuer[i+len("/t/"):]
	}
	gh, err := gatehouse.NewAdminClient(gatehouse.AdminOptions{BaseURL: base, Token: adminToken, Tenant: tenant, HTTPClient: cfg.HTTPClient})
	if err != nil {
		return "", "", err
	}
	basic, scope := gen.TokenEndpointAuthMethodClientSecretBasic, "openid profile email offline_access"
	resp, err := gh.CreateClientWithResponse(ctx, nil, gen.ClientCreate{
		ClientName:              "Example Go web app",
		RedirectUris:            &[]string{cfg.AppURL + "/callback"},
		PostLogoutRedirectUris:  &[]string{cfg.AppURL + "/"},
		GrantTypes:              &[]gen.GrantType{gen.GrantTypeAuthorizationCode, gen.GrantTypeRefreshToken},
		TokenEndpointAuthMethod: &basic,
		Scope:                   &scope,
		// The company's own app: no consent page.
		Metadata: &map[string]any{"first_party": true},
	})
	if err != nil {
		return "", "", fmt.Errorf("register the client: %w", err)
	}
	if p, ok := gatehouse.Problem(resp.HTTPResponse, resp.Body); ok {
		return "", "", fmt.Errorf("register the client: %s (%s)", p.Title, p.Type)
	}
	if resp.StatusCode() != http.StatusCreated || resp.JSON201.ClientSecret == nil {
		return "", "", fmt.Errorf("register the client: %s", resp.Status())
	}
	return resp.JSON201.ClientID, *resp.JSON201.ClientSecret, nil
}
