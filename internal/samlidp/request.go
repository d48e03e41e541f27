package samlidp

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Limits on an AuthnRequest. A real one is a few kilobytes.
const (
	// MaxEncodedRequest bounds the SAMLRequest parameter as received
	// (base64, deflated for HTTP-Redirect) and the whole redirect query.
	MaxEncodedRequest = 64 << 10
	// MaxRequestXML bounds the request's XML once decoded and inflated;
	// a DEFLATE bomb is cut off (crewjam stops inflating at 1 MiB) and
	// refused.
	MaxRequestXML = 128 << 10
	// MaxRelayState bounds RelayState (the bindings ask senders for at
	// most 80 bytes; some send URLs).
	MaxRelayState = 2048
)

// Why an AuthnRequest was refused. Each is answered with an error page,
// never by posting to the request's ACS URL.
var (
	ErrMalformed   = errors.New("samlidp: malformed AuthnRequest")
	ErrTooLarge    = errors.New("samlidp: AuthnRequest too large")
	ErrUnknownSP   = errors.New("samlidp: unknown service provider")
	ErrUnknownACS  = errors.New("samlidp: AssertionConsumerServiceURL not registered for the service provider")
	ErrSignature   = errors.New("samlidp: AuthnRequest signature missing or invalid")
	ErrStale       = errors.New("samlidp: AuthnRequest IssueInstant not fresh")
	ErrReplayed    = errors.New("samlidp: AuthnRequest ID already used")
	ErrUnsupported = errors.New("samlidp: unsupported AuthnRequest")
)

// Bindings an AuthnRequest arrives with.
const (
	BindingRedirect = "redirect"
	BindingPOST     = "post"
)

// Message is an AuthnRequest as the browser delivered it.
type Message struct {
	Binding string // BindingRedirect or BindingPOST
	// RawQuery is the HTTP-Redirect query string exactly as received: its
	// signature covers it.
	RawQuery string
	// Form is the HTTP-POST form.
	Form url.Values
	// RemoteAddr is the client's address, if known.
	RemoteAddr string
}

// AuthnRequest is a validated request from a registered service provider.
type AuthnRequest struct {
	SP           *store.SAMLServiceProvider
	ID           string
	IssueInstant time.Time
	// ACSURL is the registered assertion consumer service the Response
	// goes to.
	ACSURL     string
	RelayState string
	ForceAuthn bool
	IsPassive  bool
	// ACRValues are our acr levels the request asked for
	// (RequestedAuthnContext), for a step-up like acr_values; empty when
	// it asked for none we know.
	ACRValues []string
	Signed    bool
}

// ParseAuthnRequest decodes, checks and records an AuthnRequest: size
// limits, no DTD, a registered issuer, a registered ACS URL, a fresh
// IssueInstant, a valid signature when the service provider must sign (or
// did sign), and an ID not used before (recorded until the request could
// no longer be fresh). Errors wrap the Err values above.
func (s *Service) ParseAuthnRequest(ctx context.Context, t Tenant, m Message) (*AuthnRequest, error) {
	r := &http.Request{URL: &url.URL{Path: SSOPath}, Header: http.Header{}, RemoteAddr: m.RemoteAddr}
	r = r.WithContext(ctx)
	switch m.Binding {
	case BindingRedirect:
		if len(m.RawQuery) > MaxEncodedRequest {
			return nil, ErrTooLarge
		}
		r.Method, r.URL.RawQuery = http.MethodGet, m.RawQuery
	case BindingPOST:
		if v := m.Form["SAMLRequest"]; len(v) != 1 {
			return nil, fmt.Errorf("%w: want one SAMLRequest", ErrMalformed)
		} else if len(v[0]) > MaxEncodedRequest {
			return nil, ErrTooLarge
		}
		if len(m.Form["RelayState"]) > 1 {
			return nil, fmt.Errorf("%w: more than one RelayState", ErrMalformed)
		}
		r.Method, r.PostForm, r.Form = http.MethodPost, m.Form, m.Form
	default:
		return nil, ErrUnsupported
	}
	idp, err := s.idp(ctx, t)
	if err != nil {
		return nil, err
	}
	found := &spProvider{t: t}
	idp.ServiceProviderProvider = found
	req, err := saml.NewIdpAuthnRequest(idp, r)
	if err != nil {
		if strings.Contains(err.Error(), "uncompress limit") {
			return nil, fmt.Errorf("%w: inflates too far", ErrTooLarge)
		}
		return nil, classify(err)
	}
	if len(req.RequestBuffer) > MaxRequestXML {
		return nil, fmt.Errorf("%w: %d bytes of XML", ErrTooLarge, len(req.RequestBuffer))
	}
	if hasDTD(req.RequestBuffer) {
		return nil, fmt.Errorf("%w: a DTD or entity declaration", ErrMalformed)
	}
	if len(req.RelayState) > MaxRelayState {
		return nil, fmt.Errorf("%w: RelayState longer than %d bytes", ErrMalformed, MaxRelayState)
	}
	if err := req.Validate(); err != nil {
		return nil, classify(err)
	}
	sp := found.sp
	if sp == nil || req.ACSEndpoint == nil || !slices.Contains(sp.ACSURLs, req.ACSEndpoint.Location) ||
		CheckEndpointURL(req.ACSEndpoint.Location) != nil {
		return nil, ErrUnknownACS // defence in depth: crewjam chose it from our registration
	}
	signed := req.Request.Signature != nil || queryHas(m.RawQuery, "Signature")
	if sp.RequireSignedRequests && !signed {
		return nil, ErrSignature
	}
	ir := req.Request.IssueInstant
	sum := sha256.Sum256([]byte(req.Request.ID))
	if err := t.Store.SAMLRequestIDs().Use(ctx, t.ID, sp.ID, sum[:], ir.Add(saml.MaxIssueDelay+saml.MaxClockSkew), s.now()); err != nil {
		if errors.Is(err, store.ErrReused) {
			return nil, ErrReplayed
		}
		return nil, err
	}
	out := &AuthnRequest{SP: sp, ID: req.Request.ID, IssueInstant: ir, ACSURL: req.ACSEndpoint.Location,
		RelayState: req.RelayState, Signed: signed,
		ForceAuthn: req.Request.ForceAuthn != nil && *req.Request.ForceAuthn,
		IsPassive:  req.Request.IsPassive != nil && *req.Request.IsPassive}
	if rac := req.Request.RequestedAuthnContext; rac != nil {
		out.ACRValues = ACRValues(rac.ClassRefs(), rac.Comparison)
	}
	return out, nil
}

// classify maps crewjam's errors onto ours. A failure to look the service
// provider up (the database) is passed on as it is: not the requester's
// fault.
func classify(err error) error {
	var le *lookupError
	if errors.As(err, &le) {
		return le
	}
	switch {
	case errors.Is(err, saml.ErrUnknownServiceProvider):
		return fmt.Errorf("%w: %v", ErrUnknownSP, err)
	case errors.Is(err, saml.ErrUnknownAssertionConsumerService):
		return fmt.Errorf("%w: %v", ErrUnknownACS, err)
	case errors.Is(err, saml.ErrInvalidSignature), errors.Is(err, saml.ErrUntrustedCertificate),
		errors.Is(err, saml.ErrCertificateNotValidNow):
		return fmt.Errorf("%w: %v", ErrSignature, err)
	case errors.Is(err, saml.ErrExpired), errors.Is(err, saml.ErrNotYetValid):
		return fmt.Errorf("%w: %v", ErrStale, err)
	case errors.Is(err, saml.ErrUnsupported):
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// AuthnContextClassRefs Gatehouse asserts, by acr level.
const (
	ClassPasswordProtectedTransport = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
	ClassUnspecified                = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified"
	ClassMFA                        = "https://refeds.org/profile/mfa"
	ClassPhishingResistant          = factor.ACRPhishingResistantURN
)

// ClassRef is the AuthnContextClassRef that tells the truth about the
// factors a sign-in used (RFC 8176 amr values): phishing-resistant MFA,
// MFA, a password, or unspecified (no password, no second factor).
func ClassRef(amr []string) string {
	switch factor.ACRFor(amr) {
	case factor.ACRPhishingResistant:
		return ClassPhishingResistant
	case factor.ACRMFA:
		return ClassMFA
	}
	if slices.Contains(amr, factor.AMRPassword) {
		return ClassPasswordProtectedTransport
	}
	return ClassUnspecified
}

// ACRValues maps a RequestedAuthnContext onto our acr levels: a request
// for MFA or phishing-resistant classes becomes a step-up like acr_values.
// "exact" and "minimum" (and an absent comparison) ask for at least the
// strongest named level we know; "maximum" and "better" ask for nothing
// more than a sign-in. Unknown classes are ignored.
func ACRValues(classes []string, comparison string) []string {
	if comparison == "maximum" || comparison == "better" {
		return nil
	}
	var out []string
	for _, c := range classes {
		switch c {
		case ClassPhishingResistant, factor.ACRPhishingResistant:
			out = append(out, factor.ACRPhishingResistant)
		case ClassMFA, "http://schemas.microsoft.com/claims/multipleauthn", factor.ACRMFA:
			out = append(out, factor.ACRMFA)
		case ClassPasswordProtectedTransport, "urn:oasis:names:tc:SAML:2.0:ac:classes:Password":
			out = append(out, factor.ACRPassword)
		}
	}
	return out
}

func queryHas(raw, key string) bool {
	q, err := url.ParseQuery(raw)
	return err == nil && q.Has(key)
}
