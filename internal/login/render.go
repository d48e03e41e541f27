package login

import (
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// allowRedirectToRequest is allowRedirectTo for the authorization request
// with that ID, when it is still pending; otherwise no redirect can come.
func (h *base) allowRedirectToRequest(r *http.Request, t *tenancy.Tenant, v *loginpage.View, authRequestID string) {
	if authRequestID == "" {
		return
	}
	if in, err := h.p.Interaction(r.Context(), t, authRequestID); err == nil {
		v.AllowRedirectTo(in)
	}
}
