package oidc_test

import (
	"net/http"
	"testing"
)

// A pushed request is judged by the same policy as one sent to
// /authorize, so a scope the client may not ask for is refused when it
// is pushed rather than after the browser has been sent off.
func TestPushedRequestUsesAuthorizePolicy(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.webClient(t, "", map[string]any{"scope": "openid profile"})
	q := parParams("s")
	q.Set("scope", "openid email")
	wantOAuthError(t, o.push(t, c, q), http.StatusBadRequest, "invalid_scope")
	q.Set("scope", "openid profile")
	if r := o.push(t, c, q); r.Status != http.StatusCreated {
		t.Fatalf("allowed scopes: %d %s", r.Status, r.Raw)
	}
}
