package oauth

import (
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// Logout channels (OIDC Back-Channel Logout 1.0 §2.2, Front-Channel
// Logout 1.0 §2): the URIs are checked as a web client's redirect URIs
// are (https, or http on a loopback host; no fragment), whatever the
// client's application type, since Gatehouse's server (back-channel) or
// the user's browser in an iframe (front-channel) calls them.

// validateLogoutURIs checks the client's logout channels.
func validateLogoutURIs(ve *identity.ValidationError, c *Client) {
	for _, f := range []struct{ field, uri string }{
		{"/backchannel_logout_uri", c.BackchannelLogoutURI},
		{"/frontchannel_logout_uri", c.FrontchannelLogoutURI},
	} {
		if f.uri != "" {
			ve.AddErr(f.field, ValidateRedirectURI(f.uri, ApplicationTypeWeb))
		}
	}
}
