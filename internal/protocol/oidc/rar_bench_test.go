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

// BenchmarkClientCredentialsRAR compares, on one server, a
// client-credentials token for an API (as BenchmarkClientCredentialsAPI)
// with the same token asking for one payment_initiation detail: parsing,
// the cached type index, the grant check and a JSON Schema validation
// are the difference.
func BenchmarkClientCredentialsRAR(b *testing.B) {
	s := testserver.New(b, testserver.Options{Env: map[string]string{"GATEHOUSE_LOG_LEVEL": "warn"}})
	id, secret := benchClient(b, s)
	ctx := context.Background()
	scopes := []gen.APIScope{{Value: "payments:initiate"}}
	types := []gen.APIAuthorizationDetailsType{{Type: "payment_initiation", Schema: paymentSchema}}
	ar, err := s.Admin.CreateAPIWithResponse(ctx, nil, gen.APICreate{Identifier: paymentsID, Name: "Payments",
		Scopes: &scopes, AuthorizationDetailsTypes: &types})
	if err != nil || ar.JSON201 == nil {
		b.Fatalf("%v %s", err, ar.Body)
	}
	if r, err := s.Admin.GrantClientAPIWithResponse(ctx, id, ar.JSON201.ID, gen.ClientAPIGrantPut{Scopes: []string{"payments:initiate"}}); err != nil || r.JSON200 == nil {
		b.Fatalf("%v %s", err, r.Body)
	}
	base := "grant_type=client_credentials&resource=" + url.QueryEscape(paymentsID)
	for _, bc := range []struct{ name, form string }{
		{"details=none", base},
		{"details=1", base + "&authorization_details=" + url.QueryEscape(payTen)},
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
