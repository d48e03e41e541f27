package console

import (
	"net/http"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Signing keys: the tenant's token-signing keys and their rotation
// (getTenantSigningKeys, rotateTenantSigningKeys).

func (c *Console) keys(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "keys")
	v.Notice = noticeOf(r, v.L)
	var set gen.SigningKeySet
	if err := c.call(r.Context(), s, http.MethodGet, "/signing-keys", nil, nil, &set); err != nil {
		v.Problem = asProblem(err)
	}
	v.Page = set.Items
	c.render(w, r, http.StatusOK, "keys", v)
}

func (c *Console) rotateKeys(w http.ResponseWriter, r *http.Request, s *session) {
	if err := c.call(r.Context(), s, http.MethodPost, "/signing-keys/rotate", nil, map[string]any{}, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+"/keys", "notice_rotated")
}
