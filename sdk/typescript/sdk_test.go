package typescript_test

import (
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/nodetest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// TestTypeScriptSDK builds the SDK's tests with tsc (which also checks the
// types the tests rely on) and runs them with node --test against a real
// Gatehouse on loopback. Needs npm ci in sdk/typescript.
func TestTypeScriptSDK(t *testing.T) {
	dir := nodetest.Require(t, ".")
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	pw := "correct horse battery staple"
	if r, err := s.Admin.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: openapi_types.Email("jane@example.com"), Password: &pw}); err != nil || r.JSON201 == nil {
		t.Fatalf("create jane: %v %s", err, r.Body)
	}
	token := s.SignIn(t, "", "jane@example.com", pw, "openid account")
	out := nodetest.Run(t, dir, map[string]string{
		"GATEHOUSE_URL":          s.URL,
		"GATEHOUSE_ADMIN_TOKEN":  testserver.AdminToken,
		"GATEHOUSE_ACCESS_TOKEN": token,
	}, 3*time.Minute, "npm", "run", "--silent", "test")
	t.Log(out)
}
