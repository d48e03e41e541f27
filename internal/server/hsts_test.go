package server_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The test server builds its handlers as serve does: an https issuer
// turns HSTS on, an http one leaves it off.
func TestHSTSFollowsIssuer(t *testing.T) {
	for issuer, want := range map[string]bool{"https://id.example.com": true, "": false} {
		s := testserver.New(t, testserver.Options{Env: map[string]string{"GATEHOUSE_ISSUER": issuer, "GATEHOUSE_LOG_LEVEL": "warn"}})
		resp, err := s.HTTP.Get(s.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security") != ""; got != want {
			t.Errorf("issuer %q: HSTS %v, want %v", issuer, got, want)
		}
	}
}
