package samlidp

import (
	"context"
	"encoding/base64"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
)

// Second-level status codes of a Response that carries no assertion.
const (
	StatusNoPassive    = "urn:oasis:names:tc:SAML:2.0:status:NoPassive"
	StatusAuthnFailed  = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
	StatusNoAuthnCtx   = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext"
	statusResponderTop = saml.StatusResponder
)

// BuildStatusResponse builds a signed Response without an assertion that
// tells the SP why none was issued (sub: StatusNoPassive, …), for a
// request already validated (r.ACSURL registered for r.SP).
func (s *Service) BuildStatusResponse(ctx context.Context, t Tenant, r ResponseRequest, sub string) (*Response, error) {
	if r.SP == nil || CheckEndpointURL(r.ACSURL) != nil || !contains(r.SP.ACSURLs, r.ACSURL) {
		return nil, ErrUnknownACS
	}
	set, err := s.Keys.SAML(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	resp := &saml.Response{
		ID: newID(), InResponseTo: r.InResponseTo, Version: "2.0", IssueInstant: s.now().UTC(), Destination: r.ACSURL,
		Issuer: &saml.Issuer{Format: "urn:oasis:names:tc:SAML:2.0:nameid-format:entity", Value: t.EntityID()},
		Status: saml.Status{StatusCode: saml.StatusCode{Value: statusResponderTop, StatusCode: &saml.StatusCode{Value: sub}}},
	}
	sc, err := signingContext(set.Active)
	if err != nil {
		return nil, err
	}
	signed, err := signAfterIssuer(sc, resp.Element())
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.SetRoot(signed)
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	return &Response{ACSURL: r.ACSURL, RelayState: r.RelayState, XML: b, SAMLResponse: base64.StdEncoding.EncodeToString(b)}, nil
}
