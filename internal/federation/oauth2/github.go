package oauth2

import (
	"context"
	"strings"

	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// GitHub's addresses.
const (
	GitHubURL    = "https://github.com"
	GitHubAPIURL = "https://api.github.com"
)

// GitHub signs users in with GitHub, which has no OpenID Connect: the
// person is GET /user, keyed on its numeric `id` (the login can be
// renamed), and the email is the primary address of GET /user/emails, and
// only when GitHub says it is verified.
type GitHub struct {
	flow
	api string
}

// NewGitHub builds the connector of a `github` connection.
func NewGitHub(cfg federation.Config, sec federation.Secrets, o Options) (*GitHub, error) {
	if err := federation.Validate(federation.TypeGitHub, cfg, sec); err != nil {
		return nil, err
	}
	if err := o.defaults(); err != nil {
		return nil, err
	}
	base, api := GitHubURL, GitHubAPIURL
	if o.BaseURL != "" {
		base = strings.TrimSuffix(o.BaseURL, "/")
	}
	if o.APIURL != "" {
		api = strings.TrimSuffix(o.APIURL, "/")
	}
	scopes := strings.Fields(cfg.Scopes)
	if len(scopes) == 0 {
		scopes = []string{"read:user", "user:email"}
	}
	return &GitHub{
		flow: flow{conf: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: sec.ClientSecret, RedirectURL: o.RedirectURI, Scopes: scopes,
			Endpoint: oauth2.Endpoint{AuthURL: base + "/login/oauth/authorize", TokenURL: base + "/login/oauth/access_token",
				AuthStyle: oauth2.AuthStyleInParams}},
			pkce: true, client: o.HTTPClient},
		api: api,
	}, nil
}

// Type is federation.TypeGitHub.
func (g *GitHub) Type() string { return federation.TypeGitHub }

// LoginURL returns GitHub's authorization URL.
func (g *GitHub) LoginURL(_ context.Context, state, _ string, pkce federation.PKCE) (string, error) {
	return g.authURL(state, pkce)
}

type githubEmail struct {
	Email    string `json:"email"`
	Primary  bool   `json:"primary"`
	Verified bool   `json:"verified"`
}

// HandleCallback exchanges the code and reads /user and /user/emails.
func (g *GitHub) HandleCallback(ctx context.Context, cb federation.Callback) (federation.Identity, error) {
	var none federation.Identity
	code, err := checkCallback(cb)
	if err != nil {
		return none, err
	}
	tok, err := g.exchange(ctx, code, cb, nil)
	if err != nil {
		return none, err
	}
	var raw []byte
	var user map[string]any
	if err := getJSON(ctx, g.client, g.api+"/user", tok, (*rawJSON)(&raw)); err != nil {
		return none, err
	}
	if user, err = decodeClaims(raw); err != nil {
		return none, invalid("/user: %v", err)
	}
	sub := claimString(user, "id")
	if sub == "" {
		return none, invalid("/user has no id")
	}
	var emails []githubEmail
	if err := getJSON(ctx, g.client, g.api+"/user/emails", tok, &emails); err != nil {
		return none, err
	}
	id := federation.Identity{Subject: sub, PreferredUsername: claimString(user, "login"), Name: claimString(user, "name"), Claims: user}
	for _, e := range emails {
		// Only the primary address, and only once verified: any other
		// could be someone else's.
		if e.Primary && e.Verified && e.Email != "" {
			id.Email, id.EmailVerified = e.Email, true
		}
	}
	if id.Email != "" {
		user["email"] = id.Email
	} else {
		delete(user, "email") // the profile's public email is not checked by GitHub
	}
	return id, nil
}

// rawJSON keeps a JSON body as is.
type rawJSON []byte

func (r *rawJSON) UnmarshalJSON(b []byte) error { *r = append((*r)[:0], b...); return nil }
