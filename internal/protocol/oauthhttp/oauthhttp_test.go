package oauthhttp_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/protocol/oauthhttp"
)

func TestRejectBadParams(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := oauthhttp.RejectBadParams(ok)
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"clean", "grant_type=client_credentials&scope=a+b", http.StatusNoContent},
		{"newline and tab allowed", "state=a%0A%09b", http.StatusNoContent},
		{"NUL in value", "scope=a%00b", http.StatusBadRequest},
		{"DEL in value", "scope=a%7Fb", http.StatusBadRequest},
		{"control in name", "sc%01ope=a", http.StatusBadRequest},
		{"invalid UTF-8", "scope=%FF%FE", http.StatusBadRequest},
		{"malformed escape", "scope=%zz", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d (%s)", w.Code, tc.want, w.Body)
			}
			if tc.want == http.StatusBadRequest && !strings.Contains(w.Body.String(), `"invalid_request"`) {
				t.Errorf("body %s, want invalid_request", w.Body)
			}
		})
	}
}

func TestChallenges(t *testing.T) {
	for _, tc := range []struct {
		name, path, auth string
		code             int
		want             string
	}{
		{"userinfo without token", "/userinfo", "", 401, `Bearer`},
		{"userinfo bad token", "/t/acme/userinfo", "Bearer x", 401, `Bearer error="invalid_token"`},
		{"userinfo scope", "/userinfo", "Bearer x", 403, `Bearer error="insufficient_scope"`},
		{"token basic", "/oauth/token", "Basic eDp5", 401, `Basic realm="gatehouse"`},
		{"token post auth", "/oauth/token", "", 401, ""},
		{"ok", "/userinfo", "Bearer x", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := oauthhttp.Challenges(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tc.code) }))
			r := httptest.NewRequest(http.MethodGet, tc.path, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if got := w.Header().Get("WWW-Authenticate"); got != tc.want {
				t.Errorf("WWW-Authenticate %q, want %q", got, tc.want)
			}
		})
	}
}

func TestIssRedirects(t *testing.T) {
	const iss, login = "https://id.example.com", "https://id.example.com/login?"
	for _, tc := range []struct{ loc, want string }{
		{"https://app.example.com/cb?error=invalid_scope", "https://app.example.com/cb?error=invalid_scope&iss=" + url.QueryEscape(iss)},
		{login + "authRequestID=x", login + "authRequestID=x"},
	} {
		w := httptest.NewRecorder()
		rw := oauthhttp.IssRedirects(w, iss, login)
		rw.Header().Set("Location", tc.loc)
		rw.WriteHeader(http.StatusFound)
		if got := w.Header().Get("Location"); got != tc.want {
			t.Errorf("Location %s, want %s", got, tc.want)
		}
	}
}
