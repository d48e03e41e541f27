package samlidp_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"io"
	"log/slog"
	"math/big"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
)

// env is one tenant's IdP over a fresh SQLite store.
type env struct {
	svc    *samlidp.Service
	tenant samlidp.Tenant
	st     store.Store
	user   *identity.User
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "saml.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ten := &identity.Tenant{Slug: "acme", DisplayName: "Acme"}
	if err := st.Tenants().Create(ctx, ten); err != nil {
		t.Fatal(err)
	}
	raw, _ := secret.ParseMasterKey("0123456789abcdef0123456789abcdef0123456789")
	kr, err := secret.NewKeyring(raw)
	if err != nil {
		t.Fatal(err)
	}
	km := keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, kr, keys.DefaultConfig, nil,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	u := &identity.User{ID: "0193c1d2-0000-7000-8000-000000000001", TenantID: ten.ID, Email: "jane@example.org",
		Profile:    identity.Profile{GivenName: "Jane", FamilyName: "Doe"},
		Attributes: map[string]any{"groups": []any{"staff", "admins"}, "department": "R&D <ops>"}}
	return &env{svc: &samlidp.Service{Keys: km}, tenant: samlidp.Tenant{ID: ten.ID, Issuer: "https://idp.example.com/t/acme", Store: st},
		st: st, user: u}
}

var (
	spKeyOnce sync.Once
	spKey     *rsa.PrivateKey
	spCert    *x509.Certificate
)

// spCredentials is one RSA key and certificate shared by the test SPs.
func spCredentials(t testing.TB) (*rsa.PrivateKey, *x509.Certificate) {
	spKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "sp.example.net"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			panic(err)
		}
		c, _ := x509.ParseCertificate(der)
		spKey, spCert = k, c
	})
	return spKey, spCert
}

// sp is a crewjam ServiceProvider that trusts the tenant's IdP metadata,
// and its registration at Gatehouse (stored when register is called).
type sp struct {
	*saml.ServiceProvider
	reg *store.SAMLServiceProvider
}

func (e *env) newSP(t testing.TB, name string, edit func(*store.SAMLServiceProvider)) *sp {
	t.Helper()
	ctx := context.Background()
	md, err := e.svc.Metadata(ctx, e.tenant)
	if err != nil {
		t.Fatal(err)
	}
	var idpMD saml.EntityDescriptor
	if err := xml.Unmarshal(md, &idpMD); err != nil {
		t.Fatal(err)
	}
	key, cert := spCredentials(t)
	acs, _ := url.Parse("https://" + name + ".example.net/saml/acs")
	meta, _ := url.Parse("https://" + name + ".example.net/saml/metadata")
	s := &saml.ServiceProvider{EntityID: meta.String(), Key: key, Certificate: cert, AcsURL: *acs, MetadataURL: *meta,
		IDPMetadata: &idpMD, AuthnNameIDFormat: saml.EmailAddressNameIDFormat}
	reg := &store.SAMLServiceProvider{TenantID: e.tenant.ID, Name: name, EntityID: meta.String(), ACSURLs: []string{acs.String()},
		SigningCerts: []string{samlidp.PEM(cert)}, EncryptionCert: samlidp.PEM(cert), NameIDFormat: store.NameIDEmail,
		Attributes:   map[string]string{"email": "email", "givenName": "given_name", "groups": "groups", "dept": "department"},
		SignResponse: true, SignAssertion: true, SessionLifetime: samlidp.DefaultSessionLifetime}
	if edit != nil {
		edit(reg)
	}
	if err := samlidp.Check(reg); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SAMLServiceProviders().Create(ctx, reg); err != nil {
		t.Fatal(err)
	}
	return &sp{ServiceProvider: s, reg: reg}
}

// redirect makes an HTTP-Redirect AuthnRequest as the SP would send it and
// returns its query string and ID.
func (s *sp) redirect(t testing.TB, relayState string) (string, string) {
	t.Helper()
	u, err := s.MakeRedirectAuthenticationRequest(relayState)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(u.RawQuery)
	req := decodeRedirect(t, q.Get("SAMLRequest"))
	return u.RawQuery, req.ID
}

// subject is the test user signed in with a password and a TOTP code.
func (e *env) subject() samlidp.Subject {
	return samlidp.Subject{User: e.user, AMR: []string{"pwd", "otp"}, AuthTime: time.Now().Add(-time.Minute), SessionID: "sess-1"}
}
