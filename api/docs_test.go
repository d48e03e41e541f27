package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

func docsServer(t *testing.T) (*httptest.Server, *http.Client) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/docs", api.DocsHandler())
	mux.Handle("/docs/", api.DocsHandler())
	mux.Handle(api.ChangelogPath, api.DocsHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, apitest.Client(t)
}

// get sends a request through c, which checks the response against the
// contract unless unchecked, and returns the response and its body.
func get(t *testing.T, c *http.Client, method, url string, unchecked bool, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if unchecked {
		req = apitest.Unchecked(req)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestDocsPage(t *testing.T) {
	srv, c := docsServer(t)
	resp, body := get(t, c, "GET", srv.URL+"/docs", false)
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "img-src 'self' data:"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("ETag") == "" {
		t.Errorf("Cache-Control = %q, ETag = %q", resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
	}
	for _, want := range []string{`src="/docs/redoc.standalone.js"`, `spec-url="/openapi.json"`, `disable-telemetry="true"`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("page lacks %s", want)
		}
	}
	if bytes.Contains(body, []byte("://")) {
		t.Errorf("page refers to another origin")
	}

	// Revalidation.
	resp, body = get(t, c, "GET", srv.URL+"/docs", false, "If-None-Match", resp.Header.Get("ETag"))
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match: status = %d with %d bytes, want 304 and none", resp.StatusCode, len(body))
	}
}

func TestDocsScript(t *testing.T) {
	srv, c := docsServer(t)
	resp, body := get(t, c, "GET", srv.URL+api.DocsScriptPath, false)
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control = %q", cc)
	}
	if !bytes.Contains(body[:200], []byte("@license MIT")) {
		t.Errorf("the bundle lost its licence header")
	}
	etag := resp.Header.Get("ETag")
	resp, _ = get(t, c, "GET", srv.URL+api.DocsScriptPath, false, "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status = %d, want 304", resp.StatusCode)
	}
	resp, body = get(t, c, "HEAD", srv.URL+api.DocsScriptPath, false)
	if resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("HEAD: status = %d with %d bytes", resp.StatusCode, len(body))
	}
}

// The changelog, where deprecated operations link, is served as written.
func TestChangelogServed(t *testing.T) {
	srv, c := docsServer(t)
	resp, body := get(t, c, "GET", srv.URL+api.ChangelogPath, false)
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/markdown; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	want, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want) {
		t.Errorf("the body is not api/CHANGELOG.md")
	}
	resp, _ = get(t, c, "GET", srv.URL+api.ChangelogPath, false, "If-None-Match", resp.Header.Get("ETag"))
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status = %d, want 304", resp.StatusCode)
	}
}

func TestDocsOtherRequests(t *testing.T) {
	srv, c := docsServer(t) // these requests are outside the contract
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/docs/", http.StatusMovedPermanently},
		{"GET", "/docs/other.js", http.StatusNotFound},
		{"POST", "/docs", http.StatusMethodNotAllowed},
	} {
		if resp, _ := get(t, c, tc.method, srv.URL+tc.path, true); resp.StatusCode != tc.want {
			t.Errorf("%s %s: status = %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
	}
}
