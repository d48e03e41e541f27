package oidc_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"golang.org/x/oauth2"

	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

func TestRequiredACRAndStepUp(t *testing.T) {
	in := func(values ...string) *oidc.Interaction {
		return &oidc.Interaction{Request: &oauth.AuthRequest{ACRValues: values}}
	}
	pwd := &oauth.Session{ACR: factor.ACRPassword}
	mfa := &oauth.Session{ACR: factor.ACRMFA}
	phr := &oauth.Session{ACR: factor.ACRPhishingResistant}
	for _, c := range []struct {
		values    []string
		want      string
		stepUpFor []*oauth.Session
		okFor     []*oauth.Session
	}{
		{nil, "", nil, []*oauth.Session{pwd, mfa, phr}},
		{[]string{"urn:example:unknown"}, "", nil, []*oauth.Session{pwd}},
		{[]string{factor.ACRPassword}, factor.ACRPassword, nil, []*oauth.Session{pwd, mfa, phr}},
		{[]string{factor.ACRMFA}, factor.ACRMFA, []*oauth.Session{pwd}, []*oauth.Session{mfa, phr}},
		{[]string{"phr"}, factor.ACRPhishingResistant, []*oauth.Session{pwd, mfa}, []*oauth.Session{phr}},
		{[]string{"urn:gatehouse:acr:phr"}, factor.ACRPhishingResistant, []*oauth.Session{pwd, mfa}, []*oauth.Session{phr}},
		// acr_values lists what the client accepts: the weakest known one counts.
		{[]string{"phr", factor.ACRMFA}, factor.ACRMFA, []*oauth.Session{pwd}, []*oauth.Session{mfa, phr}},
	} {
		i := in(c.values...)
		if got := i.RequiredACR(); got != c.want {
			t.Errorf("RequiredACR(%v) = %q, want %q", c.values, got, c.want)
		}
		for _, s := range c.stepUpFor {
			if !i.NeedsStepUp(s) {
				t.Errorf("%v: a %s session must step up", c.values, s.ACR)
			}
		}
		for _, s := range c.okFor {
			if i.NeedsStepUp(s) {
				t.Errorf("%v: a %s session needs no step-up", c.values, s.ACR)
			}
		}
	}
	if in(factor.ACRMFA).NeedsStepUp(nil) {
		t.Error("no session: that is a sign-in, not a step-up")
	}
}

// A relying party (x/oauth2 and go-oidc) asks for acr_values: a password
// is urn:gatehouse:acr:pwd; asking for urn:gatehouse:acr:mfa in the same
// browser session then takes only the TOTP code (the password is not
// asked again), and the ID token says mfa with amr [pwd otp mfa].
func TestRelyingPartyACRValues(t *testing.T) {
	var mu sync.Mutex
	now := time.Now().UTC().Truncate(30 * time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	o := newOPWith(t, testserver.Options{Now: clock})
	u := o.createUser(t, "")
	r := o.relyingParty(t, o.userClient(t, "", nil), "", "openid")
	b := o.newBrowser(t)
	acr := func(l login, u *user, values string) (string, []string) {
		t.Helper()
		tok := r.exchange(t, r.code(t, b, u, "", l, oauth2.SetAuthURLParam("acr_values", values)), l)
		_, claims := r.idToken(t, tok, l.Nonce)
		s, _ := claims["acr"].(string)
		return s, toStrings(claims["amr"])
	}

	if got, amr := acr(newLogin(), u, factor.ACRPassword); got != factor.ACRPassword || !slices.Equal(amr, []string{"pwd"}) {
		t.Fatalf("password sign-in: acr %q amr %v", got, amr)
	}

	// The user enrols TOTP (as the account API would), a step later.
	ctx := context.Background()
	sc, err := o.App.Directory.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tg := mfa.Target{Tenant: sc.Tenant, Store: sc.Store, Issuer: o.issuer("")}
	iu, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	e, err := o.App.MFA.BeginTOTP(ctx, tg, iu)
	if err != nil {
		t.Fatal(err)
	}
	code := func() string {
		c, err := totp.GenerateCode(e.Secret, clock())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if _, err := o.App.MFA.ConfirmTOTP(ctx, tg, iu, e.ID, code(), "Phone"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(30 * time.Second)
	mu.Unlock()

	// Step-up: no password this time (an empty one would fail), the code.
	stepUp := &user{ID: u.ID, Email: u.Email, Code: code}
	if got, amr := acr(newLogin(), stepUp, factor.ACRMFA); got != factor.ACRMFA || !slices.Equal(amr, []string{"pwd", "otp", "mfa"}) {
		t.Fatalf("step-up: acr %q amr %v", got, amr)
	}
	// The session keeps the factor: the next request for mfa is answered
	// without a page.
	if got, _ := acr(newLogin(), nil, factor.ACRMFA); got != factor.ACRMFA {
		t.Fatalf("single sign-on after step-up: acr %q", got)
	}
}
