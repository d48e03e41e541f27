package samlidp

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/xmlenc"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Validity of an assertion around the moment it is issued.
const (
	// assertionSkew back-dates NotBefore for service providers whose
	// clocks run behind.
	assertionSkew = time.Minute
	// assertionLifetime is how long the SP may accept the assertion
	// (Conditions and SubjectConfirmationData NotOnOrAfter).
	assertionLifetime = 5 * time.Minute
)

// Subject is who signed in and how: the input of a Response.
type Subject struct {
	User *identity.User
	// AMR are the RFC 8176 methods the sign-in used ("pwd", "otp", "hwk",
	// "user", …): they choose the AuthnContextClassRef.
	AMR []string
	// AuthTime is when the user authenticated (AuthnInstant).
	AuthTime time.Time
	// SessionID is the Gatehouse session; the SessionIndex is derived
	// from it (not equal to it).
	SessionID string
}

// Response is a built SAML Response, ready for an HTTP-POST to the ACS.
type Response struct {
	ACSURL     string
	RelayState string
	// XML is the Response document; SAMLResponse its base64, the form
	// field.
	XML          []byte
	SAMLResponse string
	// NameID, its format URI and the SessionIndex the assertion carried
	// (empty for a Response without one): single logout matches them.
	NameID, NameIDFormat, SessionIndex string
}

// ResponseRequest says what to answer: the service provider, the ACS URL
// (one registered for it), the request answered (InResponseTo; "" for an
// unsolicited, IdP-initiated Response) and the RelayState to return.
type ResponseRequest struct {
	SP           *store.SAMLServiceProvider
	ACSURL       string
	InResponseTo string
	RelayState   string
}

// ErrNoEmail: the NameID format is emailAddress and the user has no email.
var ErrNoEmail = errors.New("samlidp: the user has no email address for an emailAddress NameID")

// BuildResponse builds and signs (RSA-SHA256, exclusive c14n) a Response
// carrying one Assertion about sub for r.SP: the Response and/or the
// Assertion signed as the SP is configured, the Assertion encrypted to
// its certificate when asked (RSA-OAEP, AES-256-GCM).
func (s *Service) BuildResponse(ctx context.Context, t Tenant, r ResponseRequest, sub Subject) (*Response, error) {
	sp := r.SP
	if sp == nil || sub.User == nil {
		return nil, errors.New("samlidp: a service provider and a user are required")
	}
	if CheckEndpointURL(r.ACSURL) != nil || !contains(sp.ACSURLs, r.ACSURL) {
		return nil, ErrUnknownACS
	}
	set, err := s.Keys.SAML(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	a, err := s.assertion(t, r, sub, now)
	if err != nil {
		return nil, err
	}
	sc, err := signingContext(set.Active)
	if err != nil {
		return nil, err
	}
	assertionEl := a.Element()
	if sp.SignAssertion {
		if assertionEl, err = signAfterIssuer(sc, assertionEl); err != nil {
			return nil, err
		}
	}
	if sp.EncryptAssertion {
		if assertionEl, err = encryptAssertion(assertionEl, sp.EncryptionCert); err != nil {
			return nil, err
		}
	}
	resp := &saml.Response{
		ID: newID(), InResponseTo: r.InResponseTo, Version: "2.0", IssueInstant: now, Destination: r.ACSURL,
		Issuer: &saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: t.EntityID()},
		Status: saml.Status{StatusCode: saml.StatusCode{Value: saml.StatusSuccess}},
	}
	respEl := resp.Element()
	respEl.AddChild(assertionEl)
	if sp.SignResponse {
		if respEl, err = signAfterIssuer(sc, respEl); err != nil {
			return nil, err
		}
	}
	doc := etree.NewDocument()
	doc.SetRoot(respEl)
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	return &Response{ACSURL: r.ACSURL, RelayState: r.RelayState, XML: b, SAMLResponse: base64.StdEncoding.EncodeToString(b),
		NameID: a.Subject.NameID.Value, NameIDFormat: a.Subject.NameID.Format, SessionIndex: a.AuthnStatements[0].SessionIndex}, nil
}

func (s *Service) assertion(t Tenant, r ResponseRequest, sub Subject, now time.Time) (*saml.Assertion, error) {
	sp, u := r.SP, sub.User
	nameID, err := nameIDFor(t, sp, u)
	if err != nil {
		return nil, err
	}
	until := now.Add(assertionLifetime)
	sessionUntil := now.Add(sp.SessionLifetime)
	authTime := sub.AuthTime.UTC()
	if authTime.IsZero() || authTime.After(now) {
		authTime = now
	}
	return &saml.Assertion{
		ID: newID(), IssueInstant: now, Version: "2.0",
		Issuer: saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: t.EntityID()},
		Subject: &saml.Subject{
			NameID: nameID,
			SubjectConfirmations: []saml.SubjectConfirmation{{
				Method: "urn:oasis:names:tc:SAML:2.0:cm:bearer",
				SubjectConfirmationData: &saml.SubjectConfirmationData{
					InResponseTo: r.InResponseTo, NotOnOrAfter: until, Recipient: r.ACSURL,
				},
			}},
		},
		Conditions: &saml.Conditions{
			NotBefore: now.Add(-assertionSkew), NotOnOrAfter: until,
			AudienceRestrictions: []saml.AudienceRestriction{{Audience: saml.Audience{Value: sp.EntityID}}},
		},
		AuthnStatements: []saml.AuthnStatement{{
			AuthnInstant: authTime, SessionIndex: sessionIndex(t, sp, sub.SessionID), SessionNotOnOrAfter: &sessionUntil,
			AuthnContext: saml.AuthnContext{AuthnContextClassRef: &saml.AuthnContextClassRef{Value: ClassRef(sub.AMR)}},
		}},
		AttributeStatements: attributeStatements(sp, u),
	}, nil
}

// nameIDFor is the user's NameID in the SP's format: the email, a
// pairwise opaque ID (persistent: the same for this user and SP, another
// for other SPs), a fresh random ID (transient) or the user ID
// (unspecified).
func nameIDFor(t Tenant, sp *store.SAMLServiceProvider, u *identity.User) (*saml.NameID, error) {
	format, _ := nameIDURI(sp.NameIDFormat)
	n := &saml.NameID{Format: string(format)}
	switch sp.NameIDFormat {
	case store.NameIDEmail:
		if u.Email == "" {
			return nil, ErrNoEmail
		}
		n.Value = u.Email
	case store.NameIDPersistent:
		sum := sha256.Sum256([]byte("gatehouse-saml-persistent\x00" + t.ID + "\x00" + sp.EntityID + "\x00" + u.ID))
		n.Value = base64.RawURLEncoding.EncodeToString(sum[:])
		n.NameQualifier, n.SPNameQualifier = t.EntityID(), sp.EntityID
	case store.NameIDTransient:
		n.Value = newID()
		n.NameQualifier, n.SPNameQualifier = t.EntityID(), sp.EntityID
	default:
		n.Value = u.ID
	}
	return n, nil
}

// sessionIndex names the Gatehouse session to the SP without revealing
// its ID (SLO will match it back).
func sessionIndex(t Tenant, sp *store.SAMLServiceProvider, sessionID string) string {
	if sessionID == "" {
		return newID()
	}
	sum := sha256.Sum256([]byte("gatehouse-saml-session\x00" + t.ID + "\x00" + sp.ID + "\x00" + sessionID))
	return "_" + hex.EncodeToString(sum[:20])
}

// attributeStatements asserts the SP's attribute mapping, in name order;
// an unset field is left out, a list becomes several values.
func attributeStatements(sp *store.SAMLServiceProvider, u *identity.User) []saml.AttributeStatement {
	names := make([]string, 0, len(sp.Attributes))
	for name := range sp.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	var attrs []saml.Attribute
	for _, name := range names {
		values := userValues(u, sp.Attributes[name])
		if len(values) == 0 {
			continue
		}
		a := saml.Attribute{Name: name, NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"}
		if strings.Contains(name, ":") {
			a.NameFormat = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
		}
		for _, v := range values {
			a.Values = append(a.Values, saml.AttributeValue{Type: "xs:string", Value: v})
		}
		attrs = append(attrs, a)
	}
	if len(attrs) == 0 {
		return nil
	}
	return []saml.AttributeStatement{{Attributes: attrs}}
}

// userValues reads a user field, or else a custom attribute.
func userValues(u *identity.User, field string) []string {
	p := u.Profile
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	switch field {
	case "sub":
		return one(u.ID)
	case "email":
		return one(u.Email)
	case "email_verified":
		return []string{fmt.Sprint(u.EmailVerified)}
	case "username":
		return one(u.Username)
	case "phone_number":
		return one(u.Phone)
	case "name":
		return one(p.Name)
	case "given_name":
		return one(p.GivenName)
	case "family_name":
		return one(p.FamilyName)
	case "middle_name":
		return one(p.MiddleName)
	case "nickname":
		return one(p.Nickname)
	case "locale":
		return one(p.Locale)
	case "zoneinfo":
		return one(p.Zoneinfo)
	case "picture":
		return one(p.Picture)
	case "website":
		return one(p.Website)
	case "birthdate":
		return one(p.Birthdate)
	case "gender":
		return one(p.Gender)
	}
	switch v := u.Attributes[field].(type) {
	case nil:
		return nil
	case string:
		return one(v)
	case []any:
		var out []string
		for _, x := range v {
			if x != nil {
				out = append(out, fmt.Sprint(x))
			}
		}
		return out
	case map[string]any:
		return nil // objects have no SAML form
	default:
		return []string{fmt.Sprint(v)}
	}
}

// signingContext signs with the tenant's active SAML key: RSA-SHA256,
// exclusive canonicalisation, the certificate in KeyInfo.
// signer is the signing context of the tenant's active SAML key.
func (s *Service) signer(ctx context.Context, tenantID string) (*dsig.SigningContext, error) {
	set, err := s.Keys.SAML(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return signingContext(set.Active)
}

func signingContext(c *keys.SAMLCert) (*dsig.SigningContext, error) {
	ks := dsig.TLSCertKeyStore(tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert})
	sc := dsig.NewDefaultSigningContext(ks)
	sc.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := sc.SetSignatureMethod(dsig.RSASHA256SignatureMethod); err != nil {
		return nil, err
	}
	return sc, nil
}

// signAfterIssuer signs el (enveloped) and moves the Signature, which
// goxmldsig appends, to just after the Issuer, where the SAML schema wants
// it. The enveloped-signature transform leaves the Signature out wherever
// it is, so the move does not change the digest; it saves serialising the
// element again from its struct.
func signAfterIssuer(sc *dsig.SigningContext, el *etree.Element) (*etree.Element, error) {
	signed, err := sc.SignEnveloped(el)
	if err != nil {
		return nil, err
	}
	last := len(signed.Child) - 1
	sig, ok := signed.Child[last].(*etree.Element)
	if !ok || sig.Tag != "Signature" {
		return nil, errors.New("samlidp: the signature is not the signed element's last child")
	}
	signed.RemoveChildAt(last)
	at := 0
	for i, c := range signed.Child {
		if e, ok := c.(*etree.Element); ok && e.Tag == "Issuer" {
			at = i + 1
			break
		}
	}
	signed.InsertChildAt(at, sig)
	return signed, nil
}

// encryptAssertion wraps a (signed) assertion in an EncryptedAssertion for
// the SP's certificate.
func encryptAssertion(el *etree.Element, certPEM string) (*etree.Element, error) {
	cert, err := ParseCertificate(certPEM)
	if err != nil {
		return nil, fmt.Errorf("samlidp: the service provider's encryption certificate: %w", err)
	}
	doc := etree.NewDocument()
	doc.SetRoot(el)
	plain, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	enc := xmlenc.OAEP()
	enc.BlockCipher = xmlenc.AES256GCM
	data, err := enc.Encrypt(cert, plain, nil)
	if err != nil {
		return nil, err
	}
	data.CreateAttr("Type", "http://www.w3.org/2001/04/xmlenc#Element")
	out := etree.NewElement("saml:EncryptedAssertion")
	out.AddChild(data)
	return out, nil
}

// newID is an XML ID: a letter first, then 160 random bits.
func newID() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return "_" + hex.EncodeToString(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
