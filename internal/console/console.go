// Package console serves the admin console at /console: server-rendered
// pages (html/template, embedded assets, no script needed) for the
// people who run a Gatehouse. Admins sign in like anyone else, through
// an OpenID Connect code+PKCE flow of a built-in first-party client
// against the tenant's own hosted login (auth.go), so MFA, risk checks and
// the audit log apply to them. Access is a role of the tenant
// (directory.ConsoleRoles). The browser holds only a sealed console
// cookie; every change goes through the Admin API's own operations,
// called in process with the admin's server-side principal
// (adminapi.InProcessHandler, api.go), so validation and audit are the
// API's, and the audit log names the admin user.
package console

import (
	"bytes"
	"context"
	"embed"
	"github.com/oapi-codegen/nullable"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
)

// Prefix is where the console is mounted.
const Prefix = "/console"

// Analytics answers the dashboard's charts: the metric's series for the
// tenant between from and to, in buckets of interval ("hour", "day",
// "week"). Metrics: signups, signins, active_users, mfa_adoption,
// risk_decisions, token_issuance.
type Analytics interface {
	Query(ctx context.Context, tenantID, metric string, from, to time.Time, interval string) ([]ChartSeries, error)
}

// ChartSeries is one series of a chart; Group names it (e.g. outcome:
// success), empty for an ungrouped metric.
type ChartSeries struct {
	Group  map[string]string
	Points []ChartPoint
}

// ChartPoint is one bucket's value.
type ChartPoint struct {
	At    time.Time
	Value int64
}

// Deps are what the console needs.
type Deps struct {
	// Directory resolves tenants (by slug or ID).
	Directory *directory.Service
	// Issuer is the server's root issuer (the default tenant's).
	Issuer string
	// Admin is the Admin API's in-process handler
	// (adminapi.API.InProcessHandler).
	Admin http.Handler
	// Protocol is the OAuth/OIDC provider's handler: the sign-in's code
	// is redeemed at its token endpoint, in process.
	Protocol http.Handler
	// ClientChanged drops a cached client after the built-in client's row
	// was written (oidc.Provider.ClientChanged); nil drops nothing.
	ClientChanged func(ctx context.Context, tenantID, clientID string)
	// Keyring seals the console's cookies.
	Keyring *secret.Keyring
	// Idle is the sign-in sessions' idle timeout (sessions.Manager.Idle).
	Idle time.Duration
	// Analytics feeds the dashboard; nil shows that analytics are not
	// configured.
	Analytics Analytics
	Log       *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Console serves /console.
type Console struct {
	d      Deps
	secure bool
	pages  map[string]*template.Template
	mux    *http.ServeMux
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// New builds the console.
func New(d Deps) (*Console, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Idle <= 0 {
		d.Idle = 24 * time.Hour
	}
	c := &Console{d: d, secure: strings.HasPrefix(d.Issuer, "https://"), pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"fmtTime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		// nt is an optional time, the zero time when null.
		"nt": func(n nullable.Nullable[time.Time]) time.Time {
			t, _ := n.Get()
			return t
		},
		// ns is an optional string, "" when null.
		"ns": func(n nullable.Nullable[string]) string {
			v, _ := n.Get()
			return v
		},
		"join": strings.Join,
		// deleteOf is the delete form's data (parts.html) for the action.
		"deleteOf": func(v *view, action string) map[string]any {
			return map[string]any{"L": v.L, "CSRF": v.CSRF, "Action": action}
		},
		// str prints an optional string, "" when absent.
		"str": func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		},
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || base == "parts" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", n)
		if err != nil {
			return nil, err
		}
		c.pages[base] = t
	}
	c.routes()
	return c, nil
}

// ServeHTTP serves every /console path.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.mux.ServeHTTP(w, r) }

func (c *Console) routes() {
	m := http.NewServeMux()
	assets, _ := fs.Sub(assetFS, "assets")
	files := http.StripPrefix(Prefix+"/assets/", http.FileServerFS(assets))
	m.Handle("GET "+Prefix+"/assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
	m.HandleFunc("GET "+Prefix, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
	})
	m.HandleFunc("GET "+Prefix+"/signin", c.signinPage)
	m.HandleFunc("GET "+Prefix+"/login", c.login)
	m.HandleFunc("GET "+Prefix+"/callback", c.callback)
	m.HandleFunc("POST "+Prefix+"/logout", c.logout)

	m.Handle("GET "+Prefix+"/{$}", c.authed(c.dashboard))
	m.Handle("POST "+Prefix+"/tenant", c.authed(c.switchTenant))
	m.Handle("GET "+Prefix+"/users", c.authed(c.users))
	m.Handle("GET "+Prefix+"/users/{id}", c.authed(c.user))
	m.Handle("GET "+Prefix+"/users/{id}/delete", c.authed(c.confirmDelete))
	m.Handle("POST "+Prefix+"/users/{id}/{action}", c.authed(c.userAction))
	m.Handle("POST "+Prefix+"/users/{id}/sessions/{sid}/revoke", c.authed(c.revokeSession))
	m.Handle("GET "+Prefix+"/clients", c.authed(c.clients))
	m.Handle("GET "+Prefix+"/clients/new", c.authed(c.newClient))
	m.Handle("POST "+Prefix+"/clients", c.authed(c.createClient))
	m.Handle("GET "+Prefix+"/clients/{id}", c.authed(c.client))
	m.Handle("POST "+Prefix+"/clients/{id}", c.authed(c.updateClient))
	m.Handle("POST "+Prefix+"/clients/{id}/rotate", c.authed(c.rotateSecret))
	m.Handle("POST "+Prefix+"/clients/{id}/apis", c.authed(c.grantAPI))
	m.Handle("POST "+Prefix+"/clients/{id}/apis/{api}/remove", c.authed(c.revokeGrant))
	m.Handle("GET "+Prefix+"/events", c.authed(c.events))
	m.Handle("GET "+Prefix+"/events/tail", c.authed(c.eventsTail))
	m.Handle("GET "+Prefix+"/webhooks", c.authed(c.webhooks))
	m.Handle("POST "+Prefix+"/webhooks", c.authed(c.createWebhook))
	m.Handle("GET "+Prefix+"/webhooks/{id}", c.authed(c.webhook))
	m.Handle("GET "+Prefix+"/organizations", c.authed(c.orgs))
	m.Handle("POST "+Prefix+"/organizations", c.authed(c.createOrg))
	m.Handle("GET "+Prefix+"/organizations/{id}", c.authed(c.org))
	m.Handle("POST "+Prefix+"/organizations/{id}/members", c.authed(c.addMember))
	m.Handle("POST "+Prefix+"/organizations/{id}/members/{uid}/remove", c.authed(c.removeMember))
	m.Handle("GET "+Prefix+"/api-keys", c.authed(c.apiKeys))
	m.Handle("POST "+Prefix+"/api-keys", c.authed(c.createAPIKey))
	m.Handle("POST "+Prefix+"/api-keys/{id}/revoke", c.authed(c.revokeAPIKey))
	m.Handle("GET "+Prefix+"/apis", c.authed(c.apis))
	m.Handle("POST "+Prefix+"/apis", c.authed(c.createAPI))
	m.Handle("GET "+Prefix+"/apis/{id}", c.authed(c.api))
	m.Handle("POST "+Prefix+"/apis/{id}", c.authed(c.updateAPI))
	m.Handle("POST "+Prefix+"/apis/{id}/delete", c.authed(c.deleteAPI))
	m.Handle("GET "+Prefix+"/roles", c.authed(c.roles))
	m.Handle("POST "+Prefix+"/roles", c.authed(c.createRole))
	m.Handle("GET "+Prefix+"/roles/{id}", c.authed(c.role))
	m.Handle("POST "+Prefix+"/roles/{id}", c.authed(c.updateRole))
	m.Handle("POST "+Prefix+"/roles/{id}/delete", c.authed(c.deleteRole))
	m.Handle("GET "+Prefix+"/saml-apps", c.authed(c.samlSPs))
	m.Handle("POST "+Prefix+"/saml-apps", c.authed(c.createSAMLSP))
	m.Handle("GET "+Prefix+"/saml-apps/{id}", c.authed(c.samlSP))
	m.Handle("POST "+Prefix+"/saml-apps/{id}", c.authed(c.updateSAMLSP))
	m.Handle("POST "+Prefix+"/saml-apps/{id}/delete", c.authed(c.deleteSAMLSP))
	m.Handle("GET "+Prefix+"/connections", c.authed(c.connections))
	m.Handle("GET "+Prefix+"/connections/new", c.authed(c.newConnection))
	m.Handle("POST "+Prefix+"/connections", c.authed(c.createConnection))
	m.Handle("GET "+Prefix+"/connections/{id}", c.authed(c.connection))
	m.Handle("POST "+Prefix+"/connections/{id}", c.authed(c.updateConnection))
	m.Handle("POST "+Prefix+"/connections/{id}/delete", c.authed(c.deleteConnection))
	m.Handle("POST "+Prefix+"/connections/{id}/sync", c.authed(c.syncConnection))
	m.Handle("GET "+Prefix+"/keys", c.authed(c.keys))
	m.Handle("GET "+Prefix+"/branding", c.authed(c.branding))
	m.Handle("POST "+Prefix+"/branding", c.authed(c.saveBranding))
	m.Handle("POST "+Prefix+"/keys/rotate", c.authed(c.rotateKeys))
	m.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, nil, http.StatusNotFound, "error_not_found")
	})
	c.mux = m
}

// view is what every page's template gets.
type view struct {
	Lang  string
	L     Catalog
	Title string
	// S is the signed-in admin; nil on the sign-in and error pages.
	S *session
	// Tenant is the tenant the pages act on; Tenants the ones a
	// superadmin may switch to.
	Tenant  tenantRef
	Tenants []tenantRef
	CanEdit bool
	CSRF    string
	Nav     string
	Notice  string
	Problem *problem
	Page    any
}

type tenantRef struct{ ID, Slug, Name string }

func (c *Console) lang(r *http.Request) language.Tag { return loginflow.Lang(nil, r) }

// newView starts the view of a page of the signed-in admin (s may be nil).
func (c *Console) newView(r *http.Request, s *session, nav string) *view {
	tag := c.lang(r)
	v := &view{Lang: tag.String(), L: Catalogs[tag], S: s, Nav: nav}
	if v.L == nil {
		v.L, v.Lang = English, "en"
	}
	if s != nil {
		v.CanEdit = s.Role != directory.RoleConsoleViewer
		v.CSRF = c.csrfToken(s)
		v.Tenant = s.tenant
		v.Tenants = s.tenants
	}
	return v
}

// csp forbids every script and inline style: the pages need neither.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// render writes the page name with the console's headers.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, v *view) {
	if v.Title == "" {
		v.Title = v.L[name+"_title"]
	}
	var buf bytes.Buffer
	t := c.pages[name]
	if t == nil {
		c.d.Log.ErrorContext(r.Context(), "console: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		c.d.Log.ErrorContext(r.Context(), "console: rendering page failed", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail renders the error page with the message key.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, s *session, status int, key string) {
	v := c.newView(r, s, "")
	v.Page = map[string]string{"Message": v.L[key]}
	c.render(w, r, status, "error", v)
}

// back redirects to a console path after a form, with a notice key.
func back(w http.ResponseWriter, r *http.Request, path, notice string) {
	if notice != "" {
		path += sep(path) + "notice=" + url.QueryEscape(notice)
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// noticeOf is the notice a redirect named, if it is one of ours.
func noticeOf(r *http.Request, l Catalog) string {
	k := r.URL.Query().Get("notice")
	if strings.HasPrefix(k, "notice_") {
		return l[k]
	}
	return ""
}
