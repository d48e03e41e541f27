package api

import (
	"crypto/sha256"
	_ "embed" // the docs page and bundle
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The reference page and the Redoc bundle it loads (docs/REDOC-LICENSE is
// the bundle's licence). Embedded as strings, they stay in the binary's
// read-only data: nothing is copied to the heap, and the 2.3 MB bundle is
// paged in only when someone opens /docs.
var (
	//go:embed docs/index.html
	docsHTML string
	//go:embed docs/redoc.standalone.js
	redocJS string
	//go:embed CHANGELOG.md
	changelogMD string
)

// Paths DocsHandler serves.
const (
	DocsPath       = "/docs"
	DocsScriptPath = "/docs/redoc.standalone.js"
	// ChangelogPath serves CHANGELOG.md, where deprecated operations link.
	ChangelogPath = "/api/CHANGELOG.md"
)

// docsCSP lets the page load only from this origin. Redoc needs inline
// styles (styled-components), a blob: worker for search, and data: URIs for
// its icon font. Anything the bundle would fetch from elsewhere is blocked by
// the browser before it is requested.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type asset struct {
	body         string
	contentType  string
	etag         func() string // computed on first use, not at start-up
	cacheControl string
	page         bool // an HTML page: send the Content-Security-Policy
}

func newAsset(body, contentType, cacheControl string, page bool) asset {
	return asset{
		body:        body,
		contentType: contentType,
		etag: sync.OnceValue(func() string {
			sum := sha256.Sum256([]byte(body))
			return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
		}),
		cacheControl: cacheControl,
		page:         page,
	}
}

var (
	// The page is tiny: revalidate it every time so an upgrade shows at once.
	docsPage = newAsset(docsHTML, "text/html; charset=utf-8", "no-cache", true)
	// The bundle's URL is not versioned, so cache it for a day, then revalidate.
	docsScript = newAsset(redocJS, "text/javascript; charset=utf-8", "public, max-age=86400", false)
	changelog  = newAsset(changelogMD, "text/markdown; charset=utf-8", "no-cache", false)
)

// DocsHandler serves the API reference page: GET /docs (HTML that renders
// /openapi.json with Redoc) and GET /docs/redoc.standalone.js, both embedded
// in the binary, and the changelog at GET /api/CHANGELOG.md. Responses carry
// an ETag and Cache-Control, answer If-None-Match with 304, and the page has
// a Content-Security-Policy that keeps the browser from contacting any other
// origin. Mount it on "/docs", "/docs/" and ChangelogPath; other paths get
// 404 and methods other than GET and HEAD 405.
func DocsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a asset
		switch r.URL.Path {
		case DocsPath:
			a = docsPage
		case DocsScriptPath:
			a = docsScript
		case ChangelogPath:
			a = changelog
		case DocsPath + "/":
			http.Redirect(w, r, DocsPath, http.StatusMovedPermanently)
			return
		default:
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", a.cacheControl)
		h.Set("ETag", a.etag())
		h.Set("X-Content-Type-Options", "nosniff")
		if a.page {
			h.Set("Content-Security-Policy", docsCSP)
			h.Set("Referrer-Policy", "no-referrer")
		}
		// ServeContent handles If-None-Match (304), HEAD and Range.
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(a.body))
	})
}
