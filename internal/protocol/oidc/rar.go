package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Rich authorization requests (RFC 9396, issue 20). A client sends
// authorization_details at /authorize, the PAR endpoint or the token
// endpoint; each entry's type must be declared by an API of the tenant
// (its authorization_details_types), validate against the type's JSON
// Schema, and belong to an API the client has a grant for (issue 14's
// client-API grants). Granted details go into the access token (claim and
// introspection), the token response and the refresh token, which may
// keep or narrow them but never widen them. Any refusal is
// invalid_authorization_details and stores nothing.

const detailsParam = "authorization_details"

// invalidDetails is RFC 9396's error.
func invalidDetails(desc string) *oidc.Error {
	e := oidc.ErrInvalidRequest().WithDescription("%s", desc)
	e.ErrorType = "invalid_authorization_details"
	return e
}

// detailType is one declared type with its API and compiled schema.
type detailType struct {
	api         string // the API's identifier
	apiName     string
	description string
	schema      *oauth.DetailSchema
}

// detailIndex is a tenant's declared types by name; names is their sorted
// list, for discovery.
type detailIndex struct {
	types map[string]*detailType
	names []string
}

// detailTypes caches each tenant's index, like tokens.APIAccess caches
// grants: dropped on every API change (APIsChanged, and cluster
// announcements), with the TTL as the backstop. A generation per tenant
// keeps a read that raced with a change from being cached.
type detailTypes struct {
	c   *otter.Cache[string, *detailIndex]
	gen sync.Map // tenant ID -> *atomic.Uint64
}

func newDetailTypes(ttl time.Duration) *detailTypes {
	return &detailTypes{c: otter.Must(&otter.Options[string, *detailIndex]{
		MaximumSize:      10_000,
		ExpiryCalculator: otter.ExpiryWriting[string, *detailIndex](ttl),
	})}
}

func (d *detailTypes) generation(tenantID string) *atomic.Uint64 {
	g, _ := d.gen.LoadOrStore(tenantID, new(atomic.Uint64))
	return g.(*atomic.Uint64)
}

func (d *detailTypes) invalidate(tenantID string) {
	d.generation(tenantID).Add(1)
	d.c.Invalidate(tenantID)
}

func (d *detailTypes) invalidateAll() { d.c.InvalidateAll() }

// index returns the tenant's declared types, reading every API once per
// change. A stored schema that no longer compiles (a library upgrade)
// leaves its type out, with a warning, rather than failing every request.
func (p *Provider) detailIndex(ctx context.Context, t *tenancy.Tenant) (*detailIndex, error) {
	g := p.rar.generation(t.ID)
	gen := g.Load()
	if idx, ok := p.rar.c.GetIfPresent(t.ID); ok {
		return idx, nil
	}
	idx := &detailIndex{types: map[string]*detailType{}}
	pg := store.Page{Limit: store.MaxLimit}
	for {
		apis, next, err := t.Store.APIs().List(ctx, t.ID, pg)
		if err != nil {
			return nil, err
		}
		for _, a := range apis {
			for _, dt := range a.AuthorizationDetailsTypes {
				sch, err := oauth.CompileDetailSchema(dt.Schema)
				if err != nil {
					p.log.WarnContext(ctx, "an API's authorization details schema does not compile; type ignored",
						"tenant_id", t.ID, "api_id", a.ID, "type", dt.Type, "err", err)
					continue
				}
				if _, dup := idx.types[dt.Type]; dup { // the Admin API refuses this; first API wins
					continue
				}
				idx.types[dt.Type] = &detailType{api: a.Identifier, apiName: a.Name, description: dt.Description, schema: sch}
				idx.names = append(idx.names, dt.Type)
			}
		}
		if next == "" {
			break
		}
		pg.After = next
	}
	sort.Strings(idx.names)
	if g.Load() == gen {
		p.rar.c.Set(t.ID, idx)
	}
	return idx, nil
}

// detailsParamValue is the one authorization_details a form carries.
func detailsParamValue(form url.Values) (string, error) {
	switch v := form[detailsParam]; len(v) {
	case 0:
		return "", nil
	case 1:
		return v[0], nil
	default:
		return "", invalidDetails("authorization_details given more than once")
	}
}

// checkDetails parses and validates the authorization_details of a
// request by clientID: each type declared, for resource when one is
// named (a token has one audience), granted to the client, and matching
// its schema. nil without details.
func (p *Provider) checkDetails(ctx context.Context, t *tenancy.Tenant, clientID, resource, raw string) (oauth.Details, error) {
	ds, err := oauth.ParseDetails(raw)
	if err != nil {
		return nil, invalidDetails(err.Error())
	}
	if len(ds) == 0 {
		return nil, nil
	}
	return ds, p.validateDetails(ctx, t, clientID, resource, ds)
}

// validateDetails checks parsed details as checkDetails does.
func (p *Provider) validateDetails(ctx context.Context, t *tenancy.Tenant, clientID, resource string, ds oauth.Details) error {
	idx, err := p.detailIndex(ctx, t)
	if err != nil {
		return p.serverError(ctx, t, clientID, "authorization details: types", err)
	}
	for i, d := range ds {
		dt := idx.types[d.Type]
		if dt == nil {
			return invalidDetails(fmt.Sprintf("authorization_details[%d]: unknown type %q", i, d.Type))
		}
		if resource != "" && dt.api != resource {
			return invalidDetails(fmt.Sprintf("authorization_details[%d]: type %q is not one of the requested resource's", i, d.Type))
		}
		_, granted, err := p.apis.Get(ctx, t, clientID, dt.api)
		if err != nil && !isNotFound(err) {
			return p.serverError(ctx, t, clientID, "authorization details: client access", err)
		}
		if granted == nil {
			return invalidDetails(fmt.Sprintf("authorization_details[%d]: the client may not use type %q", i, d.Type))
		}
		if err := dt.schema.Validate(i, d); err != nil {
			return invalidDetails(err.Error())
		}
	}
	return nil
}

// refreshDetails is what a refresh grants: the token's details, or the
// subset the request names, checked again as when they were granted (a
// type removed from its API, a changed schema or a revoked client grant
// ends them: invalid_grant, as a deleted API does for a resource).
func (p *Provider) refreshDetails(ctx context.Context, t *tenancy.Tenant, c *client, form url.Values, granted string) (string, error) {
	out, err := narrowDetails(form, granted)
	if err != nil || out == "" {
		return out, err
	}
	ds, err := oauth.ParseStoredDetails(out)
	if err != nil {
		return "", oidc.ErrInvalidGrant().WithDescription("the refresh token's authorization_details cannot be read")
	}
	if err := p.validateDetails(ctx, t, c.c.ID, "", ds); err != nil {
		var oe *oidc.Error
		if errors.As(err, &oe) && oe.ErrorType == "invalid_authorization_details" {
			return "", oidc.ErrInvalidGrant().WithDescription("the granted authorization_details are no longer valid: %s", oe.Description)
		}
		return "", err
	}
	return out, nil
}

// isNotFound: the API went away between the index and the grant lookup.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

type detailsKey struct{}

// detailsFrom is what authorizeDetails left in the context (a canonical
// JSON array), for CreateAuthRequest.
func detailsFrom(ctx context.Context) string {
	s, _ := ctx.Value(detailsKey{}).(string)
	return s
}

// authorizeDetails checks the authorization_details of an authorization
// request (/authorize, or a push) against the resource it names, and
// returns the context that carries them to the stored request.
func (p *Provider) authorizeDetails(ctx context.Context, form url.Values, clientID string) (context.Context, error) {
	raw, err := detailsParamValue(form)
	if err != nil || raw == "" {
		return ctx, err
	}
	t := tenancy.From(ctx)
	if t == nil {
		return nil, oidc.ErrServerError().WithDescription("no tenant")
	}
	res, err := resourceParam(form)
	if err != nil {
		return nil, err
	}
	ds, err := p.checkDetails(ctx, t, clientID, res, raw)
	if err != nil {
		return nil, err
	}
	return context.WithValue(ctx, detailsKey{}, ds.JSON()), nil
}

// narrowDetails is the details a token request may ask for out of those
// granted (a code's request, or a refresh token): none asked keeps them
// all; asking for one that was not granted is refused.
func narrowDetails(form url.Values, granted string) (string, error) {
	raw, err := detailsParamValue(form)
	if err != nil || raw == "" {
		return granted, err
	}
	asked, err := oauth.ParseDetails(raw)
	if err != nil {
		return "", invalidDetails(err.Error())
	}
	have, err := oauth.ParseStoredDetails(granted)
	if err != nil {
		return "", invalidDetails("the grant's authorization_details cannot be read")
	}
	if err := asked.Within(have); err != nil {
		return "", invalidDetails(err.Error())
	}
	return asked.JSON(), nil
}

// clientCredentialsDetails checks the details of a client-credentials
// request; they are the client's to ask for directly.
func (p *Provider) clientCredentialsDetails(ctx context.Context, t *tenancy.Tenant, c *client, form url.Values) (string, error) {
	raw, err := detailsParamValue(form)
	if err != nil || raw == "" {
		return "", err
	}
	res, err := resourceParam(form)
	if err != nil {
		return "", err
	}
	ds, err := p.checkDetails(ctx, t, c.c.ID, res, raw)
	if err != nil {
		return "", err
	}
	return ds.JSON(), nil
}

// detailedResponse is a token response with the granted details (RFC
// 9396 7.1).
type detailedResponse struct {
	*oidc.AccessTokenResponse
	AuthorizationDetails json.RawMessage `json:"authorization_details,omitempty"`
}

// tokenResponseWithDetails is tokenResponse, plus the grant's details.
func tokenResponseWithDetails(resp *oidc.AccessTokenResponse, g *tokens.Grant) *op.Response {
	if g.AuthorizationDetails == "" {
		return tokenResponse(resp)
	}
	r := op.NewResponse(detailedResponse{resp, json.RawMessage(g.AuthorizationDetails)})
	r.Header.Set("Cache-Control", "no-store")
	r.Header.Set("Pragma", "no-cache")
	return r
}

// withDetailTypes adds the tenant's declared types to its (cached,
// otherwise static) discovery document.
func (p *Provider) withDetailTypes(ctx context.Context, t *tenancy.Tenant, body []byte) ([]byte, error) {
	idx, err := p.detailIndex(ctx, t)
	if err != nil {
		return nil, err
	}
	names := idx.names
	if names == nil {
		names = []string{}
	}
	list, err := json.Marshal(names)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)+len(list)+48)
	out = append(out, body[:len(body)-1]...)
	out = append(out, `,"authorization_details_types_supported":`...)
	out = append(out, list...)
	return append(out, '}'), nil
}

// DetailView is one authorization detail as the consent page shows it:
// the API's words for the type, then the detail's fields.
type DetailView struct {
	API         string
	Type        string
	Description string
	Fields      []DetailField
}

// DetailField is one field of a detail, its value as text.
type DetailField struct{ Name, Value string }

// DescribeDetails renders a request's details (a canonical JSON array)
// for the consent page. A type removed since the request was made is
// shown by name.
func (p *Provider) DescribeDetails(ctx context.Context, t *tenancy.Tenant, raw string) ([]DetailView, error) {
	ds, err := oauth.ParseStoredDetails(raw)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	idx, err := p.detailIndex(ctx, t)
	if err != nil {
		return nil, err
	}
	out := make([]DetailView, 0, len(ds))
	for _, d := range ds {
		v := DetailView{Type: d.Type}
		if dt := idx.types[d.Type]; dt != nil {
			v.API, v.Description = dt.apiName, dt.description
		}
		v.Fields = flattenFields("", d.Value, 0)
		out = append(out, v)
	}
	return out, nil
}

// flattenFields lists an object's fields by name (nested objects as
// a.b, two levels deep; arrays and deeper values as compact JSON),
// sorted, without the type.
func flattenFields(prefix string, obj map[string]any, level int) []DetailField {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if prefix == "" && k == "type" {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []DetailField
	for _, k := range keys {
		name := prefix + k
		switch v := obj[k].(type) {
		case map[string]any:
			if level < 1 {
				out = append(out, flattenFields(name+".", v, level+1)...)
				continue
			}
			out = append(out, DetailField{name, compactJSON(v)})
		case string:
			out = append(out, DetailField{name, v})
		case json.Number:
			out = append(out, DetailField{name, v.String()})
		case bool:
			out = append(out, DetailField{name, fmt.Sprint(v)})
		case nil:
			out = append(out, DetailField{name, "null"})
		default:
			out = append(out, DetailField{name, compactJSON(v)})
		}
	}
	return out
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	s := string(b)
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return strings.ToValidUTF8(s, "")
}

// detailCanonicals are the canonical forms of a stored request's details
// (what a consent records and covers).
func detailCanonicals(raw string) []string {
	ds, err := oauth.ParseStoredDetails(raw)
	if err != nil {
		return nil
	}
	return ds.Canonicals()
}

// maxConsentedDetails bounds what one consent remembers: the newest
// details are kept, older ones are asked for again.
const maxConsentedDetails = 50

// mergeDetails adds the newly consented details to those consented
// before, each once.
func mergeDetails(old, added []string) []string {
	out := slices.Clone(added)
	for _, d := range old {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) > maxConsentedDetails {
		out = out[:maxConsentedDetails]
	}
	return out
}

// exchangeDetails is what a token exchange (RFC 8693) grants: only the
// authorization_details the request names, each one of the subject
// token's (RFC 9396 with RFC 8693: an exchange never widens them), and
// valid for the exchanging client and the target API (resource, "" for
// none) as at the token endpoint. None named: none granted, since the new
// token is for another party.
func (p *Provider) exchangeDetails(ctx context.Context, t *tenancy.Tenant, c *client, form url.Values, subject *tokens.AccessToken, resource string) (string, error) {
	raw, err := detailsParamValue(form)
	if err != nil || raw == "" {
		return "", err
	}
	asked, err := oauth.ParseDetails(raw)
	if err != nil {
		return "", invalidDetails(err.Error())
	}
	if len(asked) == 0 {
		return "", nil
	}
	var have oauth.Details
	if v, ok := subject.Extra[detailsParam]; ok {
		b, err := json.Marshal(v)
		if err != nil {
			return "", invalidDetails("the subject token's authorization_details cannot be read")
		}
		if have, err = oauth.ParseStoredDetails(string(b)); err != nil {
			return "", invalidDetails("the subject token's authorization_details cannot be read")
		}
	}
	if err := asked.Within(have); err != nil {
		return "", invalidDetails("not in the subject token: " + err.Error())
	}
	if err := p.validateDetails(ctx, t, c.c.ID, resource, asked); err != nil {
		return "", err
	}
	return asked.JSON(), nil
}
