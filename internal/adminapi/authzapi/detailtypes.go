package authzapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi/resource"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Rich authorization request types (RFC 9396, issue 20): an API declares
// the authorization_details types it accepts, each with a JSON Schema
// that the token endpoint and /authorize validate details against. A
// schema is compiled here, so a broken one never reaches the protocol.

func detailTypesJSON(l []store.AuthorizationDetailsType) gen.APIAuthorizationDetailsTypes {
	out := make(gen.APIAuthorizationDetailsTypes, len(l))
	for i, t := range l {
		var schema map[string]any
		_ = json.Unmarshal(t.Schema, &schema) // compiled (so an object) before it was stored
		out[i] = gen.APIAuthorizationDetailsType{Type: t.Type, Description: resource.OptStr(t.Description), Schema: schema}
	}
	return out
}

// detailTypes converts and checks the types of a request for the API
// apiID ("" when it is being created): each type once in the tenant and
// each schema a JSON Schema that compiles, within the size limit.
func detailTypes(ctx context.Context, sc *tenancy.Tenant, apiID string, in []gen.APIAuthorizationDetailsType) ([]store.AuthorizationDetailsType, error) {
	out := make([]store.AuthorizationDetailsType, len(in))
	seen := map[string]bool{}
	for i, t := range in {
		field := fmt.Sprintf("/authorization_details_types/%d", i)
		if seen[t.Type] {
			return nil, httpx.Validation("An authorization details type is listed twice.",
				httpx.FieldError{Field: field + "/type", Message: "duplicate type " + t.Type})
		}
		seen[t.Type] = true
		raw, err := json.Marshal(t.Schema)
		if err != nil {
			return nil, httpx.Validation("The schema is not valid.", httpx.FieldError{Field: field + "/schema", Message: "cannot be encoded"})
		}
		if _, err := oauth.CompileDetailSchema(raw); err != nil {
			return nil, httpx.Validation("The schema is not a valid JSON Schema.", httpx.FieldError{Field: field + "/schema", Message: err.Error()})
		}
		out[i] = store.AuthorizationDetailsType{Type: t.Type, Description: restapi.Val(t.Description), Schema: raw}
	}
	if len(seen) == 0 {
		return out, nil
	}
	// A type names one API: the token's audience and the consent text
	// come from it.
	pg := store.Page{Limit: store.MaxLimit}
	for {
		apis, next, err := sc.Store.APIs().List(ctx, sc.Tenant.ID, pg)
		if err != nil {
			return nil, err
		}
		for _, a := range apis {
			if a.ID == apiID {
				continue
			}
			for _, t := range a.AuthorizationDetailsTypes {
				if seen[t.Type] {
					for i, x := range out {
						if x.Type == t.Type {
							return nil, httpx.Validation("Another API declares this authorization details type.",
								httpx.FieldError{Field: fmt.Sprintf("/authorization_details_types/%d/type", i),
									Message: "the API " + a.Identifier + " declares " + t.Type})
						}
					}
				}
			}
		}
		if next == "" {
			return out, nil
		}
		pg.After = next
	}
}
