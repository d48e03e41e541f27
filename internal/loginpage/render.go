package loginpage

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"golang.org/x/text/language"
)

// issuerOrigin is the scheme://host[:port] of an issuer URL.
func issuerOrigin(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// sameOrigin rejects requests that a browser marked as coming from another
// origin. Requests without Origin (non-browser clients, old browsers on
// same-origin GET-initiated POSTs) are left to the CSRF token.
func SameOrigin(r *http.Request, t *tenancy.Tenant) bool {
	o := r.Header.Get("Origin")
	return o == "" || o == issuerOrigin(t.Issuer)
}

//go:embed templates/*.html
var TemplateFS embed.FS

//go:embed assets
var assetFS embed.FS

// pageNames are the templates in templates/, each rendered inside layout.html.
var PageNames = []string{"signin", "select", "consent", "device", "loggedout", "error", "notice"}

type pages struct {
	t map[string]*template.Template
	// assetVersion busts caches of the embedded assets when they change.
	assetVersion string
}

func mustParsePages() *pages {
	ps := &pages{t: map[string]*template.Template{}, assetVersion: assetHash()}
	for _, name := range PageNames {
		ps.t[name] = template.Must(template.New(name).ParseFS(TemplateFS,
			"templates/layout.html", "templates/codeform.html", "templates/"+name+".html"))
	}
	return ps
}

func assetHash() string {
	h := sha256.New()
	_ = fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := assetFS.ReadFile(p)
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)[:6])
}

// Branding is how a tenant's pages look: its display name, and the logo
// and primary colour of its branding setting.
type Branding struct {
	Name string
	// LogoURL is the tenant's logo (https, or http on a loopback host), or
	// empty for the built-in one.
	LogoURL string
	// PrimaryColor is #rrggbb, or empty for the default; theme.css adjusts
	// the text colours around it for contrast.
	PrimaryColor string
	// Org is the ID of the organization whose branding this is, "" for
	// the tenant's: theme.css?org=… then serves its colour.
	Org string
}

// BrandingFor is the branding of a sign-in's pages: the organization's
// when the request is scoped to one (its display name, and its logo and
// colour where it sets them, else the tenant's), else the tenant's.
func BrandingFor(in *oidc.Interaction) Branding {
	if in == nil {
		return BrandingOf(nil)
	}
	return orgBranding(in.Tenant, in.Org)
}

func orgBranding(t *tenancy.Tenant, o *store.Organization) Branding {
	b := BrandingOf(t)
	if o == nil {
		return b
	}
	b.Org = o.ID
	b.Name = o.DisplayName
	if b.Name == "" {
		b.Name = o.Name
	}
	if o.LogoURI != "" {
		b.LogoURL = o.LogoURI
	}
	if o.PrimaryColor != "" {
		b.PrimaryColor = o.PrimaryColor
	}
	return b
}

// ViewFor starts the page of a sign-in (View), with the organization's
// branding when the request is scoped to one.
func (h *Pages) ViewFor(in *oidc.Interaction, lang language.Tag) *View {
	v := h.View(in.Tenant, lang)
	v.Brand = BrandingFor(in)
	return v
}

func BrandingOf(t *tenancy.Tenant) Branding {
	if t == nil {
		return Branding{Name: loginflow.TenantName(t)}
	}
	return Branding{Name: loginflow.TenantName(t), LogoURL: t.Branding.LogoURI, PrimaryColor: t.Branding.PrimaryColor}
}

// imgSource is the extra CSP img-src a logo needs: none for https (the
// policy allows https: images), its origin for a development logo on
// http://localhost.
func imgSource(logo string) string {
	if !strings.HasPrefix(logo, "http://") {
		return ""
	}
	return CSPSource(logo)
}

// View is what every page template gets.
type View struct {
	Lang         string
	L            Catalog
	Brand        Branding
	Title        string
	Assets       string // URL path of the assets directory
	AssetVersion string
	CSRF         string
	Page         any

	// formTargets are extra CSP form-action sources: a form whose answer
	// redirects to the client must allow the client's origin.
	formTargets []string
	// scripts loads webauthn.js: the CSP then allows our own scripts and
	// their fetches to our own JSON endpoints.
	Scripts bool
}

// AllowRedirectTo lets the page's forms end in a redirect to the client
// of in (the one helper for every such page: sign-in, account chooser,
// consent, second factor, enrolment, email verification, password
// change). Chromium applies form-action to every redirect that follows a
// form submission, so with 'self' alone the POST -> 302 -> redirect_uri
// hop is blocked and the user is stranded on our page.
func (v *View) AllowRedirectTo(in *oidc.Interaction) {
	if in != nil {
		v.formTargets = append(v.formTargets, CSPSource(in.Request.RedirectURI))
	}
}

// View starts a page's data; t is nil when the tenant is unknown.
func (h *Pages) View(t *tenancy.Tenant, lang language.Tag) *View {
	l := Catalogs[lang]
	base := ""
	if t != nil {
		base = t.Base
	}
	return &View{
		Lang: lang.String(), L: l, Brand: BrandingOf(t),
		Assets: base + "/login/assets", AssetVersion: h.pages.assetVersion,
	}
}

// WithCSRF adds the token of form to v.
func (h *Pages) WithCSRF(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, v *View, form string) *View {
	v.CSRF = h.CSRFToken(w, r, t, form)
	return v
}

// RenderForm renders the page name (title name_title) whose forms are
// bound to the CSRF form name form: the shape of the token pages
// (invitation, email change) and the onboarding pages.
func (h *Pages) RenderForm(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, lang language.Tag, form, name string, page any, status int) error {
	v := h.WithCSRF(w, r, t, h.View(t, lang), form)
	v.Page = page
	h.Render(w, r, status, name, name+"_title", v)
	return nil
}

// Render writes a page with the security headers pages need.
func (h *Pages) Render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, v *View) {
	v.Title = v.L[titleKey]
	var buf bytes.Buffer
	if err := h.pages.t[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.ErrorContext(r.Context(), "login: rendering page failed", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	csp := pageCSP(v.formTargets, imgSource(v.Brand.LogoURL))
	if v.Scripts {
		csp += "; script-src 'self'; connect-src 'self'"
	}
	hdr.Set("Content-Security-Policy", csp)
	hdr.Set("Cache-Control", "no-store")
	// Chromium sends "Origin: null" with form posts from a no-referrer
	// page, which the Origin check would refuse. same-origin still sends no
	// Referer (with the request ID) to the client or anyone else.
	hdr.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageCSP allows only our own styles and forms, images from us and https,
// no scripts at all, and no framing.
//
// form-action also names the client's redirect origin on pages whose form
// may be answered with a redirect to the client: Chromium applies
// form-action to every redirect that follows a form submission, so with
// 'self' alone the POST -> 302 -> redirect_uri hop is blocked (verified in
// the browser test).
func pageCSP(formTargets []string, img string) string {
	fa := "'self'"
	for _, s := range formTargets {
		if s != "" {
			fa += " " + s
		}
	}
	is := "'self' data: https:"
	if img != "" {
		is += " " + img
	}
	return "default-src 'none'; style-src 'self'; img-src " + is + "; form-action " + fa +
		"; frame-ancestors 'none'; base-uri 'none'"
}

// cspSource is the CSP source expression for a redirect URI: its origin
// for http(s), its scheme for the custom schemes of native apps. Anything
// that does not look like a plain source is dropped rather than risk
// injecting into the header.
func CSPSource(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme == "" {
		return ""
	}
	s := u.Scheme + ":"
	if u.Scheme == "http" || u.Scheme == "https" {
		s = u.Scheme + "://" + u.Host
	}
	if !cspSourceRe.MatchString(s) {
		return ""
	}
	return s
}

var cspSourceRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:(//[a-zA-Z0-9.\-\[\]:]+)?$`)

// formPostHandler is the onload attribute of the engine's form_post page
// (zitadel/oidc op/form_post.html.tmpl), which submits the response to the
// client. Our CSP allows exactly that handler on completion responses.
const formPostHandler = "javascript:document.forms[0].submit()"

var formPostHash = func() string {
	sum := sha256.Sum256([]byte(formPostHandler))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// completionCSP is the policy of the response that completes or fails an
// authorization request: a redirect, or for response_mode=form_post a page
// that posts to the client.
func CompletionCSP(redirectURI string) string {
	fa := "'self'"
	if s := CSPSource(redirectURI); s != "" {
		fa += " " + s
	}
	return "default-src 'none'; script-src 'unsafe-hashes' " + formPostHash + "; form-action " + fa +
		"; frame-ancestors 'none'; base-uri 'none'"
}

// Error is an error shown to the user as a page.
type Error struct {
	Status int
	Key    string // message key in the catalog
	Retry  string // optional URL to try again
	Cause  error  // logged, never shown
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("login: %s (%d): %v", e.Key, e.Status, e.Cause)
	}
	return fmt.Sprintf("login: %s (%d)", e.Key, e.Status)
}

func (e *Error) Unwrap() error { return e.Cause }

// PageError renders err. Unknown or expired requests get a page that
// explains and never redirects: without a valid request there is no
// validated redirect URI to send the user to.
func (h *Pages) PageError(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, err error) {
	var pe *Error
	switch {
	case errors.As(err, &pe):
	case errors.Is(err, oidc.ErrUnknownRequest), errors.Is(err, store.ErrInvalidInput):
		pe = &Error{Status: http.StatusBadRequest, Key: "error_request"}
	case errors.Is(err, oidc.ErrNotMember):
		pe = &Error{Status: http.StatusForbidden, Key: "error_not_member"}
	case errors.Is(err, oidc.ErrNoOrganization):
		pe = &Error{Status: http.StatusForbidden, Key: "error_no_organization"}
	default:
		pe = &Error{Status: http.StatusInternalServerError, Key: "error_internal", Cause: err}
	}
	if pe.Status >= 500 {
		h.log.ErrorContext(r.Context(), "login: request failed", "err", err, "request_id", httpx.RequestID(r.Context()))
	}
	h.RenderError(w, r, h.View(t, loginflow.Lang(nil, r)), pe.Status, pe.Key, pe.Retry)
}

// RenderNotice renders a page of one message: its title and heading are
// the catalog's titleKey, its text messageKey.
func (h *Pages) RenderNotice(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, status int, titleKey, messageKey string) {
	v := h.View(t, loginflow.Lang(nil, r))
	v.Page = v.L[messageKey]
	h.Render(w, r, status, "notice", titleKey, v)
}

type errorPage struct {
	Message   string
	RetryURL  string
	RequestID string
}

func (h *Pages) RenderError(w http.ResponseWriter, r *http.Request, v *View, status int, key, retry string) {
	p := errorPage{Message: v.L[key], RetryURL: retry}
	if status >= 500 {
		p.RequestID = httpx.RequestID(r.Context())
	}
	v.Page = p
	h.Render(w, r, status, "error", "error_title", v)
}

// ServeAsset serves the embedded CSS and logo, and the tenant's theme.
// Unlike pages they are cacheable: the URLs carry a content version.
func (h *Pages) ServeAsset(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant) {
	name := r.PathValue("file")
	if name == "theme.css" {
		b := BrandingOf(t)
		if id := r.URL.Query().Get("org"); id != "" && t != nil && len(id) <= 64 {
			// An organization's colour (an unknown one: the tenant's).
			if o, err := t.Store.Organizations().Get(r.Context(), t.ID, id); err == nil {
				b = orgBranding(t, o)
			}
		}
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write([]byte(themeCSS(b)))
		return
	}
	b, err := assetFS.ReadFile("assets/" + name)
	if err != nil || strings.Contains(name, "/") {
		httpx.WriteProblem(w, r, httpx.NotFound("No such asset."))
		return
	}
	ct := map[string]string{".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".js": "text/javascript; charset=utf-8"}[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}

// withRetry adds a try-again link to a page error.
func WithRetry(err error, retry string) error {
	var pe *Error
	if errors.As(err, &pe) && retry != "" {
		q := *pe
		q.Retry = retry
		return &q
	}
	return err
}
