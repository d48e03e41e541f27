package samlidp_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
)

// FuzzParseAuthnRequest feeds arbitrary requests to the parser, as the
// deflated redirect message, as the raw query and as the POST form field:
// it must never panic, and every refusal must be one of the parser's
// errors (answered with an error page), never an internal fault.
//
//	go test ./internal/samlidp -run '^$' -fuzz FuzzParseAuthnRequest -fuzztime 60s
func FuzzParseAuthnRequest(f *testing.F) {
	e := newEnv(f)
	s := e.newSP(f, "fuzz", nil)
	sso := e.tenant.Issuer + samlidp.SSOPath
	now := time.Now()
	q, _ := s.redirect(f, "state")
	f.Add(uint8(0), q)
	f.Add(uint8(1), authnXML("_f1", s.EntityID, s.AcsURL.String(), sso, now))
	f.Add(uint8(2), authnXML("_f2", s.EntityID, s.AcsURL.String(), sso, now))
	f.Add(uint8(1), `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`)
	f.Add(uint8(2), `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Issuer/></samlp:AuthnRequest>`)
	ours := []error{samlidp.ErrMalformed, samlidp.ErrTooLarge, samlidp.ErrUnknownSP, samlidp.ErrUnknownACS,
		samlidp.ErrSignature, samlidp.ErrStale, samlidp.ErrReplayed, samlidp.ErrUnsupported}
	f.Fuzz(func(t *testing.T, mode uint8, data string) {
		var m samlidp.Message
		switch mode % 3 {
		case 0:
			m = samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: data}
		case 1:
			m = samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: url.Values{"SAMLRequest": {deflate64([]byte(data))}}.Encode()}
		case 2:
			m = samlidp.Message{Binding: samlidp.BindingPOST, Form: url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(data))}}}
		}
		r, err := e.svc.ParseAuthnRequest(context.Background(), e.tenant, m)
		if err == nil {
			if r.SP == nil || r.ACSURL != s.AcsURL.String() {
				t.Fatalf("accepted a request for %q", r.ACSURL)
			}
			return
		}
		for _, o := range ours {
			if errors.Is(err, o) {
				return
			}
		}
		t.Fatalf("not a request error: %v", err)
	})
}
