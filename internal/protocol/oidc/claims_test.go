package oidc_test

import (
	"testing"

	"golang.org/x/oauth2"
)

// The profile scope releases name (derived from the given and family
// names when not set) and preferred_username (preferred_username, else
// the username, else the email when the email scope releases it too), in
// the ID token and at userinfo, as a go-oidc relying party reads them.
func TestNameAndPreferredUsername(t *testing.T) {
	t.Parallel()
	o := newOP(t)
	c := o.userClient(t, "", nil)
	ada := o.createUser(t, "") // given_name Ada, family_name Lovelace, no username
	grace := &user{Email: rand8() + "@example.com", Password: "correct horse battery staple"}
	grace.ID = o.admin(t, "POST", "/admin/v1/users", map[string]any{
		"email": grace.Email, "password": grace.Password, "email_verified": true, "username": "grace",
		"name": "Rear Admiral Grace Hopper", "given_name": "Grace", "family_name": "Hopper",
	})["id"].(string)

	type claims struct {
		Name              *string `json:"name"`
		PreferredUsername *string `json:"preferred_username"`
	}
	// One browser per user: the first request signs in, later ones use
	// the session (a new browser would meet the risk engine's challenge).
	browsers := map[*user]*browser{}
	for _, tc := range []struct {
		who            *user
		scopes         []string
		name, username string // "" = absent
	}{
		{ada, []string{"openid", "profile", "email"}, "Ada Lovelace", ada.Email},
		{ada, []string{"openid", "profile"}, "Ada Lovelace", ""},
		{grace, []string{"openid", "profile", "email"}, "Rear Admiral Grace Hopper", "grace"},
		{grace, []string{"openid", "email"}, "", ""},
	} {
		r := o.relyingParty(t, c, "", tc.scopes...)
		l := newLogin()
		b, signedIn := browsers[tc.who]
		who := tc.who
		if signedIn {
			who = nil
		} else {
			b = o.newBrowser(t)
			browsers[tc.who] = b
		}
		tok := r.exchange(t, r.code(t, b, who, "", l), l)
		idt, _ := r.idToken(t, tok, l.Nonce)
		var fromID, fromInfo claims
		if err := idt.Claims(&fromID); err != nil {
			t.Fatal(err)
		}
		info, err := r.prov.UserInfo(o.rpContext(t), oauth2.StaticTokenSource(tok))
		if err != nil {
			t.Fatal(err)
		}
		if err := info.Claims(&fromInfo); err != nil {
			t.Fatal(err)
		}
		for src, got := range map[string]claims{"ID token": fromID, "userinfo": fromInfo} {
			if str(got.Name) != tc.name || str(got.PreferredUsername) != tc.username ||
				(tc.name == "") != (got.Name == nil) || (tc.username == "") != (got.PreferredUsername == nil) {
				t.Errorf("%s %v %s: name %q preferred_username %q, want %q %q", tc.who.Email, tc.scopes, src,
					str(got.Name), str(got.PreferredUsername), tc.name, tc.username)
			}
		}
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
