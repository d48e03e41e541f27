package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Dynamic client registration (RFC 7591) and management (RFC 7592) at
// {issuer}/oauth/register, served while the tenant's dcr setting is not
// off. The metadata is checked by the Admin API's validation; the
// initial and registration access tokens are keyed hashes compared in
// constant time (internal/directory/dcr.go).

const registerPath = "/oauth/register"

// registerLimit bounds open registration per client IP and tenant.
var registerLimit = ratelimit.Limit{Rate: 10, Per: time.Hour, Burst: 10}

// writeRegError writes an RFC 7591 error; 401s carry a Bearer challenge
// (RFC 6750 §3).
func writeRegError(w http.ResponseWriter, e *regError) {
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeRegJSON(w, e.Status, e)
}

func writeRegJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func unauthorized(desc string) *regError {
	return &regError{Status: http.StatusUnauthorized, Code: "invalid_token", Description: desc}
}

// bearer returns the Authorization header's bearer token, or "".
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// dcrEnabled answers 404 while the tenant's registration is off, so the
// endpoint looks as absent as discovery says it is.
func (p *Provider) dcrEnabled(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) bool {
	if t.DCR.Enabled() {
		return true
	}
	httpx.WriteProblem(w, r, httpx.NotFound("Dynamic client registration is off for this tenant (its dcr setting)."))
	return false
}

// readRegistration parses the body against the tenant's statement rules.
func (p *Provider) readRegistration(r *http.Request, t *tenancy.Tenant) (*registrationRequest, *regError) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json") {
		return nil, badMetadata("the body must be application/json")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRegistrationBody+1))
	if err != nil {
		return nil, badMetadata("the body could not be read")
	}
	keys, err := t.DCR.StatementKeys()
	if err != nil { // validated when set; a stored bad set refuses statements
		keys = nil
	}
	req, err := parseRegistrationRequest(body, newStatementVerifier(keys, p.now), t.DCR.RequireSoftwareStatement)
	if err != nil {
		var re *regError
		if errors.As(err, &re) {
			return nil, re
		}
		return nil, badMetadata("the client metadata is invalid")
	}
	return req, nil
}

// serveRegister registers a client (RFC 7591 §3).
func (p *Provider) serveRegister(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := tenancy.From(ctx)
	if !p.dcrEnabled(w, r, t) {
		return
	}
	var iat *oauth.InitialAccessToken
	switch t.DCR.EffectiveMode() {
	case identity.DCRInitialAccessToken:
		tok := bearer(r)
		if tok == "" {
			writeRegError(w, unauthorized("an initial access token is required (Authorization: Bearer)"))
			return
		}
		var err error
		if iat, err = p.dir.CheckInitialAccessToken(ctx, t, tok); err != nil {
			if errors.Is(err, directory.ErrBadInitialAccessToken) {
				writeRegError(w, unauthorized(err.Error()))
				return
			}
			p.regServerError(w, ctx, t, "", "register: initial access token", err)
			return
		}
	case identity.DCROpen:
		res, err := p.limiter.Allow(ctx, "dcr:"+t.ID+":"+clientip.FromRequest(r), registerLimit)
		if err != nil {
			p.regServerError(w, ctx, t, "", "register: rate limit", err)
			return
		}
		if !res.Allowed {
			ratelimit.WriteRetryAfter(w, res.RetryAfter)
			writeRegJSON(w, http.StatusTooManyRequests, &regError{Code: "too_many_requests", Description: "too many registrations from this address; retry later"})
			return
		}
	}
	req, re := p.readRegistration(r, t)
	if re != nil {
		writeRegError(w, re)
		return
	}
	c := req.Client
	if err := p.dir.ValidateClientMetadata(c); err != nil {
		writeRegError(w, metadataError(err))
		return
	}
	regToken, regHash := p.dir.NewRegistrationToken()
	c.RegistrationTokenHash = regHash
	var clientSecret string
	// The initial access token's use and the client are one transaction:
	// a token with one use left registers one client, and a failed
	// registration spends nothing.
	err := t.Store.InTx(ctx, func(tx store.Store) error {
		if iat != nil {
			if err := tx.InitialAccessTokens().Use(ctx, t.ID, iat.ID, p.now()); err != nil {
				return err
			}
		}
		txt := *t
		txt.Store = tx
		var err error
		clientSecret, err = p.dir.CreateClient(ctx, &txt, c)
		return err
	})
	if iat != nil && errors.Is(err, store.ErrNotFound) {
		writeRegError(w, unauthorized(directory.ErrBadInitialAccessToken.Error()))
		return
	}
	var ve *identity.ValidationError
	if errors.As(err, &ve) {
		writeRegError(w, metadataError(err))
		return
	}
	if err != nil {
		p.regServerError(w, ctx, t, "", "register: create client", err)
		return
	}
	p.ClientChanged(ctx, t.ID, c.ID, c)
	data := map[string]any{"client_id": c.ID, "mode": t.DCR.EffectiveMode(), "software_statement": req.HasStatement}
	if iat != nil {
		data["initial_access_token_id"] = iat.ID
	}
	p.recordDCR(r, t, "client.registered", data)
	writeRegJSON(w, http.StatusCreated, p.clientInformation(t, c, clientSecret, regToken))
}

// registeredClient authenticates an RFC 7592 request: the client must be
// in this tenant, registered by DCR, and the bearer its registration
// access token. Anything else is the same 401 (§2: a client that does
// not exist is a 401 too), so the endpoint reveals nothing.
func (p *Provider) registeredClient(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) (*oauth.Client, bool) {
	ctx := r.Context()
	tok := bearer(r)
	if tok == "" {
		writeRegError(w, unauthorized("a registration access token is required (Authorization: Bearer)"))
		return nil, false
	}
	c, err := t.Store.Clients().Get(ctx, t.ID, r.PathValue("client_id"))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		p.regServerError(w, ctx, t, "", "register: load client", err)
		return nil, false
	}
	if err != nil || !p.dir.VerifyRegistrationToken(c, tok) {
		writeRegError(w, unauthorized("the registration access token is invalid for this client"))
		return nil, false
	}
	return c, true
}

// serveRegisteredClient serves GET, PUT and DELETE of
// {issuer}/oauth/register/{client_id} (RFC 7592).
func (p *Provider) serveRegisteredClient(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := tenancy.From(ctx)
	if !p.dcrEnabled(w, r, t) {
		return
	}
	c, ok := p.registeredClient(w, r, t)
	if !ok {
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeRegJSON(w, http.StatusOK, p.clientInformation(t, c, "", ""))
	case http.MethodDelete:
		err := t.Store.Clients().Delete(ctx, t.ID, c.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			p.regServerError(w, ctx, t, c.ID, "register: delete client", err)
			return
		}
		p.ClientChanged(ctx, t.ID, c.ID, nil)
		p.recordDCR(r, t, "client.registration_deleted", map[string]any{"client_id": c.ID})
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		p.updateRegisteredClient(w, r, t, c)
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeRegJSON(w, http.StatusMethodNotAllowed, &regError{Code: "invalid_request", Description: "use GET, PUT or DELETE"})
	}
}

// updateRegisteredClient replaces the client's metadata with the body
// (RFC 7592 §2.2) and rotates its registration access token.
func (p *Provider) updateRegisteredClient(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, c *oauth.Client) {
	ctx := r.Context()
	req, re := p.readRegistration(r, t)
	if re != nil {
		writeRegError(w, re)
		return
	}
	if req.ClientID != "" && req.ClientID != c.ID {
		writeRegError(w, badMetadata("client_id does not match the client being updated"))
		return
	}
	if req.ClientSecret != "" && !p.dir.VerifyClientSecret(c, req.ClientSecret) {
		writeRegError(w, badMetadata("client_secret does not match the client's"))
		return
	}
	regToken, regHash := p.dir.NewRegistrationToken()
	n := req.Client
	updated, newSecret, err := p.dir.UpdateClient(ctx, t, c.ID, 0, func(cur *oauth.Client) error {
		// Replace the registrable metadata; identity, secret and
		// Gatehouse's own settings stay.
		cur.ClientName, cur.RedirectURIs, cur.PostLogoutRedirectURIs = n.ClientName, n.RedirectURIs, n.PostLogoutRedirectURIs
		cur.GrantTypes, cur.ResponseTypes, cur.TokenEndpointAuthMethod = n.GrantTypes, n.ResponseTypes, n.TokenEndpointAuthMethod
		cur.Scope, cur.ClientURI, cur.LogoURI, cur.PolicyURI, cur.TosURI = n.Scope, n.ClientURI, n.LogoURI, n.PolicyURI, n.TosURI
		cur.Contacts, cur.JWKSURI, cur.JWKS = n.Contacts, n.JWKSURI, n.JWKS
		cur.IDTokenSignedResponseAlg, cur.ApplicationType = n.IDTokenSignedResponseAlg, n.ApplicationType
		cur.Metadata = maps.Clone(cur.Metadata)
		delete(cur.Metadata, oauth.RequirePARKey)
		if n.Metadata[oauth.RequirePARKey] == true {
			if cur.Metadata == nil {
				cur.Metadata = map[string]any{}
			}
			cur.Metadata[oauth.RequirePARKey] = true
		}
		// The token checked above must still be the client's: of two
		// racing updates with one token, one wins.
		if string(cur.RegistrationTokenHash) != string(c.RegistrationTokenHash) {
			return errRegistrationTokenRotated
		}
		cur.RegistrationTokenHash = regHash
		return nil
	})
	var ve *identity.ValidationError
	switch {
	case errors.As(err, &ve):
		writeRegError(w, metadataError(err))
		return
	case errors.Is(err, errRegistrationTokenRotated), errors.Is(err, store.ErrNotFound):
		writeRegError(w, unauthorized("the registration access token is invalid for this client"))
		return
	case err != nil:
		p.regServerError(w, ctx, t, c.ID, "register: update client", err)
		return
	}
	p.ClientChanged(ctx, t.ID, c.ID, updated)
	p.recordDCR(r, t, "client.registration_updated", map[string]any{"client_id": c.ID, "software_statement": req.HasStatement})
	writeRegJSON(w, http.StatusOK, p.clientInformation(t, updated, newSecret, regToken))
}

var errRegistrationTokenRotated = errors.New("registration access token rotated concurrently")

// clientInformation is the RFC 7591 §3.2.1 / RFC 7592 §3 response: the
// registered metadata, the secret when one was just issued, and the
// registration access token when one was just issued (a read returns
// none: only its hash is kept, and the one the caller holds stays valid).
func (p *Provider) clientInformation(t *tenancy.Tenant, c *oauth.Client, clientSecret, regToken string) map[string]any {
	m := map[string]any{
		"client_id":                  c.ID,
		"client_id_issued_at":        c.CreatedAt.Unix(),
		"client_name":                c.ClientName,
		"redirect_uris":              nonNil(c.RedirectURIs),
		"grant_types":                nonNil(c.GrantTypes),
		"response_types":             nonNil(c.ResponseTypes),
		"token_endpoint_auth_method": c.TokenEndpointAuthMethod,
		"application_type":           c.ApplicationType,
		"registration_client_uri":    t.Issuer + registerPath + "/" + c.ID,
	}
	if !c.Public() {
		m["client_secret_expires_at"] = 0
		if c.SecretExpiresAt != nil {
			m["client_secret_expires_at"] = c.SecretExpiresAt.Unix()
		}
	}
	if clientSecret != "" {
		m["client_secret"] = clientSecret
	}
	if regToken != "" {
		m["registration_access_token"] = regToken
	}
	for k, v := range map[string]string{"scope": c.Scope, "client_uri": c.ClientURI, "logo_uri": c.LogoURI,
		"policy_uri": c.PolicyURI, "tos_uri": c.TosURI, "jwks_uri": c.JWKSURI,
		"id_token_signed_response_alg": c.IDTokenSignedResponseAlg} {
		if v != "" {
			m[k] = v
		}
	}
	if len(c.PostLogoutRedirectURIs) > 0 {
		m["post_logout_redirect_uris"] = c.PostLogoutRedirectURIs
	}
	if len(c.Contacts) > 0 {
		m["contacts"] = c.Contacts
	}
	if len(c.JWKS) > 0 {
		m["jwks"] = json.RawMessage(c.JWKS)
	}
	if c.Metadata[oauth.RequirePARKey] == true {
		m[oauth.RequirePARKey] = true
	}
	return m
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// recordDCR writes an audit event about a registration; the tokens are
// never in it.
func (p *Provider) recordDCR(r *http.Request, t *tenancy.Tenant, typ string, data map[string]any) {
	data["registered_by"] = oauth.RegisteredByDCR
	e := events.Event{TenantID: t.ID, Type: typ, IP: clientip.FromRequest(r), UserAgent: r.UserAgent(), Data: data}
	if err := p.events.Record(r.Context(), e); err != nil {
		p.log.WarnContext(r.Context(), "recording a registration event failed", "tenant_id", t.ID, "type", typ, "err", err)
	}
}

func (p *Provider) regServerError(w http.ResponseWriter, ctx context.Context, t *tenancy.Tenant, clientID, what string, err error) {
	e := p.serverError(ctx, t, clientID, what, err)
	writeRegJSON(w, http.StatusInternalServerError, &regError{Code: string(e.ErrorType), Description: e.Description})
}
