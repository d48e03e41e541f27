package server

import (
	"net/http"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/console"
	"github.com/gatehouse-iam/gatehouse/internal/login"
	"github.com/gatehouse-iam/gatehouse/internal/loginapi"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/saml"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The route table: every path the server answers and the handler that
// serves it. Paths of a tenant are listed twice: the default tenant's at
// the root, a named tenant's under /t/{tenant}. The more specific pattern
// wins, so /t/{tenant}/v1/ is the account API's while the rest of
// /t/{tenant}/ is the login's and the protocol's.

// routeKind says which specification a route answers to; routes_test.go
// checks the contract's against api/openapi.yaml.
type routeKind int

const (
	// contractRoute serves operations of api/openapi.yaml, validated
	// against it; a pattern ending in "/" covers the operations under it.
	contractRoute routeKind = iota
	// pageRoute is the hosted login's pages, the JSON of their scripts and
	// their assets.
	pageRoute
	// protocolRoute is an OAuth/OIDC endpoint, specified by its RFCs.
	protocolRoute
	// fallbackRoute answers every path no other route matches.
	fallbackRoute
)

type route struct {
	pattern string
	kind    routeKind
	handler http.Handler
}

// routeHandlers are the handlers the table mounts.
type routeHandlers struct {
	admin, account, ops http.Handler
	// login is nil when the server has no hosted login (tests), and
	// loginAPI with it.
	login    *login.Handler
	loginAPI *loginapi.API
	// protocol is the OAuth/OIDC provider's handler, which serves every
	// protocol path itself; nil when the server has none (tests).
	protocol http.Handler
	// saml serves the SAML IdP's endpoints (internal/protocol/saml); nil
	// when the server has none (tests).
	saml http.Handler
	// console is the admin console (internal/console), on /console; nil
	// when the server has none (tests).
	console http.Handler
}

// opsPaths are the operational endpoints, the contract and its docs.
var opsPaths = []string{"/healthz", "/readyz", "/metrics", "/openapi.json", "/openapi.yaml", "/docs", "/docs/", api.ChangelogPath}

// protocolPaths are the paths the provider serves under each tenant base
// (internal/protocol/oidc): the engine's endpoints and Gatehouse's own
// (keys, PAR, introspection, the metadata alias).
var protocolPaths = []string{
	"/authorize",
	"/oauth/token",
	"/oauth/introspect",
	"/revoke",
	"/userinfo",
	"/keys",
	"/oauth/par",
	"/device_authorization",
	"/end_session",
	"/end_session/frontchannel",
	"/.well-known/openid-configuration",
	"/.well-known/oauth-authorization-server",
}

// routes is the table.
func routes(h routeHandlers) []route {
	rs := []route{
		{"/admin/", contractRoute, h.admin},
		{"/v1/", contractRoute, h.account},
		{tenancy.Prefix + "/{tenant}/v1/", contractRoute, h.account},
	}
	for _, p := range opsPaths {
		rs = append(rs, route{p, contractRoute, h.ops})
	}
	if h.login != nil {
		for _, lr := range h.login.Routes() {
			rs = append(rs, route{lr.Pattern, pageRoute, lr.Handler})
		}
	}
	if h.console != nil {
		rs = append(rs, route{console.Prefix, pageRoute, h.console}, route{console.Prefix + "/", pageRoute, h.console})
	}
	if h.loginAPI != nil {
		// The login's JSON API: the contract's paths, under every tenant.
		for _, ar := range h.loginAPI.Routes() {
			rs = append(rs, route{ar.Pattern, contractRoute, ar.Handler})
		}
	}
	if h.protocol == nil {
		// Every other path is no operation.
		return append(rs, route{"/", fallbackRoute, h.ops})
	}
	for _, base := range []string{"", tenancy.Prefix + "/{tenant}"} {
		for _, p := range protocolPaths {
			ph := h.protocol
			if p == "/authorize" && h.login != nil {
				// A browser gets an HTML page for errors the provider
				// cannot redirect back.
				ph = h.login.AuthorizeErrors(ph)
			}
			rs = append(rs, route{base + p, protocolRoute, ph})
		}
	}
	if h.saml != nil {
		for _, base := range []string{"", tenancy.Prefix + "/{tenant}"} {
			for _, p := range saml.Patterns {
				method, path, _ := strings.Cut(p, " ")
				rs = append(rs, route{method + " " + base + path, protocolRoute, h.saml})
			}
		}
	}
	// RFC 8414's metadata of a named tenant's issuer (path after the
	// well-known segment).
	rs = append(rs, route{"GET /.well-known/oauth-authorization-server" + tenancy.Prefix + "/{tenant}", protocolRoute, h.protocol})
	// The provider answers every other path (its own 404s included).
	return append(rs, route{"/", fallbackRoute, h.protocol})
}

// mux mounts the table.
func mux(rs []route) *http.ServeMux {
	m := http.NewServeMux()
	for _, r := range rs {
		m.Handle(r.pattern, r.handler)
	}
	return m
}
