package oauth2

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// AppleURL is Sign in with Apple's issuer and host.
const AppleURL = "https://appleid.apple.com"

// appleSecretLifetime is how long each client secret is valid (Apple
// allows up to six months; one is made per code exchange).
const appleSecretLifetime = 5 * time.Minute

// Apple signs users in with Sign in with Apple. The client secret is an
// ES256 JWT signed with the configured key (team_id as iss, client_id as
// sub, key_id as kid); the callback is a form_post; the ID token is
// checked against Apple's keys; and the person's name arrives only on the
// first sign-in, in the unsigned `user` form member, from which only the
// name is read (the email comes from the ID token).
type Apple struct {
	flow
	issuer   string
	teamID   string
	keyID    string
	key      *ecdsa.PrivateKey
	now      func() time.Time
	verifier *gooidc.IDTokenVerifier
}

// NewApple builds the connector of an `apple` connection.
func NewApple(cfg federation.Config, sec federation.Secrets, o Options) (*Apple, error) {
	if err := federation.Validate(federation.TypeApple, cfg, sec); err != nil {
		return nil, err
	}
	key, err := appleKey(sec.PrivateKeyPEM)
	if err != nil {
		return nil, invalidSetting("private_key_pem", err.Error())
	}
	if err := o.defaults(); err != nil {
		return nil, err
	}
	base := AppleURL
	if o.BaseURL != "" {
		base = strings.TrimSuffix(o.BaseURL, "/")
	}
	scopes := strings.Fields(cfg.Scopes)
	if len(scopes) == 0 {
		scopes = []string{"name", "email"}
	}
	a := &Apple{
		flow: flow{conf: oauth2.Config{ClientID: cfg.ClientID, RedirectURL: o.RedirectURI, Scopes: scopes,
			Endpoint: oauth2.Endpoint{AuthURL: base + "/auth/authorize", TokenURL: base + "/auth/token", AuthStyle: oauth2.AuthStyleInParams}},
			client: o.HTTPClient},
		issuer: base, teamID: cfg.TeamID, keyID: cfg.KeyID, key: key, now: o.Now,
	}
	keys := gooidc.NewRemoteKeySet(context.WithValue(context.Background(), oauth2.HTTPClient, o.HTTPClient), base+"/auth/keys")
	a.verifier = gooidc.NewVerifier(base, keys, &gooidc.Config{ClientID: cfg.ClientID, Now: o.Now})
	return a, nil
}

func appleKey(p string) (*ecdsa.PrivateKey, error) {
	if p == "" {
		return nil, errors.New("is required for type apple (the .p8 key from Apple)")
	}
	blk, _ := pem.Decode([]byte(p))
	if blk == nil {
		return nil, errors.New("must be a PEM private key")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		if k, err = x509.ParseECPrivateKey(blk.Bytes); err != nil {
			return nil, errors.New("must be Apple's P-256 key (PKCS #8)")
		}
	}
	ek, ok := k.(*ecdsa.PrivateKey)
	if !ok || ek.Curve != elliptic.P256() {
		return nil, errors.New("must be a P-256 (ES256) key")
	}
	return ek, nil
}

// Type is federation.TypeApple.
func (a *Apple) Type() string { return federation.TypeApple }

// ClientSecret makes the ES256 JWT Apple takes as the client secret.
func (a *Apple) ClientSecret() (string, error) {
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: a.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", a.keyID))
	if err != nil {
		return "", err
	}
	now := a.now()
	return jwt.Signed(sig).Claims(jwt.Claims{Issuer: a.teamID, Subject: a.conf.ClientID, Audience: jwt.Audience{AppleURL},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(appleSecretLifetime))}).Serialize()
}

// LoginURL returns Apple's authorization URL; Apple answers with a
// form_post when names or emails are asked for.
func (a *Apple) LoginURL(_ context.Context, state, nonce string, pkce federation.PKCE) (string, error) {
	if nonce == "" {
		return "", invalid("a nonce is required")
	}
	return a.authURL(state, pkce, gooidc.Nonce(nonce), oauth2.SetAuthURLParam("response_mode", "form_post"))
}

type appleUser struct {
	Name struct {
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
	} `json:"name"`
}

// HandleCallback checks the form_post, exchanges the code with a fresh
// client secret and checks the ID token.
func (a *Apple) HandleCallback(ctx context.Context, cb federation.Callback) (federation.Identity, error) {
	var none federation.Identity
	code, err := checkCallback(cb)
	if err != nil {
		return none, err
	}
	secret, err := a.ClientSecret()
	if err != nil {
		return none, err
	}
	conf := a.conf
	conf.ClientSecret = secret
	idt, claims, err := a.idToken(ctx, code, cb, &conf, a.verifier)
	if err != nil {
		return none, err
	}
	id := identity(idt.Subject, claims)
	if u := cb.Param("user"); u != "" {
		// First sign-in only. Unsigned: only the name is taken from it.
		var au appleUser
		if json.Unmarshal([]byte(u), &au) == nil {
			id.GivenName, id.FamilyName = au.Name.FirstName, au.Name.LastName
			id.Name = strings.TrimSpace(au.Name.FirstName + " " + au.Name.LastName)
			claims["given_name"], claims["family_name"], claims["name"] = id.GivenName, id.FamilyName, id.Name
		}
	}
	return id, nil
}
