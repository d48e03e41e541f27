package oidc_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// BenchmarkClientCredentialsAPI compares, on one server, a
// client-credentials token for the client itself (as
// BenchmarkClientCredentials) with one for an API (RFC 8707 resource,
// scopes checked against the API and the client's grant, a permissions
// claim): the lookup of the API and the grant is the difference.
func BenchmarkClientCredentialsAPI(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	id, secret := benchClient(b, s)
	ctx := context.Background()
	scopes := []gen.APIScope{{Value: "invoices:read"}, {Value: "invoices:write"}}
	ar, err := s.Admin.CreateAPIWithResponse(ctx, nil, gen.APICreate{Identifier: "https://api.example.com/billing", Name: "Billing",
		Scopes: &scopes, PermissionsInToken: new(true)})
	if err != nil || ar.JSON201 == nil {
		b.Fatalf("%v %s", err, ar.Body)
	}
	if r, err := s.Admin.GrantClientAPIWithResponse(ctx, id, ar.JSON201.ID, gen.ClientAPIGrantPut{Scopes: []string{"invoices:read"}}); err != nil || r.JSON200 == nil {
		b.Fatalf("%v %s", err, r.Body)
	}
	for _, bc := range []struct{ name, form string }{
		{"resource=none", "grant_type=client_credentials&scope=read"},
		{"resource=api", "grant_type=client_credentials&scope=invoices%3Aread&resource=" + url.QueryEscape("https://api.example.com/billing")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader(bc.form))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
					rec := httptest.NewRecorder()
					s.Handler.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"access_token"`) {
						b.Fatalf("status %d: %s", rec.Code, rec.Body)
					}
				}
			})
		})
	}
}
