package loginapi

import (
	"net/http"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// directorySignIn checks an identifier whose email domain belongs to an
// LDAP connection (home-realm discovery, issue 12) against that
// directory instead of the local password. fed is nil when no directory
// claims the identifier: the password is then checked locally. A
// directory that cannot be reached is a 503 problem; a refused identity
// (link_only, an email in use) a 403.
func (h *steps) directorySignIn(r *http.Request, t *tenancy.Tenant, in *oidc.Interaction, req gen.LoginAuthenticateRequest) (*http.Request, *identity.User, *authn.Federated, error) {
	c, err := loginflow.HomeRealm(r.Context(), t, req.Identifier)
	if err != nil || c == nil || c.Type != federation.TypeLDAP {
		return r, nil, nil, err
	}
	fid, err := h.CheckDirectory(r.Context(), t, c, req.Identifier, req.Password)
	if err != nil {
		h.Record(r, t, events.LoginFailed, "", map[string]any{"reason": "credentials", "connection": c.ID, "client_id": in.Client.ID, "api": true})
		return r, nil, nil, loginflow.FederationProblem(err)
	}
	f := &authn.Federated{Conn: c, Identity: fid}
	r, u, err := h.AuthenticateFederated(r, t, in.Client.ID, *f)
	if err != nil && u == nil {
		return r, nil, nil, loginflow.FederationProblem(err)
	}
	return r, u, f, err
}
