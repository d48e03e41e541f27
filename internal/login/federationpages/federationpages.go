// Package federationpages serves the hosted login's federated sign-in
// pages (issue 12, docs/federation.md): a connection's start and
// callback, linking an identity to the account it names, and home-realm
// discovery. The sign-in page itself, the second-factor gate and the end
// of the authorization request stay in internal/login, which this
// package reaches through Pages.
package federationpages

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Federated sign-in on the hosted pages (issue 12, docs/federation.md).
// The sign-in page shows one button per enabled connection with
// show_on_login (data-connection="{id}"); the button starts the
// connection at {base}/login/connections/{id}/start, which binds a fresh
// state, nonce and PKCE verifier, the connection and the pending
// authorization request to this browser in a sealed, short-lived cookie
// and sends the browser to the upstream. The upstream answers at the
// connection's redirect_uri, {issuer}/login/connections/{id}/callback,
// where the cookie must match (state compared in constant time), is
// cleared at once (a replayed callback finds none), and the connector
// checks the answer. authn decides who that is; the session starts as a
// password sign-in's does, with amr "fed". Every failure is a clear page,
// nothing created: a declined sign-in, a wrong state, a bad signature,
// an upstream that is down.
//
// Identifier-first home-realm discovery: an identifier whose email
// domain is in an enabled connection's domains goes to that connection:
// a redirect connection is started at once, an LDAP directory checks
// the form's identifier and password itself (ConnectionSubmit, which the
// sign-in page calls once loginflow.HomeRealm found the connection).

// Pages is what the federated pages need of the rest of the hosted
// login.
type Pages interface {
	// Fail ends the authorization request with the OAuth error code.
	Fail(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, code string) error
	// MFAGate sends the browser to a second factor the session owes;
	// sent reports whether it did.
	MFAGate(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session, u *identity.User) (sent bool, err error)
	// AfterFactors finishes the authorization request.
	AfterFactors(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, s *oauth.Session) error
	// RenderSignIn shows the sign-in page (failed: after bad credentials).
	RenderSignIn(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, failed bool) error
	// RenderUnverified shows the sign-in page asking to verify the email.
	RenderUnverified(w http.ResponseWriter, r *http.Request, in *oidc.Interaction) error
	// Limited maps a rate-limit refusal to its page.
	Limited(w http.ResponseWriter, err error) error
	// RenderNotice shows a page of one message (catalog keys).
	RenderNotice(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, status int, titleKey, messageKey string)
}

// Handler serves the federated pages; mount Start at
// GET /login/connections/{connection}/start, Callback at GET and POST
// /login/connections/{connection}/callback, and for saml connections ACS
// at POST …/{connection}/saml/acs and SAMLMetadata at
// GET …/{connection}/saml/metadata.
type Handler struct {
	*loginflow.Flow
	Pages Pages
	Authn *authn.Service
	Log   *slog.Logger
}

// Button is one button on the sign-in page.
type Button struct {
	ID, DisplayName, URL string
}

func init() {
	loginpage.AddCatalog(loginpage.Catalog{
		"federation_continue_with":  "Continue with %s",
		"federation_link_prompt":    "An account with this email address already exists. Sign in to it to link your %s identity.",
		"federation_denied":         "The sign-in was cancelled at the identity provider. Go back to the application and try again.",
		"federation_failed":         "The identity provider's answer could not be accepted. Go back to the application and try again.",
		"federation_unavailable":    "Sign-in with this directory is unavailable. Please try again later.",
		"federation_not_linked":     "There is no account for this identity here. Ask the administrator to invite you.",
		"federation_email_in_use":   "An account with this email address already exists. Sign in to it with your password, then link this identity in your account settings.",
		"federation_unknown":        "This sign-in option does not exist.",
		"federation_link_title":     "Link your account",
		"federation_link_done":      "Your identity was linked.",
		"federation_expired":        "This sign-in expired or was already used. Go back to the application and try again.",
		"federation_email_verified": "Sign in to verify your email address first.",
		"federation_link_signed_in": "Sign in to your account in this browser first, then start linking again from your account settings.",
		"federation_link_taken":     "This identity is already linked to another account. Nothing was changed.",
	}, loginpage.Catalog{
		"federation_continue_with":  "Weiter mit %s",
		"federation_link_prompt":    "Ein Konto mit dieser E-Mail-Adresse gibt es bereits. Melden Sie sich daran an, um Ihre %s-Identität zu verknüpfen.",
		"federation_denied":         "Die Anmeldung wurde beim Identitätsanbieter abgebrochen. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.",
		"federation_failed":         "Die Antwort des Identitätsanbieters kann nicht angenommen werden. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.",
		"federation_unavailable":    "Die Anmeldung über dieses Verzeichnis ist nicht verfügbar. Bitte versuchen Sie es später erneut.",
		"federation_not_linked":     "Zu dieser Identität gibt es hier kein Konto. Bitten Sie die Administration um eine Einladung.",
		"federation_email_in_use":   "Ein Konto mit dieser E-Mail-Adresse gibt es bereits. Melden Sie sich mit Ihrem Passwort an und verknüpfen Sie die Identität in Ihren Kontoeinstellungen.",
		"federation_unknown":        "Diese Anmeldeoption gibt es nicht.",
		"federation_link_title":     "Konto verknüpfen",
		"federation_link_done":      "Ihre Identität wurde verknüpft.",
		"federation_expired":        "Diese Anmeldung ist abgelaufen oder wurde schon verwendet. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.",
		"federation_email_verified": "Melden Sie sich an, um zuerst Ihre E-Mail-Adresse zu bestätigen.",
		"federation_link_signed_in": "Melden Sie sich zuerst in diesem Browser an Ihrem Konto an und starten Sie die Verknüpfung dann erneut in Ihren Kontoeinstellungen.",
		"federation_link_taken":     "Diese Identität ist bereits mit einem anderen Konto verknüpft. Es wurde nichts geändert.",
	})
}

// UI returns the connection buttons of the sign-in page, and the link
// notice (the connection's display name) when a federated sign-in waits
// for the person to prove they own the local account.
func (h *Handler) UI(r *http.Request, in *oidc.Interaction) (buttons []Button, linkNotice string, err error) {
	t := in.Tenant
	cs, err := loginflow.EnabledConnections(r.Context(), t)
	if err != nil {
		return nil, "", err
	}
	for _, c := range cs {
		if !c.ShowOnLogin || c.Type == federation.TypeLDAP || !in.ConnectionAllowed(c.ID) {
			continue // an organization's sign-in shows only its connections
		}
		buttons = append(buttons, Button{ID: c.ID, DisplayName: c.DisplayName,
			URL: startURL(t, c.ID, in.Request.ID)})
	}
	if fc := h.ReadFedState(r, t); fc != nil && fc.Link != nil && fc.AuthRequestID == in.Request.ID {
		if c, err := t.Store.Connections().Get(r.Context(), t.ID, fc.ConnectionID); err == nil {
			linkNotice = c.DisplayName
		}
	}
	return buttons, linkNotice, nil
}

func startURL(t *tenancy.Tenant, connectionID, authRequestID string) string {
	return t.Base + "/login/connections/" + url.PathEscape(connectionID) + "/start?authRequestID=" + url.QueryEscape(authRequestID)
}

var (
	errFedUnknown    = &loginpage.Error{Status: http.StatusNotFound, Key: "federation_unknown"}
	errFedExpired    = &loginpage.Error{Status: http.StatusBadRequest, Key: "federation_expired"}
	errFedDenied     = &loginpage.Error{Status: http.StatusForbidden, Key: "federation_denied"}
	errFedFailed     = &loginpage.Error{Status: http.StatusBadRequest, Key: "federation_failed"}
	errFedNotLinked  = &loginpage.Error{Status: http.StatusForbidden, Key: "federation_not_linked"}
	errFedEmailInUse = &loginpage.Error{Status: http.StatusConflict, Key: "federation_email_in_use"}
)

// connector builds the tenant's enabled connection id; its refusals are
// clear pages.
func (h *Handler) connector(ctx context.Context, t *tenancy.Tenant, id string) (*store.Connection, federation.Connector, error) {
	c, conn, err := h.Connection(ctx, t, id)
	if err != nil {
		return nil, nil, fedPageError(err)
	}
	return c, conn, nil
}

// fedPageError maps loginflow's federation errors to pages.
func fedPageError(err error) error {
	switch {
	case errors.Is(err, loginflow.ErrUnknownConnection):
		return errFedUnknown
	case errors.Is(err, loginflow.ErrDirectoryUnavailable):
		return &loginpage.Error{Status: http.StatusServiceUnavailable, Key: "federation_unavailable", Cause: err}
	}
	return err
}

// Start sends the browser to the connection's upstream.
func (h *Handler) Start(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	in, err := h.Provider().Interaction(r.Context(), t, r.URL.Query().Get("authRequestID"))
	if err != nil {
		return err
	}
	return h.startConnection(w, r, in, r.PathValue("connection"))
}

func (h *Handler) startConnection(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, id string) error {
	t := in.Tenant
	if !in.ConnectionAllowed(id) {
		return errFedUnknown // not one of the organization's connections
	}
	return h.toUpstream(w, r, t, id, loginflow.FedState{AuthRequestID: in.Request.ID})
}

// toUpstream sends the browser to connection id's upstream with a fresh
// state, nonce and PKCE verifier, sealed with fc (the authorization
// request, or the user linking) in this browser's cookie.
func (h *Handler) toUpstream(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, id string, fc loginflow.FedState) error {
	c, conn, err := h.connector(r.Context(), t, id)
	if err != nil {
		return err
	}
	rc, ok := conn.(federation.RedirectConnector)
	if !ok {
		return errFedUnknown
	}
	pkce := federation.NewPKCE()
	fc.TenantID, fc.ConnectionID, fc.State, fc.Nonce = t.ID, c.ID, loginflow.RandomToken(), loginflow.RandomToken()
	fc.Verifier, fc.Challenge, fc.Expires = pkce.Verifier, pkce.Challenge, h.Now().Add(loginflow.FedStateTTL).Unix()
	to, err := rc.LoginURL(r.Context(), fc.State, fc.Nonce, pkce)
	if err != nil {
		return fedError(err)
	}
	if err := h.WriteFedState(w, t, &fc); err != nil {
		return err
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// fedError maps a connector's error to a clear page.
func fedError(err error) error {
	var page *loginpage.Error
	switch {
	case errors.As(err, &page):
		return page
	case errors.Is(err, federation.ErrAccessDenied):
		return errFedDenied
	case errors.Is(err, federation.ErrUnavailable):
		return &loginpage.Error{Status: http.StatusServiceUnavailable, Key: "federation_unavailable", Cause: err}
	case errors.Is(err, federation.ErrState):
		return errFedExpired
	}
	return &loginpage.Error{Status: http.StatusBadRequest, Key: "federation_failed", Cause: err}
}

// Callback reads the upstream's answer at the redirect_uri (GET, or POST
// for form_post).
func (h *Handler) Callback(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	return h.callback(w, r, t, "state", false)
}

// ACS reads a SAML IdP's Response posted to the connection's ACS URL; its
// RelayState is the state.
func (h *Handler) ACS(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	return h.callback(w, r, t, "RelayState", true)
}

// maxCallbackBody bounds a posted callback (a SAML Response is at most
// 256 KiB before base64).
const maxCallbackBody = 512 << 10

func (h *Handler) callback(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, stateParam string, saml bool) error {
	id := r.PathValue("connection")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxCallbackBody)
	}
	if err := r.ParseForm(); err != nil {
		return errFedFailed
	}
	fc := h.ReadFedState(r, t)
	if fc == nil && r.Method == http.MethodPost && r.PostForm.Get(hopParam) == "" {
		// A cross-site POST (form_post, a SAML IdP's auto-post) does not
		// carry the SameSite=Lax cookie: post the answer again from this
		// origin, which does. The cookie is not touched here.
		return writeHop(w, r)
	}
	// The cookie is spent whatever follows: a replayed callback finds none.
	loginflow.ClearFedState(w, t)
	if fc == nil || fc.Link != nil || fc.ConnectionID != id ||
		subtle.ConstantTimeCompare([]byte(r.Form.Get(stateParam)), []byte(fc.State)) != 1 {
		h.Record(r, t, events.LoginFailed, "", map[string]any{"reason": "federation_state", "connection": id})
		return errFedExpired
	}
	if fc.LinkUser != "" {
		return h.linkCallback(w, r, t, fc, saml)
	}
	in, err := h.Provider().Interaction(r.Context(), t, fc.AuthRequestID)
	if err != nil {
		return err
	}
	c, conn, err := h.connector(r.Context(), t, id)
	if err != nil {
		return err
	}
	fid, err := checkAnswer(r, conn, c.Type, fc, saml)
	if err != nil {
		h.Record(r, t, events.LoginFailed, "", map[string]any{"reason": "federation_response", "connection": id, "client_id": in.Client.ID})
		return fedError(err)
	}
	return h.federatedSignIn(w, r, in, authn.Federated{Conn: c, Identity: fid, UpstreamMFA: loginflow.UpstreamMFA(fid)})
}

var (
	errLinkSignedIn = &loginpage.Error{Status: http.StatusForbidden, Key: "federation_link_signed_in"}
	errLinkTaken    = &loginpage.Error{Status: http.StatusConflict, Key: "federation_link_taken"}
)

// LinkStart starts linking the signed-in user's identity at a connection
// (GET /login/connections/{connection}/link?ticket=…, the url of the
// account API's linkMyIdentity). The ticket names the user; this
// browser's hosted session must be that user's, fully signed in, so a
// ticket sent to someone else, or a half-finished sign-in, links nothing.
func (h *Handler) LinkStart(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	id := r.PathValue("connection")
	lt, err := h.OpenLinkTicket(t, id, r.URL.Query().Get("ticket"))
	if err != nil {
		return errFedExpired
	}
	if _, err := h.signedInAs(r, t, lt.UserID); err != nil {
		return err
	}
	return h.toUpstream(w, r, t, id, loginflow.FedState{LinkUser: lt.UserID})
}

// signedInAs returns this browser's hosted session when it is userID's
// and fully signed in, and refuses otherwise.
func (h *Handler) signedInAs(r *http.Request, t *tenancy.Tenant, userID string) (*loginflow.Account, error) {
	acct, err := h.CurrentAccount(r, t)
	if err != nil {
		return nil, err
	}
	if acct == nil || acct.User.ID != userID {
		return nil, errLinkSignedIn
	}
	return acct, nil
}

// linkCallback finishes a link the user started from their account
// settings: the same user must still be signed in here, and the identity
// must not belong to another account.
func (h *Handler) linkCallback(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, fc *loginflow.FedState, saml bool) error {
	acct, err := h.signedInAs(r, t, fc.LinkUser)
	if err != nil {
		return err
	}
	c, conn, err := h.connector(r.Context(), t, fc.ConnectionID)
	if err != nil {
		return err
	}
	fid, err := checkAnswer(r, conn, c.Type, fc, saml)
	if err != nil {
		return fedError(err)
	}
	fi, err := t.Store.Connections().IdentityBySubject(r.Context(), t.ID, c.ID, fid.Subject)
	switch {
	case err == nil && fi.UserID == acct.User.ID:
		// Linked already (a second tab): nothing to do.
	case err == nil:
		h.Record(r, t, events.LoginFailed, acct.User.ID, map[string]any{"reason": "federation_link_taken", "connection": c.ID})
		return errLinkTaken
	case errors.Is(err, store.ErrNotFound):
		err := h.Authn.Link(r.Context(), h.AuthnRequest(nil, r, t, ""), acct.User, authn.Federated{Conn: c, Identity: fid})
		if errors.Is(err, store.ErrConflict) {
			return errLinkTaken
		}
		if err != nil {
			return err
		}
	default:
		return err
	}
	h.Pages.RenderNotice(w, r, t, http.StatusOK, "federation_link_title", "federation_link_done")
	return nil
}

// checkAnswer has the connector check the upstream's answer against what
// the cookie kept; a SAML answer arrives at the ACS only, others at the
// callback only.
func checkAnswer(r *http.Request, conn federation.Connector, typ string, fc *loginflow.FedState, saml bool) (federation.Identity, error) {
	rc, ok := conn.(federation.RedirectConnector)
	if !ok || (typ == federation.TypeSAML) != saml {
		return federation.Identity{}, errFedUnknown
	}
	return rc.HandleCallback(r.Context(), federation.Callback{Params: r.Form, State: fc.State, Nonce: fc.Nonce,
		PKCE: federation.PKCE{Verifier: fc.Verifier, Challenge: fc.Challenge}})
}

// SAMLMetadata serves a saml connection's SP metadata at its
// sp_metadata_url, for the IdP's administrator (also while the connection
// is disabled, so that it can be registered before it is switched on).
func (h *Handler) SAMLMetadata(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) error {
	md, err := h.SAMLSPMetadata(r.Context(), t, r.PathValue("connection"))
	if err != nil {
		return fedPageError(err)
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/samlmetadata+xml")
	hdr.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(md)
	return nil
}

// federatedSignIn decides a verified upstream identity and continues the
// authorization request as a password sign-in does.
func (h *Handler) federatedSignIn(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, f authn.Federated) error {
	t := in.Tenant
	r, u, err := h.AuthenticateFederated(r, t, in.Client.ID, f)
	var lr *authn.LinkRequiredError
	switch {
	case errors.As(err, &lr):
		// The person proves they own the local account by signing in to
		// it; the identity waits in this browser's cookie until then.
		fc := &loginflow.FedState{TenantID: t.ID, ConnectionID: f.Conn.ID, AuthRequestID: in.Request.ID,
			Expires: h.Now().Add(loginflow.FedStateTTL).Unix(), Link: &loginflow.PendingLink{UserID: lr.User.ID, Identity: loginflow.SlimIdentity(f.Identity)}}
		if err := h.WriteFedState(w, t, fc); err != nil {
			return err
		}
		http.Redirect(w, r, loginflow.LoginURL(t, in.Request.ID), http.StatusSeeOther)
		return nil
	case errors.Is(err, authn.ErrNotLinked):
		return errFedNotLinked
	case errors.Is(err, authn.ErrEmailInUse):
		return errFedEmailInUse
	case errors.Is(err, authn.ErrBadCredentials):
		return errFedNotLinked
	case errors.As(err, new(*loginflow.LimitedError)):
		return h.Pages.Limited(w, err)
	case errors.Is(err, authn.ErrEmailUnverified):
		if err := h.SendVerification(r, t, u, in); err != nil {
			return err
		}
		return h.Pages.RenderUnverified(w, r, in)
	case err != nil:
		return err
	}
	return h.federatedSession(w, r, in, u, f)
}

func (h *Handler) federatedSession(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, u *identity.User, f authn.Federated) error {
	t := in.Tenant
	if in.Request.UserID != "" && in.Request.UserID != u.ID {
		return h.Pages.Fail(w, r, in, oidc.RefuseLoginRequired)
	}
	s, err := h.StartSessionWith(w, r, t, u, in.Client.ID, authn.FederatedAMR(t, f))
	if err != nil {
		return err
	}
	if err := h.RiskSignedIn(w, r, t, s, u); err != nil {
		return err
	}
	if sent, err := h.Pages.MFAGate(w, r, in, s, u); sent || err != nil {
		return err
	}
	h.Record(r, t, events.LoginSucceeded, u.ID, map[string]any{"client_id": in.Client.ID, "amr": s.AMR, "acr": s.ACR, "connection": f.Conn.ID})
	return h.Pages.AfterFactors(w, r, in, s)
}

// LinkAfterPassword links the identity a federated sign-in left waiting
// (fc, the sealed state of this browser, carries it), once the person
// signed in with the password to the account it names. It is called after
// a correct password; anything else is ignored.
func (h *Handler) LinkAfterPassword(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, u *identity.User, fc *loginflow.FedState) {
	t := in.Tenant
	if fc == nil || fc.Link == nil || fc.AuthRequestID != in.Request.ID {
		return
	}
	loginflow.ClearFedState(w, t)
	if fc.Link.UserID != u.ID {
		return
	}
	c, err := t.Store.Connections().Get(r.Context(), t.ID, fc.ConnectionID)
	if err != nil || !c.Enabled {
		return
	}
	if err := h.Authn.Link(r.Context(), h.AuthnRequest(nil, r, t, in.Client.ID), u, authn.Federated{Conn: c, Identity: fc.Link.Identity}); err != nil {
		h.Log.WarnContext(r.Context(), "login: linking a federated identity failed", "connection", c.ID, "err", err)
	}
}

// ConnectionSubmit signs the submitted identifier in with connection c,
// which claims its email domain (loginflow.HomeRealm): a redirect
// connection starts at once, a directory checks the password.
func (h *Handler) ConnectionSubmit(w http.ResponseWriter, r *http.Request, in *oidc.Interaction, c *store.Connection, identifier, pw string) error {
	t := in.Tenant
	if c.Type != federation.TypeLDAP {
		return h.startConnection(w, r, in, c.ID)
	}
	fid, err := h.CheckDirectory(r.Context(), t, c, identifier, pw)
	if errors.Is(err, authn.ErrBadCredentials) {
		h.Record(r, t, events.LoginFailed, "", map[string]any{"reason": "credentials", "connection": c.ID, "client_id": in.Client.ID})
		return h.Pages.RenderSignIn(w, r, in, true)
	}
	if err != nil {
		return fedPageError(err)
	}
	return h.federatedSignIn(w, r, in, authn.Federated{Conn: c, Identity: fid})
}

// SignInOrConnection shows the sign-in page, or starts a connection at
// once: the one the authorize parameter connection={id} named (carried
// to the login URL by loginflow.WithConnectionParam), or the one whose domains
// hold the login_hint's email domain (home-realm discovery; an ldap
// connection keeps the form, which the directory then checks).
func (h *Handler) SignInOrConnection(w http.ResponseWriter, r *http.Request, in *oidc.Interaction) error {
	if id := r.URL.Query().Get("connection"); id != "" {
		return h.startConnection(w, r, in, id)
	}
	if in.Request.LoginHint != "" {
		c, err := loginflow.HomeRealm(r.Context(), in.Tenant, in.Request.LoginHint)
		if err != nil {
			return err
		}
		if c != nil && c.Type != federation.TypeLDAP && in.ConnectionAllowed(c.ID) {
			return h.startConnection(w, r, in, c.ID)
		}
	}
	return h.Pages.RenderSignIn(w, r, in, false)
}
