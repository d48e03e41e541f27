// Package saml is the redirect connector for upstream SAML 2.0 identity
// providers (federation.RedirectConnector): Gatehouse is the service
// provider. LoginURL sends the browser with an AuthnRequest (HTTP-Redirect
// binding, signed when sign_requests is set); the IdP posts a Response to
// the ACS URL, which HandleCallback checks with github.com/crewjam/saml
// before anything in it is believed: a signature on the Response or on the
// Assertion by a certificate of the IdP's metadata (what the signature
// covers is what is read, so signature-wrapping variants find nothing),
// the audience (our entity ID), the recipient and destination (our ACS
// URL), InResponseTo (the AuthnRequest this login sent), the validity
// window, and the assertion ID, which a ReplayStore accepts only once.
// XML carrying a DTD is refused before it is parsed.
package saml

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// DefaultTimeout bounds fetching the IdP's metadata.
const DefaultTimeout = 10 * time.Second

// maxMetadata and maxResponse bound what is read and parsed.
const (
	maxMetadata = 1 << 20
	maxResponse = 256 << 10
)

// Options are what a connector needs besides its settings.
type Options struct {
	// ConnectionID keys the replay store, so that two connections'
	// assertion IDs never collide.
	ConnectionID string
	// URLs are the connection's SP metadata and ACS URLs
	// (federation.URLsFor); the metadata URL is the SP's entity ID.
	URLs federation.URLs
	// Replay records accepted assertion IDs; required.
	Replay ReplayStore
	// HTTPClient fetches idp_metadata_url; one with DefaultTimeout when nil.
	HTTPClient *http.Client
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Connector is one upstream SAML identity provider.
type Connector struct {
	connID      string
	urls        federation.URLs
	metadataURL string
	metadataXML string
	signReqs    bool
	key         crypto.Signer
	cert        *x509.Certificate
	replay      ReplayStore
	client      *http.Client
	now         func() time.Time
	fixedClock  bool // Options.Now was given

	mu  sync.Mutex
	idp *saml.EntityDescriptor // parsed or fetched on first use, then kept
}

// Interface guard.
var _ federation.RedirectConnector = (*Connector)(nil)

// New builds a connector for a `saml` connection, validating its
// settings. It reaches no network: idp_metadata_url is fetched on first
// use.
func New(cfg federation.Config, sec federation.Secrets, o Options) (*Connector, error) {
	if err := federation.Validate(federation.TypeSAML, cfg, sec); err != nil {
		return nil, err
	}
	if o.URLs.ACSURL == "" || o.URLs.SPMetadataURL == "" {
		return nil, errors.New("federation/saml: the SP metadata and ACS URLs are required")
	}
	if o.Replay == nil {
		return nil, errors.New("federation/saml: a replay store is required")
	}
	c := &Connector{
		connID: o.ConnectionID, urls: o.URLs, metadataURL: cfg.IdPMetadataURL, metadataXML: cfg.IdPMetadataXML,
		signReqs: cfg.SignRequests != nil && *cfg.SignRequests, replay: o.Replay, client: o.HTTPClient, now: o.Now,
	}
	if sec.PrivateKeyPEM != "" {
		key, err := parseKey(sec.PrivateKeyPEM)
		if err != nil {
			return nil, &federation.ValidationError{Fields: []federation.FieldError{{Field: "/private_key_pem", Message: err.Error()}}}
		}
		c.key = key
		if c.cert, err = spCertificate(key, o.URLs.SPMetadataURL); err != nil {
			return nil, err
		}
	}
	if c.signReqs && c.key == nil {
		return nil, &federation.ValidationError{Fields: []federation.FieldError{{Field: "/private_key_pem", Message: "is required with sign_requests"}}}
	}
	if c.client == nil {
		c.client = &http.Client{Timeout: DefaultTimeout}
	}
	if c.now == nil {
		c.now = time.Now
	} else {
		c.fixedClock = true
	}
	if c.metadataXML != "" {
		// Parse now: bad metadata is a configuration error, found early.
		idp, err := parseMetadata([]byte(c.metadataXML))
		if err != nil {
			return nil, &federation.ValidationError{Fields: []federation.FieldError{{Field: "/idp_metadata_xml", Message: err.Error()}}}
		}
		c.idp = idp
	}
	return c, nil
}

// Type is federation.TypeSAML.
func (c *Connector) Type() string { return federation.TypeSAML }

func parseKey(p string) (crypto.Signer, error) {
	blk, _ := pem.Decode([]byte(p))
	if blk == nil {
		return nil, errors.New("must be a PEM private key")
	}
	var k any
	var err error
	if k, err = x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
		if k, err = x509.ParsePKCS1PrivateKey(blk.Bytes); err != nil {
			if k, err = x509.ParseECPrivateKey(blk.Bytes); err != nil {
				return nil, errors.New("must be a PKCS #8, PKCS #1 or SEC 1 private key")
			}
		}
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, errors.New("must be an RSA or ECDSA key")
}

// spCertificate makes the SP's self-signed certificate from its key: IdPs
// read only the public key from it. It is the same for the same key and
// entity ID (RSA signatures are deterministic), so the published metadata
// does not change between restarts.
func spCertificate(key crypto.Signer, entityID string) (*x509.Certificate, error) {
	pub, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append(pub, entityID...))
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(sum[:16]),
		Subject:      pkix.Name{CommonName: hostOf(entityID)},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(zeroReader{}, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("federation/saml: the SP certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Hostname() != "" {
		return p.Hostname()
	}
	return "gatehouse"
}

// hasDTD reports whether XML declares a document type (and so possibly
// entities): refused everywhere, before parsing.
func hasDTD(b []byte) bool {
	u := bytes.ToUpper(b)
	return bytes.Contains(u, []byte("<!DOCTYPE")) || bytes.Contains(u, []byte("<!ENTITY"))
}

func parseMetadata(b []byte) (*saml.EntityDescriptor, error) {
	if hasDTD(b) {
		return nil, errors.New("must not contain a DTD")
	}
	ed, err := samlsp.ParseMetadata(b)
	if err != nil {
		return nil, fmt.Errorf("is not SAML metadata: %v", err)
	}
	if len(ed.IDPSSODescriptors) == 0 {
		return nil, errors.New("describes no identity provider (IDPSSODescriptor)")
	}
	return ed, nil
}

// metadata returns the IdP's metadata, fetched once from
// idp_metadata_url when that is how it is configured.
func (c *Connector) metadata(ctx context.Context) (*saml.EntityDescriptor, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idp != nil {
		return c.idp, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.metadataURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: IdP metadata: %v", federation.ErrUnavailable, err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: IdP metadata: %v", federation.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: IdP metadata: %s", federation.ErrUnavailable, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadata+1))
	if err != nil || len(b) > maxMetadata {
		return nil, fmt.Errorf("%w: IdP metadata: unreadable or larger than %d bytes", federation.ErrUnavailable, maxMetadata)
	}
	idp, err := parseMetadata(b)
	if err != nil {
		return nil, fmt.Errorf("%w: IdP metadata at %s %v", federation.ErrInvalidResponse, c.metadataURL, err)
	}
	c.idp = idp
	return idp, nil
}

// sp is a crewjam ServiceProvider for one request (it is cheap).
func (c *Connector) sp(idp *saml.EntityDescriptor) *saml.ServiceProvider {
	md, _ := url.Parse(c.urls.SPMetadataURL) // built by federation.URLsFor
	acs, _ := url.Parse(c.urls.ACSURL)
	sp := &saml.ServiceProvider{
		EntityID:             c.urls.SPMetadataURL,
		MetadataURL:          *md,
		AcsURL:               *acs,
		IDPMetadata:          idp,
		HTTPClient:           c.client,
		ReplayCache:          replayAdapter{store: c.replay, prefix: c.connID + "/"},
		RejectSHA1Signatures: true,
		AuthnNameIDFormat:    saml.UnspecifiedNameIDFormat,
		// Served live, so it needs no expiry, and stays byte-identical.
		MetadataOmitValidUntil: true,
	}
	if c.fixedClock {
		sp.Clock = dsig.NewFakeClockAt(c.now())
	}
	if c.key != nil {
		sp.Key = c.key
		sp.Certificate = c.cert
		if rk, ok := c.key.(*rsa.PrivateKey); ok {
			// Encrypted assertions are decrypted with the same key.
			sp.EncryptionKey = rk
			sp.EncryptionCertificate = c.cert
		}
	}
	if c.signReqs {
		if _, ok := c.key.(*rsa.PrivateKey); ok {
			sp.SignatureMethod = dsig.RSASHA256SignatureMethod
		} else {
			sp.SignatureMethod = dsig.ECDSASHA256SignatureMethod
		}
	}
	return sp
}

// RequestID is the ID of the AuthnRequest a login sends, derived from its
// nonce, so that the callback knows which InResponseTo to expect without
// storing anything more than the login request already keeps.
func RequestID(nonce string) string {
	sum := sha256.Sum256([]byte("gatehouse-saml-request\x00" + nonce))
	return "_" + hex.EncodeToString(sum[:20])
}

// LoginURL returns the IdP's SSO URL carrying the AuthnRequest (and
// state as the RelayState). pkce is not used by SAML.
func (c *Connector) LoginURL(ctx context.Context, state, nonce string, _ federation.PKCE) (string, error) {
	if state == "" || nonce == "" {
		return "", errors.New("federation/saml: state and nonce are required")
	}
	if len(state) > 80 {
		return "", errors.New("federation/saml: the state must fit a RelayState (80 bytes)")
	}
	idp, err := c.metadata(ctx)
	if err != nil {
		return "", err
	}
	sp := c.sp(idp)
	dest := sp.GetSSOBindingLocation(saml.HTTPRedirectBinding)
	if dest == "" {
		return "", fmt.Errorf("%w: the IdP has no HTTP-Redirect SingleSignOnService", federation.ErrInvalidResponse)
	}
	req, err := sp.MakeAuthenticationRequest(dest, saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return "", fmt.Errorf("federation/saml: AuthnRequest: %w", err)
	}
	req.ID = RequestID(nonce)
	u, err := req.Redirect(state, sp)
	if err != nil {
		return "", fmt.Errorf("federation/saml: AuthnRequest: %w", err)
	}
	return u.String(), nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", federation.ErrInvalidResponse, fmt.Sprintf(format, args...))
}

// HandleCallback checks the Response the IdP posted to the ACS URL
// (SAMLResponse and RelayState in cb.Params) and returns who signed in.
func (c *Connector) HandleCallback(ctx context.Context, cb federation.Callback) (federation.Identity, error) {
	var none federation.Identity
	if cb.State == "" || subtle.ConstantTimeCompare([]byte(cb.Param("RelayState")), []byte(cb.State)) != 1 {
		return none, federation.ErrState
	}
	if cb.Nonce == "" {
		return none, invalid("no AuthnRequest to answer")
	}
	enc := cb.Param("SAMLResponse")
	if enc == "" {
		return none, invalid("no SAMLResponse")
	}
	if len(enc) > maxResponse*4/3+4 {
		return none, invalid("the SAMLResponse is too large")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return none, invalid("the SAMLResponse is not base64")
	}
	if hasDTD(raw) {
		return none, invalid("the SAMLResponse contains a DTD")
	}
	idp, err := c.metadata(ctx)
	if err != nil {
		return none, err
	}
	acs, _ := url.Parse(c.urls.ACSURL)
	a, err := c.sp(idp).ParseXMLResponse(raw, []string{RequestID(cb.Nonce)}, *acs)
	if err != nil {
		var ire *saml.InvalidResponseError
		if errors.As(err, &ire) {
			if declined(ire.PrivateErr) {
				return none, federation.ErrAccessDenied
			}
			return none, invalid("%v", ire.PrivateErr)
		}
		return none, invalid("%v", err)
	}
	return identityFrom(a)
}

// declined reports whether the IdP answered that the person did not
// sign in (a status of AuthnFailed or RequestDenied).
func declined(err error) bool {
	var bs saml.ErrBadStatus
	if errors.As(err, &bs) {
		return strings.Contains(bs.Status, "AuthnFailed") || strings.Contains(bs.Status, "RequestDenied")
	}
	return false
}

// Well-known attribute names (OIDs of eduPerson/inetOrgPerson, and the
// claim URIs of AD FS and Entra ID).
var (
	emailAttrs = []string{"urn:oid:0.9.2342.19200300.100.1.3", "mail", "email", "emailAddress",
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}
	nameAttrs = []string{"urn:oid:2.16.840.1.113730.3.1.241", "displayName", "cn", "urn:oid:2.5.4.3",
		"http://schemas.microsoft.com/identity/claims/displayname", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"}
	givenAttrs = []string{"urn:oid:2.5.4.42", "givenName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"}
	snAttrs    = []string{"urn:oid:2.5.4.4", "sn", "surname", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"}
	userAttrs  = []string{"uid", "urn:oid:0.9.2342.19200300.100.1.1", "eduPersonPrincipalName", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"}
	groupAttrs = []string{"groups", "memberOf", "eduPersonAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
		"http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"}
)

func identityFrom(a *saml.Assertion) (federation.Identity, error) {
	if a.Subject == nil || a.Subject.NameID == nil || strings.TrimSpace(a.Subject.NameID.Value) == "" {
		return federation.Identity{}, invalid("the assertion names no subject")
	}
	nameID := a.Subject.NameID
	if nameID.Format == string(saml.TransientNameIDFormat) {
		return federation.Identity{}, invalid("a transient NameID is not a stable subject; configure a persistent or email NameID at the IdP")
	}
	claims := map[string]any{"name_id": nameID.Value, "name_id_format": nameID.Format}
	if a.Issuer.Value != "" {
		claims["issuer"] = a.Issuer.Value
	}
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			var vals []string
			for _, v := range at.Values {
				vals = append(vals, v.Value)
			}
			for _, k := range []string{at.Name, at.FriendlyName} {
				if k == "" {
					continue
				}
				if len(vals) == 1 {
					claims[k] = vals[0]
				} else {
					claims[k] = vals
				}
			}
		}
	}
	first := func(names []string) string {
		for _, n := range names {
			switch v := claims[n].(type) {
			case string:
				return v
			case []string:
				if len(v) > 0 {
					return v[0]
				}
			}
		}
		return ""
	}
	id := federation.Identity{
		Subject: nameID.Value, Email: first(emailAttrs), Name: first(nameAttrs), GivenName: first(givenAttrs),
		FamilyName: first(snAttrs), PreferredUsername: first(userAttrs), Claims: claims,
		// SAML has no "verified" flag: an address from an IdP is not
		// taken as verified (the connection's trusted domains decide).
		EmailVerified: false,
	}
	if id.Email == "" && nameID.Format == string(saml.EmailAddressNameIDFormat) {
		id.Email = nameID.Value
	}
	for _, n := range groupAttrs {
		switch v := claims[n].(type) {
		case string:
			id.Groups = append(id.Groups, v)
		case []string:
			id.Groups = append(id.Groups, v...)
		}
	}
	slices.Sort(id.Groups)
	id.Groups = slices.Compact(id.Groups)
	if id.Groups != nil {
		claims["groups"] = id.Groups
	}
	return id, nil
}

// Metadata is the SP's metadata (served at sp_metadata_url): entity ID,
// ACS URL (HTTP-POST) and, when a key is configured, its certificate for
// signing and encryption.
func (c *Connector) Metadata() ([]byte, error) {
	sp := c.sp(nil)
	ed := sp.Metadata()
	b, err := xml.MarshalIndent(ed, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}
