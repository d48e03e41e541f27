package devicecookie_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/devicecookie"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
)

func keyring(t *testing.T, seed string) *secret.Keyring {
	t.Helper()
	k, err := secret.NewKeyring([]byte(strings.Repeat(seed, 32)[:32]))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestIssueThenRead(t *testing.T) {
	c := &devicecookie.Cookies{Keyring: keyring(t, "a"), Secure: true}
	w := httptest.NewRecorder()
	id := c.Issue(w, httptest.NewRequest(http.MethodGet, "/login", nil))
	if len(id) != 22 {
		t.Fatalf("id %q", id)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	ck := cookies[0]
	if ck.Name != devicecookie.CookieName || !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge < 300*86400 {
		t.Errorf("cookie attributes %+v", ck)
	}
	r := httptest.NewRequest(http.MethodGet, "/login", nil)
	r.AddCookie(ck)
	got, ok := c.Read(r)
	if !ok || got != id {
		t.Fatalf("Read = %q %v, want %q", got, ok, id)
	}
	// Issuing again keeps the ID and refreshes the cookie.
	w = httptest.NewRecorder()
	if again := c.Issue(w, r); again != id || len(w.Result().Cookies()) != 1 {
		t.Errorf("re-issue gave %q", again)
	}
}

func TestForgedCookiesAreRejected(t *testing.T) {
	c := &devicecookie.Cookies{Keyring: keyring(t, "a")}
	other := &devicecookie.Cookies{Keyring: keyring(t, "b")}
	id := devicecookie.NewID()
	good := c.Value(id)
	for name, v := range map[string]string{
		"other key":      other.Value(id),
		"swapped id":     devicecookie.NewID() + good[22:],
		"no signature":   id,
		"empty":          "",
		"bad base64":     id + ".!!!",
		"truncated sig":  good[:len(good)-2],
		"oversized":      good + strings.Repeat("A", 200),
		"short id":       "abc." + strings.SplitN(good, ".", 2)[1],
		"signature only": "." + strings.SplitN(good, ".", 2)[1],
	} {
		if _, ok := c.Verify(v); ok {
			t.Errorf("%s: accepted", name)
		}
	}
	if got, ok := c.Verify(good); !ok || got != id {
		t.Errorf("genuine value rejected")
	}
	// A request with a forged cookie gets a fresh ID.
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: devicecookie.CookieName, Value: other.Value(id)})
	if got := c.Issue(httptest.NewRecorder(), r); got == id {
		t.Error("forged device ID was kept")
	}
}
