package oauth2

import (
	"context"
	"slices"
	"strings"
	"sync"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// MicrosoftURL is Microsoft Entra ID's sign-in host.
const MicrosoftURL = "https://login.microsoftonline.com"

// Microsoft signs users in with Microsoft Entra ID (work, school and
// personal accounts). Its multi-tenant endpoints (`common`,
// `organizations`, `consumers`) publish the issuer as a template,
// `https://login.microsoftonline.com/{tenantid}/v2.0`: the ID token's
// `iss` must be that template with the token's own `tid`, and `tid` must
// be in allowed_tenants when that list is set. Users are keyed on
// `tid` and `oid` together, never on the email or UPN, which a tenant's
// admin can set to anything: Entra's email is never taken as verified.
type Microsoft struct {
	flow
	discovery string
	clientID  string
	allowed   []string

	mu       sync.Mutex
	template string
	verifier *gooidc.IDTokenVerifier
	config   gooidc.Config
}

// NewMicrosoft builds the connector of a `microsoft` connection. Its
// `issuer` is https://login.microsoftonline.com/{common|organizations|consumers|<tenant>}/v2.0
// (common when unset).
func NewMicrosoft(cfg federation.Config, sec federation.Secrets, o Options) (*Microsoft, error) {
	if err := federation.Validate(federation.TypeMicrosoft, cfg, sec); err != nil {
		return nil, err
	}
	if cfg.ClientAuthMethod == federation.AuthPrivateKeyJWT {
		return nil, invalidSetting("client_auth_method", "private_key_jwt is not supported for microsoft yet")
	}
	if err := o.defaults(); err != nil {
		return nil, err
	}
	issuer := cfg.Issuer
	if issuer == "" {
		base := MicrosoftURL
		if o.BaseURL != "" {
			base = strings.TrimSuffix(o.BaseURL, "/")
		}
		issuer = base + "/common/v2.0"
	}
	scopes := strings.Fields(cfg.Scopes)
	if len(scopes) == 0 {
		scopes = []string{gooidc.ScopeOpenID, "email", "profile"}
	}
	if !slices.Contains(scopes, gooidc.ScopeOpenID) {
		scopes = append([]string{gooidc.ScopeOpenID}, scopes...)
	}
	style := oauth2.AuthStyleInParams // Entra's documented default
	if cfg.ClientAuthMethod == federation.AuthClientSecretBasic {
		style = oauth2.AuthStyleInHeader
	}
	m := &Microsoft{
		flow: flow{conf: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: sec.ClientSecret, RedirectURL: o.RedirectURI, Scopes: scopes,
			Endpoint: oauth2.Endpoint{AuthStyle: style}},
			pkce: cfg.PKCE == nil || *cfg.PKCE, client: o.HTTPClient},
		discovery: strings.TrimSuffix(issuer, "/"), clientID: cfg.ClientID, allowed: cfg.AllowedTenants,
	}
	// The issuer is checked after verification, against the template
	// with the token's tid.
	m.config = gooidc.Config{ClientID: cfg.ClientID, SkipIssuerCheck: true, Now: o.Now}
	return m, nil
}

func invalidSetting(field, msg string) error {
	return &federation.ValidationError{Fields: []federation.FieldError{{Field: "/" + field, Message: msg}}}
}

// Type is federation.TypeMicrosoft.
func (m *Microsoft) Type() string { return federation.TypeMicrosoft }

type discoveryDoc struct {
	Issuer   string `json:"issuer"`
	AuthURL  string `json:"authorization_endpoint"`
	TokenURL string `json:"token_endpoint"`
	JWKSURL  string `json:"jwks_uri"`
}

// discover reads the endpoint's metadata once. go-oidc's discovery would
// refuse it: the issuer it publishes is a template, not the URL asked.
func (m *Microsoft) discover(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.verifier != nil {
		return nil
	}
	var d discoveryDoc
	if err := getJSON(ctx, m.client, m.discovery+"/.well-known/openid-configuration", nil, &d); err != nil {
		return unavailable("discovery", err)
	}
	if d.Issuer == "" || d.AuthURL == "" || d.TokenURL == "" || d.JWKSURL == "" {
		return unavailable("discovery", "incomplete metadata")
	}
	m.template = d.Issuer
	m.conf.Endpoint.AuthURL, m.conf.Endpoint.TokenURL = d.AuthURL, d.TokenURL
	// The key set outlives this request.
	keys := gooidc.NewRemoteKeySet(m.ctx(context.WithoutCancel(ctx)), d.JWKSURL)
	m.verifier = gooidc.NewVerifier("", keys, &m.config)
	return nil
}

// LoginURL returns Entra's authorization URL.
func (m *Microsoft) LoginURL(ctx context.Context, state, nonce string, pkce federation.PKCE) (string, error) {
	if nonce == "" {
		return "", invalid("a nonce is required")
	}
	if err := m.discover(ctx); err != nil {
		return "", err
	}
	return m.authURL(state, pkce, gooidc.Nonce(nonce))
}

// HandleCallback exchanges the code and checks the ID token.
func (m *Microsoft) HandleCallback(ctx context.Context, cb federation.Callback) (federation.Identity, error) {
	var none federation.Identity
	code, err := checkCallback(cb)
	if err != nil {
		return none, err
	}
	if err := m.discover(ctx); err != nil {
		return none, err
	}
	idt, claims, err := m.idToken(ctx, code, cb, nil, m.verifier)
	if err != nil {
		return none, err
	}
	tid, oid := claimString(claims, "tid"), claimString(claims, "oid")
	if tid == "" || oid == "" {
		return none, invalid("ID token: no tid or oid")
	}
	if want := strings.ReplaceAll(m.template, "{tenantid}", tid); idt.Issuer != want {
		return none, invalid("ID token: issuer %q is not %q", idt.Issuer, want)
	}
	if len(m.allowed) > 0 && !slices.Contains(m.allowed, tid) {
		return none, invalid("tenant %s is not allowed", tid)
	}
	id := identity(tid+"/"+oid, claims)
	if id.Email == "" {
		id.Email = claimString(claims, "preferred_username")
	}
	// An Entra email or UPN is whatever the tenant's admin typed.
	id.EmailVerified = false
	return id, nil
}
