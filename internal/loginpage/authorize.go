package loginpage

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// An authorization request the provider cannot redirect back (unknown
// client, unregistered redirect_uri) is answered in place, as the engine's
// JSON error. A person in a browser gets a page instead; the engine's
// answer is otherwise passed through untouched, redirects included.

// AuthorizeErrors wraps the provider's /authorize (the route table mounts it
// there, default tenant and named ones); resolve finds the tenant that
// brands the page.
func (h *Pages) AuthorizeErrors(next http.Handler, resolve func(ctx context.Context, slug string) (*tenancy.Tenant, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !wantsHTML(r) {
			next.ServeHTTP(w, r)
			return
		}
		cw := httpx.NewHeld()
		next.ServeHTTP(cw, r)
		var oe struct {
			Error string `json:"error"`
		}
		if cw.Status() < 400 || !strings.HasPrefix(cw.Header().Get("Content-Type"), "application/json") ||
			json.Unmarshal(cw.Body(), &oe) != nil || oe.Error == "" {
			cw.Flush(w)
			return
		}
		key := "error_authorize"
		if cw.Status() >= 500 {
			key = "error_internal"
		}
		// Only the fixed message is shown: the engine's description can
		// quote request parameters, which an attacker chooses.
		// The tenant only brands the page; the provider already answered
		// for an unknown one.
		t, err := resolve(r.Context(), r.PathValue("tenant"))
		if err != nil {
			t = nil
		}
		h.RenderError(w, r, h.View(t, loginflow.Lang(nil, r)), cw.Status(), key, "")
	})
}

// wantsHTML reports whether the client is a browser navigating.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}
