// Package samlidp is the SAML 2.0 identity provider's service: the rules
// for registered service providers (their metadata, endpoints and
// certificates), the tenant's IdP metadata, a safe AuthnRequest parser and
// validator, and the Response builder. It speaks crewjam/saml's types and
// goxmldsig's signatures; the HTTP endpoints are in internal/protocol/saml
// and the Admin API resource in internal/adminapi.
package samlidp

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crewjam/saml"
)

// Limits on what service providers send.
const (
	// MaxMetadataBytes bounds SP metadata, pasted or fetched.
	MaxMetadataBytes = 1 << 20
	// MetadataFetchTimeout bounds fetching a metadata_url.
	MetadataFetchTimeout = 10 * time.Second
	// maxCerts bounds the certificates kept per service provider.
	maxCerts = 5
	// maxACS bounds the ACS URLs kept per service provider.
	maxACS = 20
)

// InvalidError is bad input from an admin (metadata, a URL, a
// certificate), with the member it is about.
type InvalidError struct {
	Field   string // JSON pointer: "/metadata_xml", "/acs_urls/0"
	Message string
}

func (e *InvalidError) Error() string { return e.Field + ": " + e.Message }

func invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// SPMetadata is what Gatehouse reads from a service provider's metadata.
type SPMetadata struct {
	EntityID       string
	ACSURLs        []string // HTTP-POST assertion consumer services, the default first
	SLOURL         string
	SOAPSLOURL     string   // the SingleLogoutService with the SOAP binding
	SigningCerts   []string // PEM
	EncryptionCert string   // PEM, "" when none
}

// hasDTD reports whether an XML document declares a DTD or entities.
// Go's XML decoder expands no external entities, but a SAML message has
// no business carrying a DTD, so one is refused outright.
func hasDTD(doc []byte) bool {
	up := bytes.ToUpper(doc)
	return bytes.Contains(up, []byte("<!DOCTYPE")) || bytes.Contains(up, []byte("<!ENTITY"))
}

// ParseMetadata reads an SP's metadata: one EntityDescriptor with one
// SPSSODescriptor. field names the member the metadata came in.
func ParseMetadata(doc []byte, field string) (*SPMetadata, error) {
	if len(doc) > MaxMetadataBytes {
		return nil, invalid(field, "metadata larger than %d bytes", MaxMetadataBytes)
	}
	if hasDTD(doc) {
		return nil, invalid(field, "metadata must not contain a DTD or entity declarations")
	}
	var ed saml.EntityDescriptor
	if err := xml.Unmarshal(doc, &ed); err != nil { //nolint:gosec // size-limited and DTD-free; encoding/xml resolves no external entities
		return nil, invalid(field, "not SAML metadata with one EntityDescriptor: %s", firstLine(err.Error()))
	}
	if ed.EntityID == "" {
		return nil, invalid(field, "the EntityDescriptor has no entityID")
	}
	if len(ed.SPSSODescriptors) != 1 {
		return nil, invalid(field, "the EntityDescriptor must have exactly one SPSSODescriptor, not %d", len(ed.SPSSODescriptors))
	}
	sd := ed.SPSSODescriptors[0]
	md := &SPMetadata{EntityID: ed.EntityID}
	var def string
	for _, acs := range sd.AssertionConsumerServices {
		if acs.Binding != saml.HTTPPostBinding {
			continue
		}
		if err := CheckEndpointURL(acs.Location); err != nil {
			return nil, invalid(field, "AssertionConsumerService %q: %s", acs.Location, err)
		}
		if acs.IsDefault != nil && *acs.IsDefault && def == "" {
			def = acs.Location
			continue
		}
		md.ACSURLs = append(md.ACSURLs, acs.Location)
	}
	if def != "" {
		md.ACSURLs = append([]string{def}, md.ACSURLs...)
	}
	if len(md.ACSURLs) == 0 {
		return nil, invalid(field, "the SPSSODescriptor has no HTTP-POST AssertionConsumerService")
	}
	if len(md.ACSURLs) > maxACS {
		return nil, invalid(field, "more than %d AssertionConsumerServices", maxACS)
	}
	for _, slo := range sd.SingleLogoutServices {
		var to *string
		switch slo.Binding {
		case saml.HTTPRedirectBinding, saml.HTTPPostBinding:
			to = &md.SLOURL
		case saml.SOAPBinding:
			to = &md.SOAPSLOURL
		default:
			continue
		}
		if *to != "" {
			continue
		}
		if err := CheckEndpointURL(slo.Location); err != nil {
			return nil, invalid(field, "SingleLogoutService %q: %s", slo.Location, err)
		}
		*to = slo.Location
	}
	for _, kd := range sd.KeyDescriptors {
		for _, xc := range kd.KeyInfo.X509Data.X509Certificates {
			c, err := ParseCertificate(xc.Data)
			if err != nil {
				return nil, invalid(field, "KeyDescriptor: %s", err)
			}
			p := PEM(c)
			if kd.Use == "" || kd.Use == "signing" {
				if len(md.SigningCerts) == maxCerts {
					return nil, invalid(field, "more than %d signing certificates", maxCerts)
				}
				md.SigningCerts = append(md.SigningCerts, p)
			}
			if (kd.Use == "" || kd.Use == "encryption") && md.EncryptionCert == "" {
				md.EncryptionCert = p
			}
		}
	}
	return md, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// CheckEndpointURL allows absolute https URLs, and http to a loopback
// address: an ACS or SLO URL is where a browser posts an assertion, so a
// javascript:, data: or other scheme (CVE-2023-45683) is refused.
func CheckEndpointURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return errors.New("must be an absolute http(s) URL")
	}
	if u.User != nil || u.Fragment != "" {
		return errors.New("must not carry credentials or a fragment")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		h := strings.ToLower(u.Hostname())
		if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return errors.New("http is allowed only to a loopback address; use https")
	}
	return errors.New("the scheme must be https (or http to a loopback address)")
}

// ParseCertificate reads an X.509 certificate given as PEM or as the bare
// base64 of its DER (as in metadata).
func ParseCertificate(s string) (*x509.Certificate, error) {
	var der []byte
	if b, _ := pem.Decode([]byte(strings.TrimSpace(s))); b != nil {
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("a PEM %q block is not a certificate", b.Type)
		}
		der = b.Bytes
	} else {
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, s)
		var err error
		if der, err = base64.StdEncoding.DecodeString(clean); err != nil {
			return nil, errors.New("not a PEM or base64 certificate")
		}
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("not an X.509 certificate: %s", firstLine(err.Error()))
	}
	return c, nil
}

// PEM encodes a certificate.
func PEM(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

// Fetcher fetches SP metadata from a metadata_url.
type Fetcher struct {
	// Client, if set, replaces the default client (a MetadataFetchTimeout
	// timeout, at most 3 redirects, each to an allowed URL).
	Client *http.Client
}

// Fetch GETs the metadata at raw (https, or http to a loopback address)
// and returns at most MaxMetadataBytes of it.
func (f *Fetcher) Fetch(ctx context.Context, raw string) ([]byte, error) {
	const field = "/metadata_url"
	if err := CheckEndpointURL(raw); err != nil {
		return nil, invalid(field, "%s", err)
	}
	c := f.Client
	if c == nil {
		c = &http.Client{Timeout: MetadataFetchTimeout, CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			return CheckEndpointURL(r.URL.String())
		}}
	}
	ctx, cancel := context.WithTimeout(ctx, MetadataFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, invalid(field, "%s", err)
	}
	req.Header.Set("Accept", "application/samlmetadata+xml, application/xml, text/xml")
	resp, err := c.Do(req)
	if err != nil {
		return nil, invalid(field, "could not fetch the metadata: %s", firstLine(err.Error()))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, invalid(field, "fetching the metadata answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxMetadataBytes+1))
	if err != nil {
		return nil, invalid(field, "could not read the metadata: %s", firstLine(err.Error()))
	}
	if len(body) > MaxMetadataBytes {
		return nil, invalid(field, "metadata larger than %d bytes", MaxMetadataBytes)
	}
	return body, nil
}
