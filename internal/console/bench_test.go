package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// benchUsers is how many users the benchmarks' tenant holds.
const benchUsers = 10_000

// benchConsole is a SQLite server with benchUsers users and a signed-in
// admin; it returns the server's root handler and the console cookie.
func benchConsole(b *testing.B) (http.Handler, string) {
	b.Helper()
	e := newEnv(b, &fakeAnalytics{})
	e.user("", "admin@example.com", directory.RoleConsoleAdmin)
	ctx := context.Background()
	sc, err := e.srv.App.Directory.Resolve(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchUsers {
		u := identity.User{Email: fmt.Sprintf("user%05d@example.com", i), Username: fmt.Sprintf("user%05d", i)}
		u.Profile.GivenName = "Given"
		if err := e.srv.App.Directory.CreateUser(ctx, sc, &u, nil); err != nil {
			b.Fatal(err)
		}
	}
	br := e.browser()
	br.signIn("", "admin@example.com", "")
	for _, c := range br.jar.Cookies(mustURL(e.srv.URL + "/console/")) {
		if c.Name == "gh_console" {
			return e.srv.Handler, c.Name + "=" + c.Value
		}
	}
	b.Fatal("no console cookie")
	return nil, ""
}

// serve runs one console request in process through the server's whole
// handler chain and checks it answered 200 with want in the page.
func serve(b *testing.B, h http.Handler, cookie, target, want string) {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Cookie", cookie)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("%s: %d %.300s", target, rec.Code, rec.Body.String())
	}
}

// BenchmarkConsoleUserSearch: /console/users?q=… over 10,000 users (one
// match; the Admin API's search, in process, plus the ID lookup).
func BenchmarkConsoleUserSearch(b *testing.B) {
	h, cookie := benchConsole(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		n := fmt.Sprintf("user%05d", (i*7919)%benchUsers)
		serve(b, h, cookie, "/console/users?q="+n, n+"@example.com")
	}
}

// BenchmarkConsoleDashboard: /console/?period=30d, six charts from the
// fake Analytics (30 daily buckets, two series each but one).
func BenchmarkConsoleDashboard(b *testing.B) {
	h, cookie := benchConsole(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serve(b, h, cookie, "/console/?period=30d", `data-total="signups">210<`)
	}
}
