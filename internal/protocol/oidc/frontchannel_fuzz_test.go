package oidc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// FuzzFrontchannelTicket feeds the front-channel page arbitrary tickets
// (outside input, from the query string): it never panics, and renders
// frames only for a ticket end_session sealed for the tenant.
func FuzzFrontchannelTicket(f *testing.F) {
	kr, err := secret.NewKeyring([]byte("fuzz-master-key-0123456789abcdef0123456789"))
	if err != nil {
		f.Fatal(err)
	}
	p := &Provider{dir: &directory.Service{Keyring: kr}, now: time.Now, log: slog.New(slog.DiscardHandler)}
	t := &tenancy.Tenant{Tenant: &identity.Tenant{ID: "t1", Slug: "default"}, Issuer: "https://id.example.com"}
	good := p.frontchannelTarget(context.Background(), t, []string{"https://rp.example.com/fcl?iss=x&sid=y"}, "https://rp.example.com/")
	u, _ := url.Parse(good)
	f.Add(u.Query().Get("ticket"))
	f.Add("")
	f.Add("%%%")
	f.Add(base64.RawURLEncoding.EncodeToString([]byte(`{"f":["javascript:alert(1)"],"r":"x","e":"2999-01-01T00:00:00Z"}`)))
	sealedOther, _ := kr.Seal(frontchannelPurpose, mustJSON(f, frontchannelTicket{Frames: []string{"https://evil.example/"},
		ReturnTo: "https://evil.example/", Expires: time.Now().Add(time.Hour)}), []byte("another-tenant"))
	f.Add(base64.RawURLEncoding.EncodeToString(sealedOther))
	f.Fuzz(func(t2 *testing.T, ticket string) {
		r := httptest.NewRequest(http.MethodGet, "/end_session/frontchannel?"+url.Values{"ticket": {ticket}}.Encode(), nil)
		r = r.WithContext(tenancy.With(r.Context(), t))
		w := httptest.NewRecorder()
		p.serveFrontchannel(w, r)
		body := w.Body.String()
		switch w.Code {
		case http.StatusOK:
			sealed, err := base64.RawURLEncoding.DecodeString(ticket)
			if err == nil {
				_, err = kr.Open(frontchannelPurpose, sealed, []byte("t1"))
			}
			if err != nil {
				t2.Fatalf("a ticket end_session did not seal was rendered: %q", ticket)
			}
			if !strings.Contains(body, `<iframe src="https://rp.example.com/fcl?iss=x&amp;sid=y"`) {
				t2.Fatalf("page %s", body)
			}
		case http.StatusBadRequest:
			if strings.Contains(body, "iframe") {
				t2.Fatalf("refused page loads frames: %s", body)
			}
		default:
			t2.Fatalf("status %d", w.Code)
		}
	})
}

func mustJSON(f *testing.F, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
