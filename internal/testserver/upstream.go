package testserver

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
)

// ExampleOPEmail is the email of the one user of ExampleOP.
const ExampleOPEmail = "test-user@zitadel.ch"

// ExampleOP starts zitadel/oidc's example OpenID provider (an independent
// implementation) on loopback, with a confidential client registered for
// redirectURI: its ID is "gatehouse-" + the provider's host:port, its
// secret "s3cret". It returns the issuer, and a function that signs its
// one user (ExampleOPEmail, verified, subject "id1") in from an
// authorization URL, with browser, and returns the URL the provider sends
// the browser back to.
func ExampleOP(t testing.TB, redirectURI string) (issuer string, signIn func(browser *http.Client, authURL *url.URL) *url.URL) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer = "http://" + l.Addr().String() + "/"
	storage.RegisterClients(storage.WebClient("gatehouse-"+l.Addr().String(), "s3cret", redirectURI))
	router := exampleop.SetupServer(issuer, storage.NewStorage(storage.NewUserStore(issuer)),
		slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: router}}
	srv.Start()
	t.Cleanup(srv.Close)
	location := func(b *http.Client, req *http.Request) *url.URL {
		t.Helper()
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, err := resp.Location()
		if err != nil {
			t.Fatalf("%s %s at the example OP answered %d, without a redirect", req.Method, req.URL, resp.StatusCode)
		}
		return loc
	}
	signIn = func(b *http.Client, authURL *url.URL) *url.URL {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, authURL.String(), nil)
		form := location(b, req)
		id := form.Query().Get("authRequestID")
		host := strings.Split(l.Addr().String(), ":")[0]
		body := url.Values{"id": {id}, "username": {"test-user@" + host}, "password": {"verysecure"}}
		req, _ = http.NewRequest(http.MethodPost, issuer+"login/username", strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		next := location(b, req)
		req, _ = http.NewRequest(http.MethodGet, next.String(), nil)
		return location(b, req)
	}
	return issuer, signIn
}
