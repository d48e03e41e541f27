package saml_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	crewjam "github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// A SAML single logout ends the Gatehouse session; the OIDC relying
// parties that had tokens in that session hear of it on their
// back-channel logout URI too (OIDC Back-Channel Logout 1.0).
func TestSingleLogoutNotifiesOIDCBackchannel(t *testing.T) {
	e := newSSOEnv(t, nil)
	a := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	b := newBrowser(t)
	e.signInAt(b, a)

	tokens := make(chan string, 10)
	rp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		tokens <- r.PostForm.Get("logout_token")
	}))
	t.Cleanup(rp.Close)

	// An OIDC client signs in through the same browser session (SSO).
	const redirect = "http://127.0.0.1:9/cb"
	method := gen.TokenEndpointAuthMethodNone
	bcl := rp.URL + "/bcl"
	cr, err := e.srv.Admin.CreateClientWithResponse(t.Context(), nil, gen.ClientCreate{ClientName: "RP",
		RedirectUris: &[]string{redirect}, TokenEndpointAuthMethod: &method, BackchannelLogoutURI: &bcl,
		Metadata: &map[string]any{"first_party": true}})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("client: %v %s", err, cr.Body)
	}
	clientID := cr.JSON201.ClientID
	verifier := rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	u := e.srv.URL + "/authorize?" + url.Values{"response_type": {"code"}, "client_id": {clientID},
		"redirect_uri": {redirect}, "scope": {"openid"}, "state": {"s"}, "nonce": {"n"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}.Encode()
	code := ""
	for range 10 {
		resp, body := b.get(u)
		loc := resp.Header.Get("Location")
		if resp.StatusCode/100 != 3 {
			t.Fatalf("authorize stopped at %s: %d %s", u, resp.StatusCode, body)
		}
		if strings.HasPrefix(loc, redirect+"?") {
			code = mustURL(loc).Query().Get("code")
			break
		}
		next, _ := mustURL(u).Parse(loc)
		u = next.String()
	}
	resp, body := b.postForm(e.srv.URL+"/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirect}, "client_id": {clientID}, "code_verifier": {verifier}})
	var tok struct {
		IDToken string `json:"id_token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &tok) != nil || tok.IDToken == "" {
		t.Fatalf("token: %d %s", resp.StatusCode, body)
	}
	sid := jwtClaims(t, tok.IDToken)["sid"]

	// SP-initiated single logout from A.
	lr, err := a.mw.ServiceProvider.MakeRedirectLogoutRequest("jane@example.org", "bye",
		crewjam.WithSessionIndex(a.sessionIndex(t, b)))
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := b.get(lr.String()); resp.StatusCode != http.StatusFound {
		t.Fatalf("LogoutRequest: %d %s", resp.StatusCode, body)
	}
	select {
	case raw := <-tokens:
		c := jwtClaims(t, raw)
		if c["sid"] != sid || c["sub"] != e.userID || c["iss"] != e.srv.URL {
			t.Fatalf("logout token claims %v, want sid %v", c, sid)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the OIDC relying party got no logout token")
	}
}

func jwtClaims(t *testing.T, raw string) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", raw)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	var m map[string]any
	if err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("claims of %q: %v", raw, err)
	}
	return m
}
