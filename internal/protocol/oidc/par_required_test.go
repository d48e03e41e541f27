package oidc_test

import (
	"maps"
	"net/http"
	"testing"
)

// TestRequirePushedAuthorizationRequests: a client set
// require_pushed_authorization_requests (RFC 9126 6), through the Admin
// API or its own registration, gets /authorize only with a request_uri
// from the PAR endpoint.
func TestRequirePushedAuthorizationRequests(t *testing.T) {
	t.Parallel()
	bothStores(t, func(t *testing.T, o *op, _ *testClock) { // jar_test.go
		c := o.webClient(t, "", map[string]any{"require_pushed_authorization_requests": true})
		got := o.admin(t, "GET", "/admin/v1/clients/"+c.ID, nil)
		if got["require_pushed_authorization_requests"] != true {
			t.Fatalf("client %v", got)
		}
		if _, leaked := got["metadata"].(map[string]any)["require_pushed_authorization_requests"]; leaked {
			t.Fatalf("metadata shows a top-level member: %v", got["metadata"])
		}

		// The attacker's: the same request by the front channel is refused
		// on Gatehouse's page, and so is a made-up request_uri.
		q := parParams("s-plain")
		q.Set("client_id", c.ID)
		wantOAuthError(t, o.authorizeWith(t, c, q), http.StatusBadRequest, "invalid_request")
		wantOAuthError(t, o.get(t, o.authorizeURI(c, parURNPrefix+"made-up")), http.StatusBadRequest, "invalid_request_uri")

		r := o.push(t, c, parParams("s-pushed"))
		if r.Status != http.StatusCreated {
			t.Fatalf("push: %d %s", r.Status, r.Raw)
		}
		o.wantLoginRedirect(t, o.get(t, o.authorizeURI(c, r.str("request_uri"))))

		// Switched off, a plain request works again.
		if got := o.admin(t, "PATCH", "/admin/v1/clients/"+c.ID, map[string]any{"require_pushed_authorization_requests": false}); got["require_pushed_authorization_requests"] != nil {
			t.Fatalf("after PATCH false: %v", got)
		}
		o.wantLoginRedirect(t, o.authorizeWith(t, c, q))

		// A registered client may require it of itself (and sees it back).
		o.setDCR(t, "", "open", nil)
		meta := maps.Clone(codeClientMeta)
		meta["require_pushed_authorization_requests"] = true
		reg := o.register(t, "", "", meta)
		if reg.Status != http.StatusCreated || reg.Body["require_pushed_authorization_requests"] != true {
			t.Fatalf("register: %d %s", reg.Status, reg.Raw)
		}
		dc := &rp{ID: reg.str("client_id"), Secret: reg.str("client_secret")}
		q.Set("client_id", dc.ID)
		wantOAuthError(t, o.authorizeWith(t, dc, q), http.StatusBadRequest, "invalid_request")
		meta["require_pushed_authorization_requests"] = "yes"
		wantStatus(t, o.register(t, "", "", meta), http.StatusBadRequest, "invalid_client_metadata")
	})
}
