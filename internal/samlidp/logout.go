package samlidp

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// ErrLogout: a LogoutRequest that cannot be answered (malformed, from an
// unknown SP, unsigned or badly signed, stale, or from an SP without a
// SingleLogoutService). The SLO page shows it; nothing is sent to the SP.
var ErrLogout = errors.New("samlidp: LogoutRequest refused")

// LogoutRequest is a validated, signed LogoutRequest from a registered SP.
type LogoutRequest struct {
	SP  *store.SAMLServiceProvider
	req *saml.IdpLogoutRequest
}

// ParseLogoutRequest decodes and validates a LogoutRequest received with
// the HTTP-Redirect (GET) or HTTP-POST binding: a registered issuer with a
// SingleLogoutService, a signature by one of its certificates (always
// required: an unsigned request would let any page sign a user out), a
// fresh IssueInstant and this IdP's SLO URL as Destination. Its ID is
// accepted once (ErrLogoutReplayed, on every node: replay.go). r's body
// must already be size-limited.
func (s *Service) ParseLogoutRequest(ctx context.Context, t Tenant, r *http.Request) (*LogoutRequest, error) {
	if len(r.URL.RawQuery) > MaxEncodedRequest {
		return nil, fmt.Errorf("%w: too large", ErrLogout)
	}
	idp, err := s.idp(ctx, t)
	if err != nil {
		return nil, err
	}
	found := &spProvider{t: t}
	idp.ServiceProviderProvider = found
	idp.LogoutBindings = []string{saml.HTTPRedirectBinding, saml.HTTPPostBinding}
	idp.ReplayCache = spReplay{ctx: ctx, s: s, t: t, found: found}
	// crewjam checks the Destination against the request's URL path: give
	// it the SLO URL the SP was told.
	rr := r.Clone(ctx)
	rr.URL.Path = SLOPath
	req, err := saml.NewIdpLogoutRequest(idp, rr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrLogout, err)
	}
	if len(req.RequestBuffer) > MaxRequestXML || hasDTD(req.RequestBuffer) {
		return nil, fmt.Errorf("%w: too large or a DTD", ErrLogout)
	}
	if len(req.RelayState) > MaxRelayState {
		return nil, fmt.Errorf("%w: RelayState too long", ErrLogout)
	}
	if err := req.Validate(); err != nil {
		var le *lookupError
		if errors.As(err, &le) {
			return nil, le
		}
		if errors.Is(err, saml.ErrAssertionReplayed) {
			return nil, ErrLogoutReplayed
		}
		return nil, fmt.Errorf("%w: %v", ErrLogout, err)
	}
	sp := found.sp
	if sp == nil || sp.SLOURL == "" || req.SLOEndpoint == nil || CheckEndpointURL(req.SLOEndpoint.Location) != nil {
		return nil, fmt.Errorf("%w: no SingleLogoutService", ErrLogout)
	}
	return &LogoutRequest{SP: sp, req: req}, nil
}

// PostBinding reports whether the LogoutResponse goes back by HTTP-POST
// (else WriteSuccess redirects).
func (l *LogoutRequest) PostBinding() bool { return l.req.SLOEndpoint.Binding == saml.HTTPPostBinding }

// SuccessPost builds the signed LogoutResponse (Success) for the
// HTTP-POST binding: the SLO URL, the SAMLResponse field, the RelayState.
func (s *Service) SuccessPost(ctx context.Context, t Tenant, l *LogoutRequest) (*Response, error) {
	sc, err := s.signer(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	resp := l.req.MakeLogoutResponse(saml.StatusSuccess)
	signed, err := sc.SignEnveloped(resp.Element())
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	doc.SetRoot(signed)
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	return &Response{ACSURL: resp.Destination, RelayState: l.req.RelayState, XML: b, SAMLResponse: base64.StdEncoding.EncodeToString(b)}, nil
}

// WriteSuccess answers the request with a signed LogoutResponse
// (Success) at the SP's SingleLogoutService, with its binding.
func (l *LogoutRequest) WriteSuccess(w http.ResponseWriter) error {
	return l.req.WriteLogoutResponse(w, l.req.MakeLogoutResponse(saml.StatusSuccess))
}
