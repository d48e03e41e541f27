package samlidp

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Single-logout messages are accepted once. A LogoutRequest's ID, and the
// InResponseTo of a LogoutResponse an SP sent during a propagated logout,
// are recorded in the table that records the AuthnRequest IDs
// (store.SAMLRequestIDRepo: per SP, hashed, in the database, so on every
// node), under their own hash domains ("LogoutRequest:" and
// "LogoutResponse:" before the ID), until the message could no longer be
// accepted. A second use is refused (ErrLogoutReplayed) and changes
// nothing.

// ErrLogoutReplayed: a LogoutRequest whose ID, or a LogoutResponse whose
// InResponseTo, was already accepted. It is an ErrLogout.
var ErrLogoutReplayed = fmt.Errorf("%w: already used", ErrLogout)

// spReplay is crewjam's ReplayCache for the LogoutRequests of the SP that
// ParseLogoutRequest finds (crewjam looks the SP up before it records the
// ID). Store failures are passed on as lookupErrors, not as a refusal.
type spReplay struct {
	ctx   context.Context
	s     *Service
	t     Tenant
	found *spProvider
}

func (c spReplay) Consume(key string, expiresAt time.Time) error {
	if c.found.sp == nil {
		return errors.New("samlidp: no service provider to record the message for")
	}
	err := c.s.useMessageID(c.ctx, c.t, c.found.sp.ID, key, expiresAt)
	if errors.Is(err, ErrLogoutReplayed) {
		return saml.ErrAssertionReplayed
	}
	if err != nil {
		return &lookupError{err}
	}
	return nil
}

// useMessageID records key (a message ID with its hash domain) for the
// SP until expiresAt; ErrLogoutReplayed if it was recorded before.
func (s *Service) useMessageID(ctx context.Context, t Tenant, spID, key string, expiresAt time.Time) error {
	sum := sha256.Sum256([]byte(key))
	err := t.Store.SAMLRequestIDs().Use(ctx, t.ID, spID, sum[:], expiresAt, s.now())
	if errors.Is(err, store.ErrReused) {
		return ErrLogoutReplayed
	}
	return err
}

// LogoutResponseAnswer is who sent a LogoutResponse and which request it
// answers, as read from the message before it is verified.
type LogoutResponseAnswer struct {
	Issuer       string
	InResponseTo string
}

// PeekLogoutResponse reads the Issuer and InResponseTo of the
// LogoutResponse r carries (HTTP-Redirect or HTTP-POST), without
// verifying it: ServeSLO verifies it, and only then is UseLogoutResponse
// called with what this returned. The signature crewjam checks covers the
// root element these are read from (an enveloped signature must reference
// the root; the HTTP-Redirect signature covers the whole message). r's
// form must be parsed and size-limited.
func PeekLogoutResponse(r *http.Request) (*LogoutResponseAnswer, error) {
	raw := r.Form.Get("SAMLResponse")
	if raw == "" || len(raw) > MaxEncodedRequest {
		return nil, fmt.Errorf("%w: no or too large SAMLResponse", ErrLogout)
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: SAMLResponse is not base64", ErrLogout)
	}
	if r.Method == http.MethodGet {
		if b, err = io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(b)), MaxRequestXML+1)); err != nil {
			return nil, fmt.Errorf("%w: SAMLResponse does not inflate", ErrLogout)
		}
	}
	if len(b) > MaxRequestXML || hasDTD(b) {
		return nil, fmt.Errorf("%w: too large or a DTD", ErrLogout)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil || doc.Root() == nil || doc.Root().Tag != "LogoutResponse" {
		return nil, fmt.Errorf("%w: not a LogoutResponse", ErrLogout)
	}
	out := &LogoutResponseAnswer{InResponseTo: doc.Root().SelectAttrValue("InResponseTo", "")}
	if iss := doc.Root().SelectElement("Issuer"); iss != nil {
		out.Issuer = iss.Text()
	}
	if out.Issuer == "" || out.InResponseTo == "" {
		return nil, fmt.Errorf("%w: LogoutResponse without Issuer or InResponseTo", ErrLogout)
	}
	return out, nil
}

// UseLogoutResponse records that the LogoutResponse a answered its
// request, once ServeSLO has accepted it; ErrLogoutReplayed if an
// answer to that request was accepted before (a replay, with the logout
// progress cookie of that time). The record lasts as long as a logout's
// progress cookie can.
func (s *Service) UseLogoutResponse(ctx context.Context, t Tenant, a *LogoutResponseAnswer) error {
	sp, err := t.Store.SAMLServiceProviders().GetByEntityID(ctx, t.ID, a.Issuer)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: unknown issuer", ErrLogout)
	}
	if err != nil {
		return err
	}
	return s.useMessageID(ctx, t, sp.ID, "LogoutResponse:"+a.InResponseTo, s.now().Add(saml.LogoutStateLifetime+saml.MaxClockSkew))
}
