package nodeapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/nodetest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const audience = "http://localhost:4000"

// TestNodeAPI runs the example API's node:test suite with access tokens a
// real Gatehouse issued: with the scopes, without one, for another
// audience. Needs npm ci in examples/node-api.
func TestNodeAPI(t *testing.T) {
	dir := nodetest.Require(t, ".")
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	rwID, rw := machineToken(t, s, "notes:read notes:write", []string{audience})
	_, r := machineToken(t, s, "notes:read", []string{audience})
	_, other := machineToken(t, s, "notes:read", nil) // aud: the client's own ID
	out := nodetest.Run(t, dir, map[string]string{
		"GATEHOUSE_ISSUER":     s.URL,
		"API_AUDIENCE":         audience,
		"TOKEN_READ_WRITE":     rw,
		"READ_WRITE_CLIENT_ID": rwID,
		"TOKEN_READ":           r,
		"TOKEN_OTHER_AUDIENCE": other,
	}, 2*time.Minute, "npm", "run", "--silent", "test")
	t.Log(out)
}

// machineToken registers a client-credentials client with scope and
// audience and returns its ID and an access token.
func machineToken(t *testing.T, s *testserver.Server, scope string, aud []string) (string, string) {
	t.Helper()
	meta := map[string]any{}
	if aud != nil {
		meta["audience"] = aud
	}
	r, err := s.Admin.CreateClientWithResponse(t.Context(), nil, gen.ClientCreate{ClientName: "Notes job",
		GrantTypes: &[]gen.GrantType{gen.GrantTypeClientCredentials}, Scope: &scope, Metadata: &meta})
	if err != nil || r.JSON201 == nil || r.JSON201.ClientSecret == nil {
		t.Fatalf("client: %v %s", err, r.Body)
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/oauth/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(r.JSON201.ClientID), url.QueryEscape(*r.JSON201.ClientSecret))
	resp, err := s.HTTP.Do(apitest.Unchecked(req))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return r.JSON201.ClientID, tok.AccessToken
}
