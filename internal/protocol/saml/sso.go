package saml

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Single sign-on. An AuthnRequest is parsed and checked once, at
// {tenant base}/saml/sso (a second parse of the same request would be a
// replay). What it asked is then kept on the server as an authorization
// request of a bridge client (oidc.StartBridge), bound to this browser by
// a sealed cookie, and the browser goes through the hosted login like an
// OIDC client's: the same session cookie (a signed-in user is not asked
// again), the same second factors, risk challenges, password gate and acr
// step-up. ForceAuthn becomes prompt=login, IsPassive prompt=none, the
// RequestedAuthnContext acr_values. The login finishes with a code at
// {tenant base}/saml/sso/complete, which redeems it once and posts the
// signed Response to the ACS. The login completes only a request whose
// session owes no step, and the code records that session: a half-
// finished sign-in never gets a Response.

// Paths of the SSO endpoints besides samlidp.SSOPath.
const (
	CompletePath = samlidp.SSOPath + "/complete"
	InitPath     = samlidp.SSOPath + "/init"
)

// pendingLifetime bounds how long a sign-in for an AuthnRequest may take
// (the cookie's; the authorization request has its own lifetime).
const pendingLifetime = 30 * time.Minute

// pending is what the AuthnRequest asked, kept across the sign-in.
type pending struct {
	AuthRequestID string   `json:"ar"`
	SPID          string   `json:"sp"`
	RequestID     string   `json:"id,omitempty"` // "" for IdP-initiated
	ACSURL        string   `json:"acs"`
	RelayState    string   `json:"rs,omitempty"`
	ACR           []string `json:"acr,omitempty"`
	Passive       bool     `json:"passive,omitempty"`
	Created       int64    `json:"t"`
}

const pendingPurpose = "saml-pending"

func pendingCookieName(state string) string { return "gh_saml_" + state }

// BridgeClientID is the client ID service provider spID signs in as.
func BridgeClientID(spID string) string { return oidc.BridgePrefix + "saml:" + spID }

// Bridges finds the bridge clients of registered service providers
// (oidc.BridgeClients): first-party clients whose one redirect URI is the
// tenant's CompletePath.
type Bridges struct{}

// BridgeClient implements oidc.BridgeClients.
func (Bridges) BridgeClient(ctx context.Context, t *tenancy.Tenant, clientID string) (*oauth.Client, error) {
	rest, ok := cutPrefix(clientID, oidc.BridgePrefix+"saml:")
	if !ok || rest == "" {
		return nil, store.ErrNotFound
	}
	sp, err := t.Store.SAMLServiceProviders().Get(ctx, t.ID, rest)
	if err != nil {
		return nil, err
	}
	return bridgeClient(t, sp), nil
}

func bridgeClient(t *tenancy.Tenant, sp *store.SAMLServiceProvider) *oauth.Client {
	return &oauth.Client{ID: BridgeClientID(sp.ID), TenantID: t.ID, ClientName: sp.Name,
		RedirectURIs: []string{t.Issuer + CompletePath}}
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) < len(p) || s[:len(p)] != p {
		return s, false
	}
	return s[len(p):], true
}

func (h *Handler) sso(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	ctx := r.Context()
	m := samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: r.URL.RawQuery, RemoteAddr: r.RemoteAddr}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 2*samlidp.MaxEncodedRequest)
		if err := r.ParseForm(); err != nil {
			h.errorPage(w, r, t, http.StatusBadRequest, errMalformedPost, err)
			return
		}
		m = samlidp.Message{Binding: samlidp.BindingPOST, Form: r.PostForm, RemoteAddr: r.RemoteAddr}
	}
	req, err := h.d.IdP.ParseAuthnRequest(ctx, tenantOf(t), m)
	if err != nil {
		h.refused(w, r, t, err)
		return
	}
	p := pending{SPID: req.SP.ID, RequestID: req.ID, ACSURL: req.ACSURL, RelayState: req.RelayState,
		ACR: req.ACRValues, Passive: req.IsPassive}
	var prompt []string
	switch {
	case req.IsPassive:
		prompt = []string{"none"}
	case req.ForceAuthn:
		prompt = []string{"login"}
	}
	h.startLogin(w, r, t, req.SP, p, prompt)
}

// startLogin keeps p (bound to this browser) and sends the browser to the
// hosted login.
func (h *Handler) startLogin(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, sp *store.SAMLServiceProvider, p pending, prompt []string) {
	ctx := r.Context()
	state := secret.Token(16)
	id, err := h.d.Provider.StartBridge(ctx, t, bridgeClient(t, sp), state, prompt, p.ACR)
	if err != nil {
		h.internal(w, r, t, "starting the sign-in", err)
		return
	}
	p.AuthRequestID, p.Created = id, h.now().Unix()
	b, _ := json.Marshal(p)
	sealed, err := h.d.Keyring.Seal(pendingPurpose, b, []byte(t.ID+"\x00"+state))
	if err != nil {
		h.internal(w, r, t, "sealing the pending request", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: pendingCookieName(state), Value: base64.RawURLEncoding.EncodeToString(sealed),
		Path: t.Base + samlidp.SSOPath, MaxAge: int(pendingLifetime / time.Second), HttpOnly: true,
		Secure: isHTTPS(t.Issuer), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, h.d.Provider.LoginURL(t, id), http.StatusSeeOther)
}

// complete answers the SP once the login has finished: the code redeems
// the authorization request the pending cookie names, and the session it
// records gets the Response (or the SP is told NoPassive / AuthnFailed).
func (h *Handler) complete(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	ctx := r.Context()
	q := r.URL.Query()
	state := q.Get("state")
	p, ok := h.readPending(r, t, state)
	if !ok {
		h.errorPage(w, r, t, http.StatusBadRequest, errNoPending, nil)
		return
	}
	clearCookie(w, t, state)
	sp, err := t.Store.SAMLServiceProviders().Get(ctx, t.ID, p.SPID)
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(w, r, t, http.StatusBadRequest, errUnknownSP, nil)
		return
	}
	if err != nil {
		h.internal(w, r, t, "loading the service provider", err)
		return
	}
	rr := samlidp.ResponseRequest{SP: sp, ACSURL: p.ACSURL, InResponseTo: p.RequestID, RelayState: p.RelayState}
	if code := q.Get("error"); code != "" {
		status := samlidp.StatusAuthnFailed
		if p.Passive || code == oidc.RefuseLoginRequired {
			status = samlidp.StatusNoPassive
		}
		h.record(r, t, "", sp, map[string]any{"outcome": "refused", "status": status})
		h.statusResponse(w, r, t, rr, status)
		return
	}
	ar, err := h.d.Provider.RedeemBridgeCode(ctx, t, BridgeClientID(sp.ID), p.AuthRequestID, q.Get("code"))
	if errors.Is(err, oidc.ErrBridgeCode) || (err == nil && ar.State != state) {
		h.errorPage(w, r, t, http.StatusBadRequest, errNoPending, err)
		return
	}
	if err != nil {
		h.internal(w, r, t, "redeeming the sign-in", err)
		return
	}
	// The login completes only signed-in sessions; check again, on the
	// record, that the session is still live and owes nothing.
	s, err := t.Store.Sessions().Get(ctx, t.ID, ar.SessionID)
	if err != nil || !s.SignedIn() || s.RevokedAt != nil || s.UserID != ar.UserID || !h.now().Before(s.ExpiresAt) {
		h.record(r, t, ar.UserID, sp, map[string]any{"outcome": "refused", "reason": "session"})
		h.errorPage(w, r, t, http.StatusForbidden, errNoPending, err)
		return
	}
	if !factor.Satisfies(ar.ACR, p.ACR) {
		h.record(r, t, ar.UserID, sp, map[string]any{"outcome": "refused", "reason": "acr"})
		h.statusResponse(w, r, t, rr, samlidp.StatusNoAuthnCtx)
		return
	}
	u, err := t.Store.Users().Get(ctx, t.ID, ar.UserID)
	if err != nil || u.Disabled {
		h.errorPage(w, r, t, http.StatusForbidden, errNoPending, err)
		return
	}
	resp, err := h.d.IdP.BuildResponse(ctx, tenantOf(t), rr, samlidp.Subject{User: u, AMR: ar.AMR, AuthTime: ar.AuthTime, SessionID: s.ID})
	if errors.Is(err, samlidp.ErrNoEmail) {
		h.errorPage(w, r, t, http.StatusForbidden, errNoEmail, err)
		return
	}
	if err != nil {
		h.internal(w, r, t, "building the response", err)
		return
	}
	// Single logout matches a LogoutRequest to this sign-in and reaches
	// this SP from the others: no record, no Response.
	if err := t.Store.SAMLSessions().Record(ctx, &store.SAMLSession{TenantID: t.ID, SessionID: s.ID, SPID: sp.ID,
		NameID: resp.NameID, NameIDFormat: resp.NameIDFormat, SessionIndex: resp.SessionIndex}); err != nil {
		h.internal(w, r, t, "recording the session participant", err)
		return
	}
	h.record(r, t, u.ID, sp, map[string]any{"outcome": "issued", "acr": ar.ACR, "amr": ar.AMR,
		"idp_initiated": p.RequestID == "", "class_ref": samlidp.ClassRef(ar.AMR)})
	h.count("sso", "issued")
	h.autoPost(w, r, t, resp.ACSURL, "SAMLResponse", resp.SAMLResponse, resp.RelayState)
}

func (h *Handler) statusResponse(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, rr samlidp.ResponseRequest, status string) {
	resp, err := h.d.IdP.BuildStatusResponse(r.Context(), tenantOf(t), rr, status)
	if err != nil {
		h.internal(w, r, t, "building the status response", err)
		return
	}
	h.count("sso", "status")
	h.autoPost(w, r, t, resp.ACSURL, "SAMLResponse", resp.SAMLResponse, resp.RelayState)
}

// idpInitiated starts an unsolicited sign-in for an SP that allows it:
// {tenant base}/saml/sso/init?sp={sp_id}&RelayState=…; the Response
// goes to the SP's first (default) ACS URL.
func (h *Handler) idpInitiated(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	q := r.URL.Query()
	id := q.Get("sp")
	if id == "" || len(id) > 64 || len(q.Get("RelayState")) > samlidp.MaxRelayState {
		h.errorPage(w, r, t, http.StatusBadRequest, errUnknownSP, nil)
		return
	}
	sp, err := t.Store.SAMLServiceProviders().Get(r.Context(), t.ID, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !sp.AllowIdPInitiated) {
		h.errorPage(w, r, t, http.StatusBadRequest, errUnknownSP, nil)
		return
	}
	if err != nil {
		h.internal(w, r, t, "loading the service provider", err)
		return
	}
	if len(sp.ACSURLs) == 0 || samlidp.CheckEndpointURL(sp.ACSURLs[0]) != nil {
		h.errorPage(w, r, t, http.StatusBadRequest, errUnknownACS, nil)
		return
	}
	h.startLogin(w, r, t, sp, pending{SPID: sp.ID, ACSURL: sp.ACSURLs[0], RelayState: q.Get("RelayState")}, nil)
}

func (h *Handler) readPending(r *http.Request, t *tenancy.Tenant, state string) (*pending, bool) {
	if state == "" || len(state) > 64 {
		return nil, false
	}
	c, err := r.Cookie(pendingCookieName(state))
	if err != nil {
		return nil, false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil, false
	}
	b, err := h.d.Keyring.Open(pendingPurpose, sealed, []byte(t.ID+"\x00"+state))
	if err != nil {
		return nil, false
	}
	var p pending
	if json.Unmarshal(b, &p) != nil || h.now().Sub(time.Unix(p.Created, 0)) > pendingLifetime {
		return nil, false
	}
	return &p, true
}

func clearCookie(w http.ResponseWriter, t *tenancy.Tenant, state string) {
	http.SetCookie(w, &http.Cookie{Name: pendingCookieName(state), Value: "", Path: t.Base + samlidp.SSOPath,
		MaxAge: -1, HttpOnly: true, Secure: isHTTPS(t.Issuer), SameSite: http.SameSiteLaxMode})
}

func isHTTPS(issuer string) bool {
	u, err := url.Parse(issuer)
	return err == nil && u.Scheme == "https"
}

func tenantOf(t *tenancy.Tenant) samlidp.Tenant {
	return samlidp.Tenant{ID: t.ID, Issuer: t.Issuer, Store: t.Store}
}

// record writes a saml.sso (or saml.slo) audit event.
func (h *Handler) record(r *http.Request, t *tenancy.Tenant, userID string, sp *store.SAMLServiceProvider, data map[string]any) {
	h.recordType(r, t, EventSSO, userID, sp, data)
}

func (h *Handler) recordType(r *http.Request, t *tenancy.Tenant, typ, userID string, sp *store.SAMLServiceProvider, data map[string]any) {
	if h.d.Events == nil {
		return
	}
	if data == nil {
		data = map[string]any{}
	}
	if sp != nil {
		data["sp_id"], data["entity_id"] = sp.ID, sp.EntityID
	}
	e := events.Event{TenantID: t.ID, Type: typ, UserID: userID, UserAgent: r.UserAgent(), Data: data}
	if err := h.d.Events.Record(r.Context(), e); err != nil {
		h.d.Log.WarnContext(r.Context(), "saml: recording the event failed", "type", typ, "err", err)
	}
}

// Audit event types.
const (
	EventSSO = events.SAMLSSO
	EventSLO = events.SAMLSLO
)
