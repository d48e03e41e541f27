package samlidp

import (
	"context"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Back-channel single logout over the SAML SOAP binding (saml-bindings
// §3.2, saml-profiles §4.4.3.3): when a session ends without its browser,
// each service provider it signed into that declares a SOAP
// SingleLogoutService (SAMLServiceProvider.SOAPSLOURL) is sent a signed
// LogoutRequest server to server, through the logout outbox
// (internal/backchannel), and answers with a LogoutResponse in the HTTP
// response. Browser single logout (logout.go) never uses SOAP.

// SOAP 1.1 (the SAML SOAP binding's version).
const (
	soapEnvNS = "http://schemas.xmlsoap.org/soap/envelope/"
	// SOAPAction is the header a SAML SOAP request carries
	// (saml-bindings §3.2.3.3).
	SOAPAction = "http://www.oasis-open.org/committees/security"
	// SOAPContentType is a SOAP 1.1 message's media type.
	SOAPContentType = "text/xml; charset=utf-8"
	// MaxSOAPResponse bounds the LogoutResponse read from a service
	// provider; a larger answer is refused without being parsed.
	MaxSOAPResponse = 64 << 10
	// soapLogoutLifetime is the LogoutRequest's NotOnOrAfter, from its
	// IssueInstant; each attempt signs a fresh one.
	soapLogoutLifetime = 2 * time.Minute
)

// ErrSOAPLogout: a service provider's answer to a SOAP LogoutRequest is
// not a valid, successful LogoutResponse to it (a SOAP fault, garbage, the
// wrong InResponseTo or Issuer, a bad signature, a status other than
// Success). The logout of that SP failed; asking again would not help.
var ErrSOAPLogout = errors.New("samlidp: LogoutResponse refused")

// SOAPLogout is a signed LogoutRequest for a service provider's SOAP
// SingleLogoutService: POST Envelope to URL with SOAPContentType and
// SOAPAction, then Check the answer's body.
type SOAPLogout struct {
	URL       string
	RequestID string
	Envelope  []byte

	sp     *store.SAMLServiceProvider
	t      Tenant
	issued time.Time
}

// SOAPLogoutRequest signs the LogoutRequest that tells sp that the
// session of d ended: the NameID (with its format and qualifiers) and
// SessionIndex the SP was sent, this IdP as Issuer, the SP's SOAP URL as
// Destination, a fresh ID (the delivery's, with the attempt number),
// IssueInstant and NotOnOrAfter.
func (s *Service) SOAPLogoutRequest(ctx context.Context, t Tenant, sp *store.SAMLServiceProvider, d *store.SAMLLogoutDelivery) (*SOAPLogout, error) {
	if sp.SOAPSLOURL == "" {
		return nil, errors.New("samlidp: the service provider has no SOAP SingleLogoutService")
	}
	if err := CheckEndpointURL(sp.SOAPSLOURL); err != nil {
		return nil, fmt.Errorf("samlidp: SOAP SingleLogoutService: %w", err)
	}
	sc, err := s.signer(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	until := now.Add(soapLogoutLifetime)
	nameID := participantNameID(t, sp, store.SAMLSession{NameID: d.NameID, NameIDFormat: d.NameIDFormat})
	lr := &saml.LogoutRequest{ID: fmt.Sprintf("_%s.%d", d.ID, d.Attempts), Version: "2.0", IssueInstant: now,
		NotOnOrAfter: &until, Destination: sp.SOAPSLOURL,
		Issuer: &saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: t.EntityID()},
		NameID: &nameID}
	if d.SessionIndex != "" {
		lr.SessionIndex = &saml.SessionIndex{Value: d.SessionIndex}
	}
	signed, err := signAfterIssuer(sc, lr.Element())
	if err != nil {
		return nil, err
	}
	env := etree.NewElement("soap11:Envelope")
	env.CreateAttr("xmlns:soap11", soapEnvNS)
	env.CreateElement("soap11:Body").AddChild(signed)
	doc := etree.NewDocument()
	doc.SetRoot(env)
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	return &SOAPLogout{URL: sp.SOAPSLOURL, RequestID: lr.ID, Envelope: b, sp: sp, t: t, issued: now}, nil
}

// Check validates the service provider's answer (the HTTP response body)
// to the LogoutRequest: at most MaxSOAPResponse bytes without a DTD, a
// SOAP 1.1 envelope whose body is a LogoutResponse (a SOAP fault is
// reported with its faultstring); signed by one of the SP's signing
// certificates when it has any (and then read from what the signature
// covers); its Issuer the SP's entity ID, its InResponseTo the request's
// ID, its IssueInstant fresh, its Destination (if any) this IdP; and its
// status Success. Errors wrap ErrSOAPLogout.
func (l *SOAPLogout) Check(body []byte) error {
	if err := l.check(body); err != nil {
		return fmt.Errorf("%w: %v", ErrSOAPLogout, err)
	}
	return nil
}

func (l *SOAPLogout) check(body []byte) error {
	if len(body) > MaxSOAPResponse {
		return fmt.Errorf("larger than %d bytes", MaxSOAPResponse)
	}
	if hasDTD(body) {
		return errors.New("a DTD or entity declaration")
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil {
		return errors.New("not XML")
	}
	env := doc.Root()
	if env == nil || env.Tag != "Envelope" || env.NamespaceURI() != soapEnvNS {
		return errors.New("not a SOAP 1.1 envelope")
	}
	var bodyEl *etree.Element
	for _, c := range env.ChildElements() {
		if c.Tag == "Body" && c.NamespaceURI() == soapEnvNS {
			if bodyEl != nil {
				return errors.New("two SOAP bodies")
			}
			bodyEl = c
		}
	}
	if bodyEl == nil || len(bodyEl.ChildElements()) != 1 {
		return errors.New("the SOAP body must hold one element")
	}
	el := bodyEl.ChildElements()[0]
	if el.Tag == "Fault" && el.NamespaceURI() == soapEnvNS {
		msg := ""
		if fs := el.SelectElement("faultstring"); fs != nil {
			msg = fs.Text()
		}
		return fmt.Errorf("SOAP fault %q", truncate(msg, 200))
	}
	if el.Tag != "LogoutResponse" || el.NamespaceURI() != "urn:oasis:names:tc:SAML:2.0:protocol" {
		return fmt.Errorf("a %s, not a LogoutResponse", truncate(el.Tag, 100))
	}
	// Detached, with the namespaces declared on the envelope (lasso
	// declares samlp there) copied onto it.
	nsCtx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return errors.New("malformed LogoutResponse")
	}
	if el, err = etreeutils.NSDetatch(nsCtx, el); err != nil {
		return errors.New("malformed LogoutResponse")
	}
	if len(l.sp.SigningCerts) > 0 {
		if el, err = l.verify(el); err != nil {
			return err
		}
	}
	var resp saml.LogoutResponse
	d := etree.NewDocument()
	d.SetRoot(el)
	b, err := d.WriteToBytes()
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(b, &resp); err != nil { //nolint:gosec // size-limited and DTD-free
		return errors.New("malformed LogoutResponse")
	}
	if resp.Issuer == nil || resp.Issuer.Value != l.sp.EntityID {
		return errors.New("the Issuer is not the service provider")
	}
	if resp.InResponseTo != l.RequestID {
		return errors.New("InResponseTo does not name the LogoutRequest")
	}
	if resp.IssueInstant.Before(l.issued.Add(-saml.MaxClockSkew)) || resp.IssueInstant.After(l.issued.Add(soapLogoutLifetime+saml.MaxClockSkew)) {
		return errors.New("IssueInstant is not fresh")
	}
	switch resp.Destination {
	case "", l.t.EntityID(), l.t.Issuer + SLOPath:
	default:
		return errors.New("the Destination is not this identity provider")
	}
	if resp.Status.StatusCode.Value != saml.StatusSuccess {
		code := resp.Status.StatusCode.Value
		if resp.Status.StatusCode.StatusCode != nil {
			code += " / " + resp.Status.StatusCode.StatusCode.Value
		}
		return fmt.Errorf("status %s", truncate(code, 300))
	}
	return nil
}

// verify checks el's enveloped signature against the SP's signing
// certificates and returns what it covers. SHA-1 signatures are refused.
func (l *SOAPLogout) verify(el *etree.Element) (*etree.Element, error) {
	var roots []*x509.Certificate
	for _, pemCert := range l.sp.SigningCerts {
		c, err := ParseCertificate(pemCert)
		if err != nil {
			return nil, err
		}
		roots = append(roots, c)
	}
	sig := el.FindElement("./Signature")
	if sig == nil || sig.NamespaceURI() != dsig.Namespace {
		return nil, errors.New("the LogoutResponse is not signed")
	}
	if m := sig.FindElement("./SignedInfo/SignatureMethod"); m == nil ||
		m.SelectAttrValue("Algorithm", "") == dsig.RSASHA1SignatureMethod {
		return nil, errors.New("a SHA-1 (or no) signature method")
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: roots})
	vc.Clock = dsig.NewFakeClockAt(l.issued)
	verified, err := vc.Validate(el)
	if err != nil {
		return nil, fmt.Errorf("signature: %v", err)
	}
	return verified, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
