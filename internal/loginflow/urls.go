package loginflow

import (
	"net/url"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// HTTPSURL keeps client-supplied links and logos only when they are https:
// the page's CSP would block anything else, and http links on a consent
// page invite tampering.
func HTTPSURL(s string) string {
	if strings.HasPrefix(s, "https://") {
		return s
	}
	return ""
}

// CookiePath is the path of the tenant's cookies: its base, "/" for the
// default tenant.
func CookiePath(t *tenancy.Tenant) string {
	if t.Base == "" {
		return "/"
	}
	return t.Base
}

// MFAURL is the second-factor page of the request, on method when set.
func MFAURL(in *oidc.Interaction, method string) string {
	u := in.Tenant.Base + "/login/mfa?authRequestID=" + url.QueryEscape(in.Request.ID)
	if method != "" {
		u += "&method=" + url.QueryEscape(method)
	}
	return u
}

// ResetURL is the tenant's reset page, where the mailed link points.
func ResetURL(t *tenancy.Tenant) string { return t.Issuer + "/recover/reset" }

// PasswordURL is the password-change page of the request.
func PasswordURL(in *oidc.Interaction) string {
	return in.Tenant.Base + "/login/password?authRequestID=" + url.QueryEscape(in.Request.ID)
}

// LoginURL is the sign-in page of the request ("" for none), which
// continues a signed-in request (consent, the client).
func LoginURL(t *tenancy.Tenant, authRequestID string) string {
	if authRequestID == "" {
		return ""
	}
	return t.Base + "/login?authRequestID=" + url.QueryEscape(authRequestID)
}

// ClientName is what the pages call the client.
func ClientName(c *oauth.Client) string {
	if c.ClientName != "" {
		return c.ClientName
	}
	return c.ID
}
