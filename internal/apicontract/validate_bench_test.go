package apicontract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/apicontract"
)

// benchmarkValidate validates one valid request against api/openapi.yaml
// per iteration, as the server's contract middleware and the mock do
// (docs/benchmarks.md section 11): "kin" with kin-openapi alone
// (ValidateRequest), "compiled" with the Validator.
func benchmarkValidate(b *testing.B, method, target, body string) {
	router, err := api.Router()
	if err != nil {
		b.Fatal(err)
	}
	newRequest := func() *http.Request {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		return r
	}
	route, params, err := router.FindRoute(newRequest())
	if err != nil {
		b.Fatal(err)
	}
	doc, err := api.Spec()
	if err != nil {
		b.Fatal(err)
	}
	v := apicontract.NewValidator(doc)
	for _, c := range []struct {
		name     string
		validate func(*http.Request, *routers.Route, map[string]string) error
	}{{"kin", apicontract.ValidateRequest}, {"compiled", v.Validate}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.validate(newRequest(), route, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidateCreateUser is POST /admin/v1/users with a UserCreate body.
func BenchmarkValidateCreateUser(b *testing.B) {
	benchmarkValidate(b, http.MethodPost, "/admin/v1/users",
		`{"email":"jane@example.com","password":"correct horse battery staple","name":"Jane Doe","email_verified":true}`)
}

// BenchmarkValidateListUsers is GET /admin/v1/users with one query parameter.
func BenchmarkValidateListUsers(b *testing.B) {
	benchmarkValidate(b, http.MethodGet, "/admin/v1/users?limit=10", "")
}
