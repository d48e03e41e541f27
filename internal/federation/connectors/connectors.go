// Package connectors turns a stored connection into its connector
// (federation.Connector): the one place that knows which package serves
// which connection type.
package connectors

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap"
	"github.com/gatehouse-iam/gatehouse/internal/federation/oauth2"
	"github.com/gatehouse-iam/gatehouse/internal/federation/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/federation/saml"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// GoogleIssuer is the issuer of the `google` preset.
const GoogleIssuer = "https://accounts.google.com"

// Options are what connectors need besides the connection.
type Options struct {
	// Keyring opens the connection's secrets.
	Keyring *secret.Keyring
	// Issuer is the tenant's issuer, under which callbacks are served.
	Issuer string
	// HTTPClient reaches upstream providers; each connector's default
	// when nil.
	HTTPClient *http.Client
	// LDAPTimeout bounds each directory request; ldap.DefaultTimeout
	// when zero.
	LDAPTimeout time.Duration
	// SAMLReplay records accepted SAML assertion IDs (see
	// saml.ReplayStore for what it must provide); saml connections need
	// it.
	SAMLReplay saml.ReplayStore
	// Assertions, when SAMLReplay is nil, keeps a saml connection's
	// accepted assertion IDs in the database (StoreReplay), shared by
	// every node.
	Assertions AssertionStore
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// BaseURLs replace the fixed addresses of the social presets, by
	// connection type (github, microsoft, apple; "github_api" for
	// https://api.github.com): tests point them at fakes on loopback.
	BaseURLs map[string]string
}

// New builds the connector of c. A connection whose settings are invalid
// returns a *federation.ValidationError; a type without a connector yet
// returns federation.ErrNotSupported.
func New(c *store.Connection, o Options) (federation.Connector, error) {
	cfg, err := federation.ParseConfig(c)
	if err != nil {
		return nil, err
	}
	sec, err := federation.OpenSecrets(o.Keyring, c)
	if err != nil {
		return nil, err
	}
	if err := federation.Validate(c.Type, cfg, sec); err != nil {
		return nil, err
	}
	urls := federation.URLsFor(o.Issuer, c.Type, c.ID)
	redirect := urls.RedirectURI
	social := oauth2.Options{RedirectURI: redirect, HTTPClient: o.HTTPClient, Now: o.Now, BaseURL: o.BaseURLs[c.Type],
		APIURL: o.BaseURLs["github_api"]}
	switch c.Type {
	case federation.TypeLDAP:
		return ldap.New(cfg, sec, c.AttributeMapping, ldap.Options{Timeout: o.LDAPTimeout})
	case federation.TypeOIDC:
		return oidc.New(cfg, sec, oidc.Options{RedirectURI: redirect, HTTPClient: o.HTTPClient, Now: o.Now})
	case federation.TypeGoogle:
		cfg.Issuer = GoogleIssuer
		return oidc.New(cfg, sec, oidc.Options{RedirectURI: redirect, HTTPClient: o.HTTPClient, Now: o.Now})
	case federation.TypeOAuth2:
		return oauth2.NewGeneric(cfg, sec, oauth2.Options{RedirectURI: redirect, HTTPClient: o.HTTPClient, Now: o.Now})
	case federation.TypeGitHub:
		return oauth2.NewGitHub(cfg, sec, social)
	case federation.TypeMicrosoft:
		return oauth2.NewMicrosoft(cfg, sec, social)
	case federation.TypeApple:
		return oauth2.NewApple(cfg, sec, social)
	case federation.TypeSAML:
		replay := o.SAMLReplay
		if replay == nil && o.Assertions != nil {
			replay = StoreReplay(o.Assertions, c.TenantID, c.ID, o.Now)
		}
		return saml.New(cfg, sec, saml.Options{ConnectionID: c.TenantID + "/" + c.ID, URLs: urls, Replay: replay,
			HTTPClient: o.HTTPClient, Now: o.Now})
	}
	return nil, fmt.Errorf("%w: %s", federation.ErrNotSupported, c.Type)
}
