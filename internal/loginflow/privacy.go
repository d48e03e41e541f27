package loginflow

import (
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// PrivacyOwed returns the privacy purposes the user must decide on before
// the request completes: the client's required_purposes not granted in
// their current version, and purposes that changed since the user agreed
// (privacy.Service.Owed). None when privacy is off.
func (h *Flow) PrivacyOwed(r *http.Request, in *oidc.Interaction, userID string) ([]privacy.Item, error) {
	if h.verifier == nil || h.verifier.Privacy == nil {
		return nil, nil
	}
	return h.verifier.Privacy.Owed(r.Context(), in.Tenant, userID, in.Client.RequiredPurposes())
}

// PrivacyURL is the preference centre continuing the request: the user
// decides there, then the request goes on.
func PrivacyURL(t *tenancy.Tenant, authRequestID string) string {
	return t.Base + "/account/privacy?authRequestID=" + url.QueryEscape(authRequestID)
}
