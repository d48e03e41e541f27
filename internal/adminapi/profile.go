package adminapi

import (
	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

// applyJARPatch sets the top-level members profile,
// require_signed_request_object and request_uris (issue 20), which the
// client keeps with its settings (oauth.TopLevelMetadataKeys).
func applyJARPatch(c *oauth.Client, in *gen.ClientPatch) {
	set := func(k string, v any, clear bool) {
		if c.Metadata == nil {
			c.Metadata = map[string]any{}
		}
		delete(c.Metadata, k)
		if !clear {
			c.Metadata[k] = v
		}
	}
	if in.Profile != nil {
		set(oauth.ProfileKey, string(*in.Profile), *in.Profile == gen.ClientProfileDefault)
	}
	if in.RequireSignedRequestObject != nil {
		set(oauth.RequireSignedRequestObjectKey, true, !*in.RequireSignedRequestObject)
	}
	if in.RequirePushedAuthorizationRequests != nil {
		set(oauth.RequirePARKey, true, !*in.RequirePushedAuthorizationRequests)
	}
	if in.RequestUris.IsSpecified() {
		uris, _ := in.RequestUris.Get()
		list := make([]any, len(uris))
		for i, u := range uris {
			list[i] = u
		}
		set(oauth.RequestURIsKey, list, in.RequestUris.IsNull() || len(uris) == 0)
	}
}
