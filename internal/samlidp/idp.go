package samlidp

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Paths of the IdP's endpoints under a tenant's base URL (its issuer).
const (
	MetadataPath = "/saml/metadata"
	SSOPath      = "/saml/sso"
	SLOPath      = "/saml/slo"
)

// MetadataValidity is how long published metadata says it is valid
// (validUntil, cacheDuration): service providers that refresh it see an
// announced certificate within this time.
const MetadataValidity = 24 * time.Hour

// Service is the SAML IdP of every tenant.
type Service struct {
	// Keys holds each tenant's SAML signing certificates.
	Keys *keys.Manager
	// Fetch fetches metadata_url; nil uses a default Fetcher.
	Fetch *Fetcher
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Tenant is the tenant a SAML message is for: its ID, its store and its
// issuer (the base URL of its endpoints, as in OIDC).
type Tenant struct {
	ID     string
	Issuer string
	Store  store.Store
}

// EntityID is the tenant's IdP entity ID: its metadata URL.
func (t Tenant) EntityID() string { return t.Issuer + MetadataPath }

// idp returns crewjam's IdentityProvider for a tenant: its URLs, signing
// certificate and key, the announced certificate, and our clock.
func (s *Service) idp(ctx context.Context, t Tenant) (*saml.IdentityProvider, error) {
	set, err := s.Keys.SAML(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	meta, err1 := url.Parse(t.Issuer + MetadataPath)
	sso, err2 := url.Parse(t.Issuer + SSOPath)
	slo, err3 := url.Parse(t.Issuer + SLOPath)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	validity := MetadataValidity
	idp := &saml.IdentityProvider{
		Key:                     set.Active.Key,
		Certificate:             set.Active.Cert,
		ExtraCertificates:       set.Published[1:],
		MetadataURL:             *meta,
		SSOURL:                  *sso,
		LogoutURL:               *slo,
		LogoutBindings:          []string{saml.HTTPRedirectBinding, saml.HTTPPostBinding},
		SignatureMethod:         dsig.RSASHA256SignatureMethod,
		ValidDuration:           &validity,
		Clock:                   dsig.NewFakeClockAt(s.now()),
		RejectSHA1Signatures:    true,
		ServiceProviderProvider: &spProvider{t: t},
	}
	for _, f := range NameIDFormats {
		idp.NameIDFormats = append(idp.NameIDFormats, f.URI)
	}
	return idp, nil
}

// Metadata returns the tenant's IdP metadata: its entity ID (the metadata
// URL), the signing certificate and the announced next one, the SSO
// endpoints (HTTP-Redirect and HTTP-POST), the SLO endpoints and the
// NameID formats. It offers no encryption key: nothing sent to the IdP is
// decrypted.
func (s *Service) Metadata(ctx context.Context, t Tenant) ([]byte, error) {
	idp, err := s.idp(ctx, t)
	if err != nil {
		return nil, err
	}
	ed := idp.Metadata()
	d := &ed.IDPSSODescriptors[0]
	kept := d.KeyDescriptors[:0]
	for _, kd := range d.KeyDescriptors {
		if kd.Use != "encryption" {
			kept = append(kept, kd)
		}
	}
	d.KeyDescriptors = kept
	b, err := xml.MarshalIndent(ed, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}

// spProvider finds a tenant's registered service providers for crewjam.
type spProvider struct {
	t  Tenant
	sp *store.SAMLServiceProvider // the last one found
}

func (p *spProvider) GetServiceProvider(r *http.Request, entityID string) (*saml.EntityDescriptor, error) {
	sp, err := p.t.Store.SAMLServiceProviders().GetByEntityID(r.Context(), p.t.ID, entityID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, os.ErrNotExist
	}
	if err != nil {
		return nil, &lookupError{err}
	}
	p.sp = sp
	return entityDescriptor(sp)
}

// lookupError is a failure to look a service provider up (the database),
// which crewjam reports inside its own error; classify passes it on.
type lookupError struct{ err error }

func (e *lookupError) Error() string {
	return "samlidp: looking up the service provider: " + e.err.Error()
}
func (e *lookupError) Unwrap() error { return e.err }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
