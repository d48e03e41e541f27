package samlidp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Defaults of a new service provider.
const (
	DefaultNameIDFormat    = store.NameIDEmail
	DefaultSessionLifetime = 8 * time.Hour
)

// NameIDFormats maps the Admin API's names to SAML's URIs, in the order
// metadata lists them.
var NameIDFormats = []struct {
	Name string
	URI  saml.NameIDFormat
}{
	{store.NameIDEmail, saml.EmailAddressNameIDFormat},
	{store.NameIDPersistent, saml.PersistentNameIDFormat},
	{store.NameIDTransient, saml.TransientNameIDFormat},
	{store.NameIDUnspecified, saml.UnspecifiedNameIDFormat},
}

func nameIDURI(name string) (saml.NameIDFormat, bool) {
	for _, f := range NameIDFormats {
		if f.Name == name {
			return f.URI, true
		}
	}
	return "", false
}

// ApplyMetadata replaces what metadata says about a service provider:
// its entity ID, ACS URLs, SLO URL and certificates.
func ApplyMetadata(sp *store.SAMLServiceProvider, md *SPMetadata) {
	sp.EntityID, sp.ACSURLs, sp.SLOURL, sp.SOAPSLOURL = md.EntityID, md.ACSURLs, md.SLOURL, md.SOAPSLOURL
	sp.SigningCerts, sp.EncryptionCert = md.SigningCerts, md.EncryptionCert
}

// Check validates a service provider before it is stored and normalises
// its certificates to PEM. Errors are *InvalidError.
func Check(sp *store.SAMLServiceProvider) error {
	if sp.EntityID == "" || len(sp.EntityID) > 1024 || !utf8.ValidString(sp.EntityID) || strings.TrimSpace(sp.EntityID) != sp.EntityID {
		return invalid("/entity_id", "an entity ID of 1 to 1024 characters without surrounding spaces is required")
	}
	if len(sp.ACSURLs) == 0 || len(sp.ACSURLs) > maxACS {
		return invalid("/acs_urls", "1 to %d ACS URLs are required", maxACS)
	}
	for i, u := range sp.ACSURLs {
		if err := CheckEndpointURL(u); err != nil {
			return invalid("/acs_urls/"+strconv.Itoa(i), "%s", err)
		}
	}
	if sp.SLOURL != "" {
		if err := CheckEndpointURL(sp.SLOURL); err != nil {
			return invalid("/slo_url", "%s", err)
		}
	}
	if sp.SOAPSLOURL != "" {
		if err := CheckEndpointURL(sp.SOAPSLOURL); err != nil {
			return invalid("/soap_slo_url", "%s", err)
		}
	}
	if len(sp.SigningCerts) > maxCerts {
		return invalid("/signing_certificates", "at most %d certificates", maxCerts)
	}
	for i, c := range sp.SigningCerts {
		cert, err := ParseCertificate(c)
		if err != nil {
			return invalid("/signing_certificates/"+strconv.Itoa(i), "%s", err)
		}
		sp.SigningCerts[i] = PEM(cert)
	}
	if sp.EncryptionCert != "" {
		cert, err := ParseCertificate(sp.EncryptionCert)
		if err != nil {
			return invalid("/encryption_certificate", "%s", err)
		}
		if _, ok := cert.PublicKey.(interface{ Size() int }); !ok {
			return invalid("/encryption_certificate", "the certificate's key cannot encrypt (RSA is required)")
		}
		sp.EncryptionCert = PEM(cert)
	}
	if _, ok := nameIDURI(sp.NameIDFormat); !ok {
		return invalid("/name_id_format", "unknown NameID format %q", sp.NameIDFormat)
	}
	if !sp.SignResponse && !sp.SignAssertion {
		return invalid("/sign_assertion", "the Response or the Assertion (or both) must be signed")
	}
	if sp.EncryptAssertion && sp.EncryptionCert == "" {
		return invalid("/encrypt_assertion", "encrypting assertions needs the service provider's encryption certificate")
	}
	if sp.RequireSignedRequests && len(sp.SigningCerts) == 0 {
		return invalid("/require_signed_requests", "verifying signed requests needs the service provider's signing certificate")
	}
	if sp.SessionLifetime < time.Minute || sp.SessionLifetime > 30*24*time.Hour {
		return invalid("/session_lifetime_seconds", "must be between 60 and 2592000")
	}
	if len(sp.Attributes) > 50 {
		return invalid("/attributes", "at most 50 attributes")
	}
	for name, field := range sp.Attributes {
		if name == "" || field == "" || !utf8.ValidString(name) || !utf8.ValidString(field) || len(name) > 200 || len(field) > 100 {
			return invalid("/attributes", "attribute names (1 to 200 characters) must map to a user field or custom attribute (1 to 100)")
		}
	}
	return nil
}

// entityDescriptor is the service provider as crewjam/saml sees it.
func entityDescriptor(sp *store.SAMLServiceProvider) (*saml.EntityDescriptor, error) {
	sd := saml.SPSSODescriptor{AuthnRequestsSigned: &sp.RequireSignedRequests}
	sd.ProtocolSupportEnumeration = "urn:oasis:names:tc:SAML:2.0:protocol"
	for i, u := range sp.ACSURLs {
		def := i == 0
		sd.AssertionConsumerServices = append(sd.AssertionConsumerServices,
			saml.IndexedEndpoint{Binding: saml.HTTPPostBinding, Location: u, Index: i, IsDefault: &def})
	}
	for _, c := range sp.SigningCerts {
		cert, err := ParseCertificate(c)
		if err != nil {
			return nil, fmt.Errorf("samlidp: service provider %s: %w", sp.ID, err)
		}
		sd.KeyDescriptors = append(sd.KeyDescriptors, keyDescriptor("signing", cert.Raw))
	}
	if sp.SLOURL != "" {
		sd.SingleLogoutServices = []saml.Endpoint{{Binding: saml.HTTPRedirectBinding, Location: sp.SLOURL},
			{Binding: saml.HTTPPostBinding, Location: sp.SLOURL}}
	}
	return &saml.EntityDescriptor{EntityID: sp.EntityID, SPSSODescriptors: []saml.SPSSODescriptor{sd}}, nil
}

func keyDescriptor(use string, der []byte) saml.KeyDescriptor {
	return saml.KeyDescriptor{Use: use, KeyInfo: saml.KeyInfo{X509Data: saml.X509Data{
		X509Certificates: []saml.X509Certificate{{Data: b64(der)}}}}}
}

// knownFields are the user fields attributes can name; other names are
// custom attribute keys.
var knownFields = []string{"sub", "email", "email_verified", "username", "phone_number", "name", "given_name",
	"family_name", "middle_name", "nickname", "locale", "zoneinfo", "picture", "website", "birthdate", "gender"}

// IsUserField reports whether an attribute mapping names a user field
// rather than a custom attribute.
func IsUserField(name string) bool { return slices.Contains(knownFields, name) }
