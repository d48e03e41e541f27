package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config is what the app needs to know.
type Config struct {
	Issuer, ClientID, ClientSecret string
	// AppURL is this app's address as the browser sees it; the redirect
	// URIs hang off it.
	AppURL string
	// HTTPClient talks to Gatehouse (discovery, tokens, userinfo); nil
	// means http.DefaultClient.
	HTTPClient *http.Client
}

// App is the web app: an http.Handler.
type App struct {
	cfg        Config
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	endSession string // RP-initiated logout endpoint, from discovery
	sessions   sessions
	mux        *http.ServeMux
	csp        string
}

// New discovers the issuer's endpoints and builds the app.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.HTTPClient != nil {
		ctx = oidc.ClientContext(ctx, cfg.HTTPClient)
	}
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discovery at %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, err
	}
	issuer, err := url.Parse(cfg.Issuer)
	if err != nil {
		return nil, err
	}
	a := &App{
		cfg:      cfg,
		provider: provider,
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: provider.Endpoint(),
			RedirectURL: cfg.AppURL + "/callback",
			Scopes:      []string{oidc.ScopeOpenID, "profile", "email", oidc.ScopeOfflineAccess},
		},
		endSession: meta.EndSession,
		sessions:   sessions{m: map[string]*session{}},
		mux:        http.NewServeMux(),
		// Forms post here, and the sign-out form's answer redirects to the
		// issuer: form-action must allow both (browsers check redirects).
		csp: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' " + issuer.Scheme + "://" + issuer.Host +
			"; frame-ancestors 'none'; base-uri 'none'",
	}
	a.mux.HandleFunc("GET /{$}", a.home)
	a.mux.HandleFunc("GET /login", a.login)
	a.mux.HandleFunc("GET /callback", a.callback)
	a.mux.HandleFunc("POST /refresh", a.refresh)
	a.mux.HandleFunc("POST /logout", a.logout)
	return a, nil
}

func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", a.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	a.mux.ServeHTTP(w, r)
}

func (a *App) ctx(r *http.Request) context.Context {
	if a.cfg.HTTPClient != nil {
		return oidc.ClientContext(r.Context(), a.cfg.HTTPClient)
	}
	return r.Context()
}

// login starts the authorization code flow with PKCE, state and nonce.
func (a *App) login(w http.ResponseWriter, r *http.Request) {
	s := a.sessions.get(w, r, a.secure())
	s.mu.Lock()
	s.state, s.nonce, s.verifier = rand.Text(), rand.Text(), oauth2.GenerateVerifier()
	u := a.oauth.AuthCodeURL(s.state, oidc.Nonce(s.nonce), oauth2.S256ChallengeOption(s.verifier))
	s.mu.Unlock()
	http.Redirect(w, r, u, http.StatusFound)
}

// callback finishes it: the state must match, the code is exchanged with
// the PKCE verifier, and the ID token is verified (signature, issuer,
// audience, expiry, nonce).
func (a *App) callback(w http.ResponseWriter, r *http.Request) {
	s := a.sessions.get(w, r, a.secure())
	s.mu.Lock()
	state, nonce, verifier := s.state, s.nonce, s.verifier
	s.state, s.nonce, s.verifier = "", "", "" // one use
	s.mu.Unlock()
	q := r.URL.Query()
	if state == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
		a.render(w, http.StatusBadRequest, page{Error: "This sign-in was not started here, or was already used. Sign in again."})
		return
	}
	if e := q.Get("error"); e != "" {
		a.render(w, http.StatusUnauthorized, page{Error: "Gatehouse answered " + e + ": " + q.Get("error_description")})
		return
	}
	tok, err := a.oauth.Exchange(a.ctx(r), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		a.fail(w, "exchanging the code", err)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := a.verifier.Verify(a.ctx(r), raw)
	if err != nil || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		a.fail(w, "verifying the ID token", errors.Join(err, errors.New("nonce")))
		return
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		a.fail(w, "reading the ID token", err)
		return
	}
	s.mu.Lock()
	s.token, s.idToken, s.claims = tok, raw, claims
	s.mu.Unlock()
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// home shows the signed-in user: the ID token's claims and what userinfo
// says with the access token.
func (a *App) home(w http.ResponseWriter, r *http.Request) {
	s := a.sessions.get(w, r, a.secure())
	s.mu.Lock()
	p := page{CSRF: s.csrf, Claims: s.claims, Notice: s.notice}
	s.notice = ""
	tok := s.token
	s.mu.Unlock()
	if r.URL.Query().Get("state") == "signed_out" && tok == nil {
		p.Notice = "You are signed out of the app and of Gatehouse."
	}
	if tok != nil {
		p.SignedIn = true
		p.Expiry = tok.Expiry.Format(time.RFC1123)
		p.CanRefresh = tok.RefreshToken != ""
		info, err := a.provider.UserInfo(a.ctx(r), oauth2.StaticTokenSource(tok))
		if err == nil {
			p.UserInfo = map[string]any{}
			_ = info.Claims(&p.UserInfo)
		} else {
			p.Error = "userinfo: " + err.Error()
		}
	}
	a.render(w, http.StatusOK, p)
}

// refresh redeems the refresh token for new tokens (Gatehouse rotates it).
func (a *App) refresh(w http.ResponseWriter, r *http.Request) {
	s, ok := a.checkForm(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	old := s.token
	s.mu.Unlock()
	if old == nil || old.RefreshToken == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	// A token with only the refresh token is never valid: the source
	// refreshes it.
	tok, err := a.oauth.TokenSource(a.ctx(r), &oauth2.Token{RefreshToken: old.RefreshToken}).Token()
	if err != nil {
		a.fail(w, "refreshing", err)
		return
	}
	s.mu.Lock()
	s.token = tok
	s.notice = "Tokens refreshed: a new access token until " + tok.Expiry.Format(time.RFC1123) + "."
	s.mu.Unlock()
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logout forgets the app's session and sends the browser to Gatehouse's
// end_session endpoint, which ends the Gatehouse session and comes back.
func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	s, ok := a.checkForm(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	hint := s.idToken
	s.token, s.idToken, s.claims = nil, "", nil
	s.mu.Unlock()
	q := url.Values{"post_logout_redirect_uri": {a.cfg.AppURL + "/"}, "client_id": {a.cfg.ClientID}, "state": {"signed_out"}}
	if hint != "" {
		q.Set("id_token_hint", hint)
	}
	target := a.cfg.AppURL + "/?state=signed_out"
	if a.endSession != "" {
		target = a.endSession + "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// checkForm accepts a POST only with the session's CSRF token.
func (a *App) checkForm(w http.ResponseWriter, r *http.Request) (*session, bool) {
	s := a.sessions.get(w, r, a.secure())
	s.mu.Lock()
	want := s.csrf
	s.mu.Unlock()
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(want)) != 1 {
		a.render(w, http.StatusForbidden, page{Error: "The form expired. Try again."})
		return nil, false
	}
	return s, true
}

func (a *App) secure() bool { return strings.HasPrefix(a.cfg.AppURL, "https://") }

func (a *App) fail(w http.ResponseWriter, what string, err error) {
	log.Printf("%s: %v", what, err)
	a.render(w, http.StatusBadGateway, page{Error: "Signing in failed while " + what + ". Try again."})
}

//go:embed page.html
var pageFS embed.FS

var pageTmpl = template.Must(template.ParseFS(pageFS, "page.html"))

type page struct {
	SignedIn, CanRefresh bool
	CSRF, Expiry         string
	Claims, UserInfo     map[string]any
	Notice, Error        string
}

func (a *App) render(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pageTmpl.Execute(w, p); err != nil {
		log.Printf("page: %v", err)
	}
}

// sessions are the app's own browser sessions, in memory (a real app
// would use its session store).
type sessions struct {
	mu sync.Mutex
	m  map[string]*session
}

type session struct {
	mu                     sync.Mutex
	csrf                   string
	state, nonce, verifier string // while a sign-in is under way
	token                  *oauth2.Token
	idToken                string
	claims                 map[string]any
	notice                 string
}

const cookieName = "example_webapp"

func (ss *sessions) get(w http.ResponseWriter, r *http.Request, secure bool) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if c, err := r.Cookie(cookieName); err == nil {
		if s := ss.m[c.Value]; s != nil {
			return s
		}
	}
	id := rand.Text()
	s := &session{csrf: rand.Text()}
	ss.m[id] = s
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	return s
}
