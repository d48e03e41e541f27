package saml

import (
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

func (h *Handler) slo(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	h.errorPage(w, r, t, http.StatusBadRequest, errBadLogout, nil)
}
