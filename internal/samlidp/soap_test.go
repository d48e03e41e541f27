package samlidp_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// soapLogout signs a LogoutRequest for s's SOAP SingleLogoutService and
// has crewjam's SP validate it (the IdP's signature against its metadata)
// and answer; it returns the request and the SP's answer.
func soapLogout(t testing.TB, e *env, s *sp) (*samlidp.SOAPLogout, []byte) {
	t.Helper()
	d := &store.SAMLLogoutDelivery{ID: "01a2318c-5e4b-7d1f-9c0a-2b3c4d5e6f70", SPID: s.reg.ID, NameID: "jane@example.org",
		NameIDFormat: string(saml.EmailAddressNameIDFormat), SessionIndex: "_idx", Attempts: 1}
	l, err := e.svc.SOAPLogoutRequest(context.Background(), e.tenant, s.reg, d)
	if err != nil {
		t.Fatal(err)
	}
	v := *s.ServiceProvider
	u, _ := url.Parse(l.URL)
	v.SloURL = *u
	r := httptest.NewRequest(http.MethodPost, l.URL, bytes.NewReader(l.Envelope))
	r.Header.Set("Content-Type", samlidp.SOAPContentType)
	req, err := v.ValidateSOAPLogoutRequest(r)
	if err != nil {
		t.Fatalf("crewjam refused the LogoutRequest: %v", err)
	}
	if req.NameID.Value != "jane@example.org" || req.SessionIndex.Value != "_idx" || req.ID != l.RequestID {
		t.Fatalf("LogoutRequest %+v", req)
	}
	resp, err := v.MakeSOAPLogoutResponse(req.ID, saml.Status{StatusCode: saml.StatusCode{Value: saml.StatusSuccess}})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	if err := saml.WriteSOAPLogoutResponse(w, resp); err != nil {
		t.Fatal(err)
	}
	return l, w.Body.Bytes()
}

func soapSP(t testing.TB, e *env) *sp {
	return e.newSP(t, "soap", func(r *store.SAMLServiceProvider) { r.SOAPSLOURL = "https://soap.example.net/saml/soap-slo" })
}

func TestSOAPLogoutRoundTrip(t *testing.T) {
	e := newEnv(t)
	l, answer := soapLogout(t, e, soapSP(t, e))
	if err := l.Check(answer); err != nil {
		t.Fatalf("a valid LogoutResponse refused: %v", err)
	}
	// Changing a byte the signature covers is refused.
	forged := bytes.Replace(answer, []byte("urn:oasis:names:tc:SAML:2.0:status:Success"), []byte("urn:oasis:names:tc:SAML:2.0:status:Successs"), 1)
	if err := l.Check(forged); !errors.Is(err, samlidp.ErrSOAPLogout) {
		t.Fatalf("a tampered LogoutResponse: %v", err)
	}
}

// FuzzSOAPLogoutResponse feeds arbitrary answers to the LogoutResponse
// check: it must never panic, and refuse everything but the SP's valid
// answer with ErrSOAPLogout.
//
//	go test ./internal/samlidp -run '^$' -fuzz FuzzSOAPLogoutResponse -fuzztime 60s
func FuzzSOAPLogoutResponse(f *testing.F) {
	e := newEnv(f)
	l, answer := soapLogout(f, e, soapSP(f, e))
	f.Add(answer)
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>`))
	f.Add([]byte(strings.Replace(string(answer), l.RequestID, "_other", 1)))
	f.Fuzz(func(t *testing.T, body []byte) {
		err := l.Check(body)
		if err == nil && !bytes.Equal(body, answer) {
			// Only whitespace outside the signed element may differ.
			if !bytes.Contains(body, []byte(l.RequestID)) {
				t.Fatalf("accepted an answer without the request's ID: %s", body)
			}
			return
		}
		if err != nil && !errors.Is(err, samlidp.ErrSOAPLogout) {
			t.Fatalf("not a LogoutResponse error: %v", err)
		}
	})
}
