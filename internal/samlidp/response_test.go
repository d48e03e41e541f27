package samlidp_test

import (
	"context"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// build answers the SP's fresh HTTP-Redirect AuthnRequest for the test user.
func (e *env) build(t testing.TB, s *sp) (*samlidp.Response, string) {
	t.Helper()
	ctx := context.Background()
	q, id := s.redirect(t, "state-1")
	req, err := e.svc.ParseAuthnRequest(ctx, e.tenant, samlidp.Message{Binding: samlidp.BindingRedirect, RawQuery: q})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.svc.BuildResponse(ctx, e.tenant, samlidp.ResponseRequest{SP: req.SP, ACSURL: req.ACSURL,
		InResponseTo: req.ID, RelayState: req.RelayState}, e.subject())
	if err != nil {
		t.Fatal(err)
	}
	return resp, id
}

func attr(a *saml.Assertion, name string) []string {
	var out []string
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			if at.Name == name {
				for _, v := range at.Values {
					out = append(out, v.Value)
				}
			}
		}
	}
	return out
}

// crewjam's ServiceProvider accepts the Response, whichever parts are
// signed and whether or not the assertion is encrypted, and reads the
// NameID, attributes and the authentication context from it.
func TestResponseAcceptedByServiceProvider(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name string
		edit func(*store.SAMLServiceProvider)
	}{
		{"both signed", nil},
		{"response signed", func(r *store.SAMLServiceProvider) { r.SignAssertion = false }},
		{"assertion signed", func(r *store.SAMLServiceProvider) { r.SignResponse = false }},
		{"encrypted", func(r *store.SAMLServiceProvider) { r.EncryptAssertion = true }},
		{"persistent", func(r *store.SAMLServiceProvider) { r.NameIDFormat = store.NameIDPersistent }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := e.newSP(t, strings.ReplaceAll(tc.name, " ", "-"), tc.edit)
			if tc.name == "persistent" {
				s.AuthnNameIDFormat = saml.PersistentNameIDFormat
			}
			resp, id := e.build(t, s)
			if resp.ACSURL != s.AcsURL.String() || resp.RelayState != "state-1" {
				t.Fatalf("posted to %q with RelayState %q", resp.ACSURL, resp.RelayState)
			}
			if got := strings.Contains(string(resp.XML), "EncryptedAssertion"); got != s.reg.EncryptAssertion {
				t.Fatalf("EncryptedAssertion present = %v", got)
			}
			a, err := s.ParseXMLResponse(resp.XML, []string{id}, s.AcsURL)
			if err != nil {
				t.Fatalf("the SP refused the Response: %v\n%s", err, resp.XML)
			}
			nameID := a.Subject.NameID
			switch s.reg.NameIDFormat {
			case store.NameIDEmail:
				if nameID.Value != "jane@example.org" || nameID.Format != string(saml.EmailAddressNameIDFormat) {
					t.Fatalf("NameID %+v", nameID)
				}
			case store.NameIDPersistent:
				if nameID.Value == "" || strings.Contains(nameID.Value, e.user.ID) || nameID.SPNameQualifier != s.EntityID {
					t.Fatalf("persistent NameID %+v", nameID)
				}
				again, _ := e.build(t, s)
				if !strings.Contains(string(again.XML), nameID.Value) {
					t.Fatal("a persistent NameID changed between sign-ins")
				}
			}
			if got := attr(a, "groups"); !slices.Equal(got, []string{"staff", "admins"}) {
				t.Errorf("groups = %v", got)
			}
			if got := attr(a, "givenName"); !slices.Equal(got, []string{"Jane"}) {
				t.Errorf("givenName = %v", got)
			}
			if got := attr(a, "dept"); !slices.Equal(got, []string{"R&D <ops>"}) {
				t.Errorf("dept = %v (escaping)", got)
			}
			as := a.AuthnStatements[0]
			if as.AuthnContext.AuthnContextClassRef.Value != samlidp.ClassMFA || as.SessionIndex == "" ||
				strings.Contains(as.SessionIndex, "sess-1") || as.SessionNotOnOrAfter == nil {
				t.Errorf("AuthnStatement %+v", as)
			}
			sc := a.Subject.SubjectConfirmations[0].SubjectConfirmationData
			if sc.InResponseTo != id || sc.Recipient != s.AcsURL.String() {
				t.Errorf("SubjectConfirmationData %+v", sc)
			}
			if a.Conditions.AudienceRestrictions[0].Audience.Value != s.EntityID {
				t.Errorf("Audience %+v", a.Conditions.AudienceRestrictions)
			}
			var r saml.Response
			if err := xml.Unmarshal(resp.XML, &r); err != nil {
				t.Fatal(err)
			}
			if r.Destination != s.AcsURL.String() || r.InResponseTo != id || r.Issuer.Value != e.tenant.EntityID() {
				t.Errorf("Response %s %s %s", r.Destination, r.InResponseTo, r.Issuer.Value)
			}
		})
	}
}

// The AuthnContextClassRef says which factors were used.
func TestClassRef(t *testing.T) {
	for _, tc := range []struct {
		amr  []string
		want string
	}{
		{[]string{"pwd"}, samlidp.ClassPasswordProtectedTransport},
		{[]string{"pwd", "otp"}, samlidp.ClassMFA},
		{[]string{"pwd", "hwk"}, samlidp.ClassPhishingResistant},
		{[]string{"swk", "user"}, samlidp.ClassPhishingResistant},
		{[]string{"otp"}, samlidp.ClassUnspecified},
		{nil, samlidp.ClassUnspecified},
	} {
		if got := samlidp.ClassRef(tc.amr); got != tc.want {
			t.Errorf("ClassRef(%v) = %s, want %s", tc.amr, got, tc.want)
		}
	}
	if got := samlidp.ACRValues([]string{samlidp.ClassMFA}, "minimum"); !slices.Equal(got, []string{"urn:gatehouse:acr:mfa"}) {
		t.Errorf("ACRValues(mfa) = %v", got)
	}
}

// A Response only goes to a registered ACS URL.
func TestResponseOnlyToRegisteredACS(t *testing.T) {
	e := newEnv(t)
	s := e.newSP(t, "app", nil)
	for _, acs := range []string{"https://evil.example.net/acs", "javascript:alert(1)", ""} {
		_, err := e.svc.BuildResponse(context.Background(), e.tenant,
			samlidp.ResponseRequest{SP: s.reg, ACSURL: acs}, e.subject())
		if err != samlidp.ErrUnknownACS {
			t.Errorf("ACS %q: %v", acs, err)
		}
	}
	u := *e.user
	u.Email = ""
	e.user = &u
	if _, err := e.svc.BuildResponse(context.Background(), e.tenant,
		samlidp.ResponseRequest{SP: s.reg, ACSURL: s.AcsURL.String()}, e.subject()); err != samlidp.ErrNoEmail {
		t.Errorf("no email: %v", err)
	}
}

// The schema puts each Signature right after its element's Issuer
// (saml-schema-protocol and -assertion): some service providers check the
// order. Response and Assertion are both signed by default.
func TestSignatureFollowsIssuer(t *testing.T) {
	e := newEnv(t)
	resp, _ := e.build(t, e.newSP(t, "order", nil))
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(resp.XML); err != nil {
		t.Fatal(err)
	}
	for _, el := range []*etree.Element{doc.Root(), doc.Root().SelectElement("Assertion")} {
		if el == nil {
			t.Fatal("no Assertion")
		}
		kids := el.ChildElements()
		if len(kids) < 2 || kids[0].Tag != "Issuer" || kids[1].Tag != "Signature" {
			var tags []string
			for _, k := range kids {
				tags = append(tags, k.Tag)
			}
			t.Errorf("%s children: %v", el.Tag, tags)
		}
	}
}
