package gateway

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
)

// Problem types of the gateway (docs/problems.md).
const (
	TypeInsufficientScope = "urn:gatehouse:problem:insufficient-scope"
	TypeWrongRegion       = "urn:gatehouse:problem:wrong-region"
	TypeBadGateway        = "urn:gatehouse:problem:bad-gateway"
	TypeGatewayTimeout    = "urn:gatehouse:problem:gateway-timeout"
)

// Refusal reasons, the reason label of gatehouse_gateway_refusals_total.
const (
	reasonNoToken       = "no_token"
	reasonInvalidToken  = "invalid_token"
	reasonAudience      = "audience"
	reasonScope         = "insufficient_scope"
	reasonACR           = "acr"
	reasonRegion        = "wrong_region"
	reasonRateLimited   = "rate_limited"
	reasonNoRoute       = "no_route"
	reasonIssuerDown    = "issuer_unavailable"
	reasonUntrusted     = "untrusted_proxy"
	reasonBadRequest    = "bad_request"
	reasonTooLarge      = "too_large"
	reasonLimiterFailed = "limiter_unavailable"
)

// refusal is an answer that ends a request before the upstream.
type refusal struct {
	reason  string
	problem *httpx.Problem
}

// bearer quotes a value for an auth-param (RFC 6750 3, RFC 9110 11.2).
func bearer(params ...string) string {
	var b strings.Builder
	b.WriteString(`Bearer realm="gatehouse"`)
	for i := 0; i+1 < len(params); i += 2 {
		b.WriteString(", ")
		b.WriteString(params[i])
		b.WriteString(`="`)
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(params[i+1]))
		b.WriteString(`"`)
	}
	return b.String()
}

func unauthorized(reason, description string) *refusal {
	p := httpx.NewProblem(http.StatusUnauthorized, httpx.TypeUnauthorized, "Unauthorized", description)
	p.Header = http.Header{"Www-Authenticate": {bearer("error", "invalid_token", "error_description", description)}}
	return &refusal{reason: reason, problem: p}
}

func insufficient(reason, detail string, scopes []string, acr string) *refusal {
	p := httpx.NewProblem(http.StatusForbidden, TypeInsufficientScope, "Insufficient scope", detail)
	params := []string{"error", "insufficient_scope", "error_description", detail}
	if len(scopes) > 0 {
		params = append(params, "scope", strings.Join(scopes, " "))
	}
	if acr != "" {
		params = append(params, "acr_values", acr)
	}
	p.Header = http.Header{"Www-Authenticate": {bearer(params...)}}
	return &refusal{reason: reason, problem: p}
}

func unavailable(reason, detail string) *refusal {
	p := httpx.NewProblem(http.StatusServiceUnavailable, httpx.TypeUnavailable, "Service unavailable", detail)
	p.Header = http.Header{"Retry-After": {"5"}}
	return &refusal{reason: reason, problem: p}
}

// tokenFrom returns the token of the Authorization header and its scheme
// (Bearer, or DPoP for sender-constrained tokens). ok is false when a
// header is there but is not exactly one such token.
func tokenFrom(h http.Header) (token, scheme string, present, ok bool) {
	vs := h.Values("Authorization")
	if len(vs) == 0 {
		return "", "", false, true
	}
	if len(vs) > 1 {
		return "", "", true, false
	}
	scheme, tok, found := strings.Cut(strings.TrimSpace(vs[0]), " ")
	tok = strings.TrimSpace(tok)
	if !found || !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "DPoP") || tok == "" || strings.ContainsAny(tok, " \t") {
		return "", "", true, false
	}
	return tok, scheme, true, true
}

// authorize checks the token of a request against a route: the identity
// (nil for anonymous requests on optional and none routes), or a refusal.
func (s *state) authorize(ctx context.Context, rt *route, req *described) (*Identity, *refusal) {
	if rt.Auth.Mode == ModeNone {
		return nil, nil
	}
	tok, scheme, present, ok := tokenFrom(req.header)
	if !present {
		if rt.Auth.Mode == ModeOptional {
			return nil, nil
		}
		return nil, unauthorized(reasonNoToken, "A bearer access token is required.")
	}
	if !ok {
		return nil, unauthorized(reasonInvalidToken, "The Authorization header is not one bearer token.")
	}
	var id *Identity
	var err error
	if rt.Auth.Mode == ModeIntrospect || (rt.Auth.Mode == ModeOptional && strings.Count(tok, ".") != 2 && s.introspector != nil) {
		id, err = s.introspect(ctx, tok)
	} else {
		id, err = s.verify(ctx, tok)
		if err == nil && rt.RevocationCheck {
			// Signature and claims are good; the issuer says whether it
			// was revoked since (the identity stays the JWT's).
			_, err = s.introspect(ctx, tok)
		}
	}
	var it *errInvalidToken
	switch {
	case errors.As(err, &it):
		return nil, unauthorized(reasonInvalidToken, "The access token is invalid or expired.")
	case err != nil:
		return nil, unavailable(reasonIssuerDown, "The token issuer could not be reached.")
	}
	if f := s.checkDPoP(ctx, id, req, scheme, tok); f != nil { // dpop.go
		return nil, f
	}
	if rt.Auth.Audience != "" && !id.HasAudience(rt.Auth.Audience) {
		return nil, unauthorized(reasonAudience, "The access token is not for this API.")
	}
	var missing []string
	for _, sc := range rt.Auth.Scopes {
		if !id.hasScope(sc) {
			missing = append(missing, sc)
		}
	}
	if len(missing) > 0 {
		return nil, insufficient(reasonScope, "The access token lacks the scopes "+strings.Join(missing, ", ")+".", rt.Auth.Scopes, "")
	}
	if rt.Auth.ACR != "" && id.ACR != rt.Auth.ACR {
		return nil, insufficient(reasonACR, "This API needs a stronger sign-in ("+rt.Auth.ACR+"); sign in again with acr_values.", rt.Auth.Scopes, rt.Auth.ACR)
	}
	if rt.Region != "" && id.Region != rt.Region {
		return nil, &refusal{reason: reasonRegion, problem: httpx.NewProblem(http.StatusForbidden, TypeWrongRegion, "Wrong region",
			"This API serves region "+rt.Region+" only; the token's region is "+quoteOrNone(id.Region)+".")}
	}
	if len(rt.regionUps) > 0 && rt.upstream == nil {
		if _, ok := rt.regionUps[id.Region]; !ok {
			return nil, &refusal{reason: reasonRegion, problem: httpx.NewProblem(http.StatusForbidden, TypeWrongRegion, "Wrong region",
				"This API has no upstream for the token's region "+quoteOrNone(id.Region)+".")}
		}
	}
	return id, nil
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return strconv.Quote(s)
}

// limit counts the request against the route's budget. It returns the
// headers to send (RateLimit-Policy, RateLimit) and a refusal when the
// budget is spent.
func (g *Gateway) limit(ctx context.Context, rt *route, id *Identity, ip string) (http.Header, *refusal) {
	rl := rt.RateLimit
	if rl == nil {
		return nil, nil
	}
	var who string
	switch rl.Per {
	case PerSubject:
		if id != nil {
			who = "sub:" + id.Subject
		}
	case PerClient:
		if id != nil && id.ClientID != "" {
			who = "client:" + id.ClientID
		} else if id != nil {
			who = "sub:" + id.Subject
		}
	}
	if who == "" { // per ip, or anonymous on an optional route
		who = "ip:" + ip
	}
	res, err := g.opts.Limiter.Allow(ctx, "gw:"+rt.Name+":"+who, rt.limit)
	if err != nil {
		if errors.Is(err, ratelimit.ErrUnavailable) {
			return nil, unavailable(reasonLimiterFailed, "The rate-limit store is unavailable.")
		}
		g.opts.Log.WarnContext(ctx, "gateway: rate limit not checked", "route", rt.Name, "err", err)
		return nil, nil
	}
	h := http.Header{}
	policy := strconv.Quote(rt.Name)
	h.Set("RateLimit-Policy", policy+";q="+strconv.Itoa(rl.Requests)+";w="+strconv.Itoa(rl.WindowSeconds))
	h.Set("RateLimit", policy+";r="+strconv.Itoa(res.Remaining)+";t="+strconv.FormatInt(ratelimit.RetryAfterSeconds(max(res.RetryAfter, res.ResetAfter)), 10))
	if !res.Allowed {
		p := httpx.NewProblem(http.StatusTooManyRequests, httpx.TypeRateLimited, "Too many requests",
			"The rate limit of this API is spent. Try again in "+strconv.FormatInt(ratelimit.RetryAfterSeconds(res.RetryAfter), 10)+" s.")
		h.Set("Retry-After", strconv.FormatInt(ratelimit.RetryAfterSeconds(res.RetryAfter), 10))
		p.Header = h
		return h, &refusal{reason: reasonRateLimited, problem: p}
	}
	return h, nil
}

// identityHeaderNames are the headers identityHeaders may set.
var identityHeaderNames = []string{"X-Gatehouse-Subject", "X-Gatehouse-Client-Id", "X-Gatehouse-Scopes",
	"X-Gatehouse-Tenant", "X-Gatehouse-Region", "X-Gatehouse-Org"}

// identityHeaders are the X-Gatehouse-* headers an upstream receives.
func identityHeaders(id *Identity) http.Header {
	h := http.Header{}
	if id == nil {
		return h
	}
	set := func(k, v string) {
		if v != "" {
			h.Set(k, v)
		}
	}
	set("X-Gatehouse-Subject", id.Subject)
	set("X-Gatehouse-Client-Id", id.ClientID)
	set("X-Gatehouse-Scopes", strings.Join(id.Scopes, " "))
	set("X-Gatehouse-Tenant", id.Tenant)
	set("X-Gatehouse-Region", id.Region)
	set("X-Gatehouse-Org", id.Org)
	return h
}

// stripIdentity removes every inbound header that could pass for an
// identity header: X-Gatehouse-* in any case, and the underscore spellings
// (X_Gatehouse_Subject) that some servers fold into dashes.
func stripIdentity(h http.Header) {
	for k := range h {
		n := strings.ToLower(strings.ReplaceAll(k, "_", "-"))
		if strings.HasPrefix(n, "x-gatehouse-") {
			delete(h, k)
		}
	}
}
