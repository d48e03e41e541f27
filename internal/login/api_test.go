package login_test

// Helpers of the login tests that also drive the JSON login API; the
// API's own tests are in internal/loginapi.

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// apiBrowser is a browser whose JSON API calls (default tenant) are
// checked against api/openapi.yaml.
func apiBrowser(t *testing.T) *browser {
	b := newBrowser(t)
	b.checked = &http.Client{Jar: b.jar, Transport: apitest.Transport(t, nil), CheckRedirect: b.c.CheckRedirect}
	return b
}

// authRequestID starts an authorization and returns the ID the login URL carries.
func (b *browser) authRequestID(issuer string, a *authz) string {
	b.t.Helper()
	return b.get(a.url(issuer)).location(b.t).Query().Get("authRequestID")
}

func decodeResult(t *testing.T, r *resp) gen.LoginResult {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out gen.LoginResult
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	return out
}
