package saml_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	crewjam "github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// soapSP is a crewjam service provider whose metadata also declares a
// SOAP SingleLogoutService, at /soap-slo, answered by respond.
type soapSP struct {
	*testSP
	soapURL string

	mu       sync.Mutex
	requests []*crewjam.LogoutRequest // validated by crewjam (the IdP's signature verified)
	invalid  []string
}

// soapAnswer writes the SP's answer to a LogoutRequest it validated (nil
// if it did not validate) or received (body).
type soapAnswer func(t *testing.T, sp *soapSP, w http.ResponseWriter, req *crewjam.LogoutRequest)

// newSOAPSP registers an SP from metadata with a SOAP SingleLogoutService
// that answer answers (soapSuccess when nil).
func newSOAPSP(t *testing.T, e *ssoEnv, answer soapAnswer) *soapSP {
	t.Helper()
	return newSOAPSPWith(t, e, answer, false)
}

// newSOAPSPWith is newSOAPSP; soapOnly drops the metadata's front-channel
// SingleLogoutServices, so that a browser logout cannot reach the SP.
func newSOAPSPWith(t *testing.T, e *ssoEnv, answer soapAnswer, soapOnly bool) *soapSP {
	t.Helper()
	s := &soapSP{}
	s.testSP = newTestSP(t, e.srv, "localhost", func(in *gen.SamlServiceProviderCreate) {
		base := strings.TrimSuffix(*in.MetadataURL, "/saml/metadata")
		s.soapURL = base + "/soap-slo"
		md := withSOAPLogout(t, *in.MetadataURL, s.soapURL)
		if soapOnly {
			md = frontChannelSLO.ReplaceAllString(md, "")
		}
		in.MetadataXML, in.MetadataURL = ptr(md), nil
	})
	if answer == nil {
		answer = soapSuccess
	}
	v := s.mw.ServiceProvider // the SOAP endpoint is its SloURL for this copy
	v.SloURL = *mustURL(s.soapURL)
	s.srv.Config.Handler.(*http.ServeMux).HandleFunc("POST /soap-slo", func(w http.ResponseWriter, r *http.Request) {
		req, err := v.ValidateSOAPLogoutRequest(r)
		s.mu.Lock()
		if err != nil {
			s.invalid = append(s.invalid, err.Error())
		} else {
			s.requests = append(s.requests, req)
		}
		s.mu.Unlock()
		answer(t, s, w, req)
	})
	return s
}

// frontChannelSLO matches crewjam's HTTP-Redirect and HTTP-POST
// SingleLogoutService elements.
var frontChannelSLO = regexp.MustCompile(`<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-[A-Za-z]+"[^>]*?(/>|></SingleLogoutService>)`)

// withSOAPLogout reads the SP's metadata and adds a SOAP
// SingleLogoutService before its other ones.
func withSOAPLogout(t *testing.T, metadataURL, soapURL string) string {
	t.Helper()
	resp, err := http.Get(metadataURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	md := string(b)
	i := strings.Index(md, "<SingleLogoutService")
	if i < 0 {
		t.Fatalf("no SingleLogoutService in %s", md)
	}
	return md[:i] + fmt.Sprintf(`<SingleLogoutService Binding=%q Location=%q></SingleLogoutService>`, crewjam.SOAPBinding, soapURL) + md[i:]
}

func (s *soapSP) got() ([]*crewjam.LogoutRequest, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*crewjam.LogoutRequest(nil), s.requests...), append([]string(nil), s.invalid...)
}

func soapSuccess(t *testing.T, s *soapSP, w http.ResponseWriter, req *crewjam.LogoutRequest) {
	if req == nil {
		_ = crewjam.WriteSOAPFault(w, "invalid request")
		return
	}
	resp, err := s.mw.ServiceProvider.MakeSOAPLogoutResponse(req.ID, crewjam.Status{StatusCode: crewjam.StatusCode{Value: crewjam.StatusSuccess}})
	if err != nil {
		t.Error(err)
		return
	}
	_ = crewjam.WriteSOAPLogoutResponse(w, resp)
}

// A session ended without its browser (the Admin API revokes the user's
// sessions) reaches the SPs with a SOAP SingleLogoutService server to
// server: a LogoutRequest signed by the IdP (crewjam verifies it against
// the IdP's metadata) with the NameID and SessionIndex the SP was sent,
// answered by a signed LogoutResponse; a saml.slo event says delivered,
// /metrics counts it. An SP without one is recorded as not reached, and
// nothing goes to an SP the user never signed into, or to the same SP
// registered in another tenant.
func TestSOAPLogoutOnRevocation(t *testing.T) {
	e := newSSOEnv(t, nil)
	front := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	soap := newSOAPSP(t, e, nil)
	idle := newSOAPSP(t, e, nil) // registered, never signed into
	ctx := context.Background()

	// The same SP registered in another tenant.
	tr, err := e.srv.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "other"})
	if err != nil || tr.JSON201 == nil {
		t.Fatalf("tenant: %v %s", err, tr.Body)
	}
	md := withSOAPLogout(t, soap.url+"/saml/metadata", soap.soapURL)
	or, err := e.srv.Admin.CreateTenantSamlServiceProviderWithResponse(ctx, "other", nil, gen.SamlServiceProviderCreate{MetadataXML: &md})
	if err != nil || or.JSON201 == nil {
		t.Fatalf("register in the other tenant: %v %s", err, or.Body)
	}

	got, err := e.srv.Admin.GetSamlServiceProviderWithResponse(ctx, soap.id)
	if err != nil || got.JSON200 == nil || got.JSON200.SoapSloURL.MustGet() != soap.soapURL {
		t.Fatalf("soap_slo_url not read from the metadata: %v %s", err, got.Body)
	}
	if fr, _ := e.srv.Admin.GetSamlServiceProviderWithResponse(ctx, front.id); fr.JSON200 == nil || fr.JSON200.SoapSloURL.IsSpecified() && !fr.JSON200.SoapSloURL.IsNull() {
		t.Fatalf("an SP without a SOAP SingleLogoutService: %s", fr.Body)
	}

	b := newBrowser(t)
	e.signInAt(b, front)
	e.signInAt(b, soap.testSP)
	index := soap.sessionIndex(t, b)

	r, err := e.srv.Admin.RevokeUserSessionsWithResponse(ctx, e.userID)
	if err != nil || r.StatusCode() != http.StatusNoContent {
		t.Fatalf("revoke: %v %d", err, r.StatusCode())
	}
	ev := waitForSLOEvent(t, e, "delivered")
	if ev.Data["sp_id"] != soap.id || ev.Data["binding"] != "soap" || ev.UserID == nil || *ev.UserID != e.userID {
		t.Errorf("delivered event: %+v", ev)
	}
	reqs, invalid := soap.got()
	if len(reqs) != 1 || len(invalid) != 0 {
		t.Fatalf("SOAP SP got %d valid and %v invalid LogoutRequests", len(reqs), invalid)
	}
	lr := reqs[0]
	if lr.NameID == nil || lr.NameID.Value != "jane@example.org" || lr.SessionIndex == nil || lr.SessionIndex.Value != index ||
		lr.Issuer == nil || lr.Issuer.Value != e.srv.URL+"/saml/metadata" || lr.Destination != soap.soapURL ||
		lr.NotOnOrAfter == nil || lr.ID == "" {
		t.Errorf("LogoutRequest: %+v (want SessionIndex %s)", lr, index)
	}
	if reqs, invalid := idle.got(); len(reqs)+len(invalid) != 0 {
		t.Errorf("an SP the user never signed into got %d requests", len(reqs)+len(invalid))
	}

	// The front-channel SP could not be reached: recorded as before.
	found := false
	for _, it := range sloEvents(t, e) {
		ids, _ := it.Data["sp_ids"].([]any)
		if it.Data["outcome"] == "not_propagated" {
			found = len(ids) == 1 && ids[0] == front.id
		}
	}
	if !found {
		t.Errorf("no not_propagated event naming only the front-channel SP: %+v", sloEvents(t, e))
	}
	// The SOAP SP is no longer a participant; the front-channel one is.
	tn := mustDefaultTenant(t, e)
	st := e.srv.App.Stores.Control()
	if rows, err := st.SAMLSessions().FindBySP(ctx, tn, soap.id, "jane@example.org", nil); err != nil || len(rows) != 0 {
		t.Errorf("SOAP participant kept: %+v %v", rows, err)
	}
	if rows, err := st.SAMLSessions().FindBySP(ctx, tn, front.id, "jane@example.org", nil); err != nil || len(rows) != 1 {
		t.Errorf("front-channel participant: %+v %v", rows, err)
	}

	resp, body := newBrowser(t).get(e.srv.URL + "/metrics")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `gatehouse_saml_messages_total{kind="slo_soap",outcome="delivered"} 1`) ||
		!strings.Contains(body, `gatehouse_saml_messages_total{kind="slo_soap",outcome="queued"} 1`) {
		t.Errorf("metrics:\n%s", grepLines(body, "gatehouse_saml"))
	}
}

// SPs that answer the SOAP LogoutRequest wrongly: each is recorded as
// failed (an answer that is refused is not retried) with why, or, when it
// is down or redirects, retried; the others are logged out all the same,
// and the revocation itself succeeds.
func TestSOAPLogoutRefusedAnswers(t *testing.T) {
	e := newSSOEnv(t, nil)
	writeXML := func(status int, body string) soapAnswer {
		return func(_ *testing.T, _ *soapSP, w http.ResponseWriter, _ *crewjam.LogoutRequest) {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}
	}
	success := crewjam.Status{StatusCode: crewjam.StatusCode{Value: crewjam.StatusSuccess}}
	signedBy := func(edit func(sp *crewjam.ServiceProvider), inResponseTo func(req *crewjam.LogoutRequest) string, status crewjam.Status) soapAnswer {
		return func(t *testing.T, s *soapSP, w http.ResponseWriter, req *crewjam.LogoutRequest) {
			sp := s.mw.ServiceProvider
			edit(&sp)
			resp, err := sp.MakeSOAPLogoutResponse(inResponseTo(req), status)
			if err != nil {
				t.Error(err)
				return
			}
			_ = crewjam.WriteSOAPLogoutResponse(w, resp)
		}
	}
	same := func(*crewjam.ServiceProvider) {}
	its := func(req *crewjam.LogoutRequest) string { return req.ID }
	cases := []struct {
		name   string
		answer soapAnswer
		status string
		err    string
	}{
		{"garbage", writeXML(http.StatusOK, "<<<not xml"), store.DeliveryFailed, "not XML"},
		{"html", writeXML(http.StatusOK, "<html><body>hi</body></html>"), store.DeliveryFailed, "not a SOAP 1.1 envelope"},
		{"dtd", writeXML(http.StatusOK, `<!DOCTYPE x [<!ENTITY a "b">]><x/>`), store.DeliveryFailed, "DTD"},
		{"huge", writeXML(http.StatusOK, strings.Repeat("x", 70<<10)), store.DeliveryFailed, "larger than"},
		{"fault", func(_ *testing.T, _ *soapSP, w http.ResponseWriter, _ *crewjam.LogoutRequest) {
			_ = crewjam.WriteSOAPFault(w, "no such session")
		}, store.DeliveryFailed, "SOAP fault"},
		{"wrong InResponseTo", signedBy(same, func(*crewjam.LogoutRequest) string { return "_another" }, success),
			store.DeliveryFailed, "InResponseTo"},
		{"forged signature", signedBy(func(sp *crewjam.ServiceProvider) { sp.Key, sp.Certificate = spCreds(t) }, its, success),
			store.DeliveryFailed, "signature"},
		{"unsigned", signedBy(func(sp *crewjam.ServiceProvider) { sp.Key = nil }, its, success),
			store.DeliveryFailed, "not signed"},
		{"another issuer", signedBy(func(sp *crewjam.ServiceProvider) { sp.EntityID = "https://evil.example/sp" }, its, success),
			store.DeliveryFailed, "Issuer"},
		{"partial logout", signedBy(same, its, crewjam.Status{StatusCode: crewjam.StatusCode{Value: crewjam.StatusResponder}}),
			store.DeliveryFailed, "status"},
		{"down", writeXML(http.StatusServiceUnavailable, ""), store.DeliveryPending, "HTTP 503"},
		{"redirect", func(_ *testing.T, _ *soapSP, w http.ResponseWriter, _ *crewjam.LogoutRequest) {
			w.Header().Set("Location", "http://127.0.0.1:9/elsewhere")
			w.WriteHeader(http.StatusTemporaryRedirect)
		}, store.DeliveryPending, "HTTP 307"},
	}
	sps := make([]*soapSP, len(cases))
	b := newBrowser(t)
	for i, c := range cases {
		sps[i] = newSOAPSP(t, e, c.answer)
		e.signInAt(b, sps[i].testSP)
	}
	good := newSOAPSP(t, e, nil)
	e.signInAt(b, good.testSP)

	ctx := context.Background()
	r, err := e.srv.Admin.RevokeUserSessionsWithResponse(ctx, e.userID)
	if err != nil || r.StatusCode() != http.StatusNoContent {
		t.Fatalf("revoke: %v %d", err, r.StatusCode())
	}
	sid, _ := waitForSLOEvent(t, e, "delivered").Data["session_id"].(string)
	tn := mustDefaultTenant(t, e)
	// Wait until every delivery has been attempted.
	var ds []store.SAMLLogoutDelivery
	for range 200 {
		ds, err = e.srv.App.Stores.Control().Logouts().SAMLDeliveries(ctx, tn, sid)
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, d := range ds {
			if d.Attempts > 0 && d.LeaseToken == "" {
				done++
			}
		}
		if done == len(cases)+1 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	bySP := map[string]store.SAMLLogoutDelivery{}
	for _, d := range ds {
		bySP[d.SPID] = d
	}
	for i, c := range cases {
		d, ok := bySP[sps[i].id]
		if !ok || d.Status != c.status || !strings.Contains(d.LastError, c.err) {
			t.Errorf("%s: delivery %+v, want %s with %q", c.name, d, c.status, c.err)
		}
	}
	if d := bySP[good.id]; d.Status != store.DeliveryDelivered {
		t.Errorf("the well-behaved SP: %+v", d)
	}
	failed := 0
	for _, it := range sloEvents(t, e) {
		if it.Data["outcome"] == "failed" {
			failed++
		}
	}
	if want := len(cases) - 2; failed != want {
		t.Errorf("%d failed saml.slo events, want %d", failed, want)
	}
	// Gatehouse still answers, and the user can sign in again.
	e.signInAt(newBrowser(t), good.testSP)
}

func sloEvents(t *testing.T, e *ssoEnv) []gen.Event {
	t.Helper()
	ev, err := e.srv.Admin.ListEventsWithResponse(context.Background(), &gen.ListEventsParams{Type: ptr("saml.slo")})
	if err != nil || ev.JSON200 == nil {
		t.Fatalf("events: %v", err)
	}
	return ev.JSON200.Items
}

// waitForSLOEvent waits for the logout outbox's worker to record a
// saml.slo event with the outcome.
func waitForSLOEvent(t *testing.T, e *ssoEnv, outcome string) gen.Event {
	t.Helper()
	for range 400 {
		for _, it := range sloEvents(t, e) {
			if it.Data["outcome"] == outcome {
				return it
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no saml.slo event with outcome %s: %+v", outcome, sloEvents(t, e))
	return gen.Event{}
}

// A browser logout (end_session) cannot take an SP without a
// front-channel SingleLogoutService along; when it has a SOAP one, it is
// reached server to server while the browser logs the others out.
func TestEndSessionReachesSOAPOnlySP(t *testing.T) {
	e := newSSOEnv(t, nil)
	front := &testSP{srv: e.sp, url: e.sp.URL, mw: e.mw, id: e.spID}
	soapOnly := newSOAPSPWith(t, e, nil, true)
	got, err := e.srv.Admin.GetSamlServiceProviderWithResponse(context.Background(), soapOnly.id)
	if err != nil || got.JSON200 == nil || got.JSON200.SoapSloURL.MustGet() != soapOnly.soapURL {
		t.Fatalf("soap_slo_url: %v %s", err, got.Body)
	}
	if slo, _ := got.JSON200.SloURL.Get(); slo != "" {
		t.Fatalf("the SOAP-only SP has a front-channel SLO URL %q", slo)
	}
	b := newBrowser(t)
	e.signInAt(b, front)
	e.signInAt(b, soapOnly.testSP)
	index := soapOnly.sessionIndex(t, b)

	resp, body := b.get(e.srv.URL + "/end_session")
	next := resp.Header.Get("Location")
	if resp.StatusCode/100 != 3 || !strings.HasPrefix(next, e.srv.URL+"/saml/slo/end?ticket=") {
		t.Fatalf("end_session: %d %s %s", resp.StatusCode, next, body)
	}
	sawFront := false
	for range 8 {
		resp, body = b.get(next)
		next = resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("logout chain stopped: %d %s", resp.StatusCode, body)
		}
		if strings.HasPrefix(next, front.url+"/saml/slo?SAMLRequest=") {
			sawFront = true
		}
		if strings.HasPrefix(next, soapOnly.url) {
			t.Fatalf("the browser was sent to the SOAP-only SP: %s", next)
		}
		if strings.HasSuffix(next, "/login/logged-out") {
			break
		}
	}
	if !sawFront || !strings.HasSuffix(next, "/login/logged-out") {
		t.Fatalf("logout chain ended at %s (front-channel SP reached: %v)", next, sawFront)
	}
	ev := waitForSLOEvent(t, e, "delivered")
	if ev.Data["sp_id"] != soapOnly.id || ev.Data["binding"] != "soap" {
		t.Errorf("delivered event: %+v", ev)
	}
	reqs, invalid := soapOnly.got()
	if len(reqs) != 1 || len(invalid) != 0 || reqs[0].SessionIndex == nil || reqs[0].SessionIndex.Value != index {
		t.Fatalf("SOAP-only SP got %d valid LogoutRequests (%v invalid)", len(reqs), invalid)
	}
	if got := e.participants(e.userID); len(got) != 0 {
		t.Errorf("participants after end_session: %+v", got)
	}
}
