// Package gatehouse is the Go SDK of the Gatehouse API. Its client is the
// one generated from the contract, api/openapi.yaml (package
// github.com/gatehouse-iam/gatehouse/api/gen: a method per operation, typed
// parameters, bodies and responses); this package adds the two
// constructors, which set the credentials and, for admins, the tenant, and
// a helper for problem responses.
//
//	import gatehouse "github.com/gatehouse-iam/gatehouse/sdk/go"
//
// Every ...WithResponse method returns the parsed body of each documented
// status: JSON200 (or JSON201) on success, ApplicationProblemJSON4xx with
// the RFC 9457 problem otherwise. Problem reads the problem of any of them.
package gatehouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Client is the generated client: one method per operation of the
// contract.
type Client = gen.ClientWithResponses

// AdminOptions configure an Admin API client.
type AdminOptions struct {
	// BaseURL is where Gatehouse serves, e.g. https://id.example.com.
	BaseURL string
	// Token is an Admin API key (gh_<id>_<secret>) or the bootstrap admin
	// token.
	Token string
	// Tenant, when set, sends the tenant-scoped operations to
	// /admin/v1/tenants/{Tenant}/...: ListUsers then lists that tenant's
	// users, as ListTenantUsers would. Operations that exist only for the
	// default tenant (events, webhooks) are refused with ErrNoTenantForm
	// rather than sent to the wrong tenant.
	Tenant string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// AccountOptions configure a client of the self-service account API
// (/v1/me).
type AccountOptions struct {
	// BaseURL is the issuer of the user's tenant: https://id.example.com
	// for the default tenant, https://id.example.com/t/acme for acme.
	BaseURL string
	// AccessToken is the user's access token with the account scope.
	AccessToken string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// ErrNoTenantForm: a client with a Tenant was asked for an operation that
// exists only for the default tenant.
var ErrNoTenantForm = errors.New("gatehouse: this operation has no /admin/v1/tenants/{tenant} form")

// tenantScoped are the first path segments under /admin/v1/ whose
// operations also exist under /admin/v1/tenants/{tenant}/ (a test keeps
// the list equal to the contract's).
var tenantScoped = []string{"analytics", "api-keys", "apis", "clients", "connections", "initial-access-tokens", "invitations", "organizations", "privacy", "risk-policy", "roles", "saml-certificates", "saml-service-providers", "signing-keys", "users"}

var slugRe = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// NewAdminClient returns a client of the Admin API.
func NewAdminClient(o AdminOptions) (*Client, error) {
	if o.Token == "" {
		return nil, errors.New("gatehouse: AdminOptions.Token is required")
	}
	if o.Tenant != "" && !slugRe.MatchString(o.Tenant) {
		return nil, fmt.Errorf("gatehouse: %q is not a tenant slug", o.Tenant)
	}
	base, err := parseBase(o.BaseURL)
	if err != nil {
		return nil, err
	}
	editors := []gen.ClientOption{bearer(o.Token)}
	if o.Tenant != "" {
		editors = append(editors, gen.WithRequestEditorFn(tenantPaths(base.EscapedPath(), o.Tenant)))
	}
	return newClient(o.BaseURL, o.HTTPClient, editors...)
}

// NewAccountClient returns a client of the account API for the user
// whose access token it is.
func NewAccountClient(o AccountOptions) (*Client, error) {
	if o.AccessToken == "" {
		return nil, errors.New("gatehouse: AccountOptions.AccessToken is required")
	}
	if _, err := parseBase(o.BaseURL); err != nil {
		return nil, err
	}
	return newClient(o.BaseURL, o.HTTPClient, bearer(o.AccessToken))
}

func parseBase(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("gatehouse: BaseURL %q is not an http(s) URL", s)
	}
	return u, nil
}

func newClient(base string, hc *http.Client, opts ...gen.ClientOption) (*Client, error) {
	if hc != nil {
		opts = append(opts, gen.WithHTTPClient(hc))
	}
	return gen.NewClientWithResponses(strings.TrimSuffix(base, "/"), opts...)
}

func bearer(token string) gen.ClientOption {
	return gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	})
}

// tenantPaths rewrites /admin/v1/{resource}... under the base path to
// /admin/v1/tenants/{tenant}/{resource}... for the tenant-scoped
// resources, and refuses the other default-tenant operations.
func tenantPaths(basePath, tenant string) gen.RequestEditorFn {
	basePath = strings.TrimSuffix(basePath, "/")
	const admin = "/admin/v1/"
	return func(_ context.Context, req *http.Request) error {
		p, ok := strings.CutPrefix(req.URL.EscapedPath(), basePath+admin)
		if !ok {
			return nil // the account API, operations endpoints
		}
		resource, _, _ := strings.Cut(p, "/")
		switch {
		case resource == "tenants":
			return nil // tenants themselves, and paths that already name one
		case !slices.Contains(tenantScoped, resource):
			return fmt.Errorf("%w: %s %s%s", ErrNoTenantForm, req.Method, admin, p)
		}
		escaped := basePath + admin + "tenants/" + url.PathEscape(tenant) + "/" + p
		unescaped, err := url.PathUnescape(escaped)
		if err != nil {
			return err
		}
		req.URL.Path, req.URL.RawPath = unescaped, escaped
		return nil
	}
}

// Problem returns the RFC 9457 problem a response carries, and whether it
// is one: pass any generated response (resp.HTTPResponse, resp.Body).
func Problem(resp *http.Response, body []byte) (*gen.Problem, bool) {
	if resp == nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		return nil, false
	}
	var p gen.Problem
	if err := json.Unmarshal(body, &p); err != nil || p.Type == "" {
		return nil, false
	}
	return &p, true
}
