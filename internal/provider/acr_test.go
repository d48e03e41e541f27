package provider_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/provider"
)

func TestRequiredACRAndStepUp(t *testing.T) {
	in := func(values ...string) *provider.Interaction {
		return &provider.Interaction{Request: &oauth.AuthRequest{ACRValues: values}}
	}
	pwd := &oauth.Session{ACR: provider.ACRPassword}
	mfa := &oauth.Session{ACR: provider.ACRMFA}
	phr := &oauth.Session{ACR: provider.ACRPhishingResistant}
	for _, c := range []struct {
		values    []string
		want      string
		stepUpFor []*oauth.Session
		okFor     []*oauth.Session
	}{
		{nil, "", nil, []*oauth.Session{pwd, mfa, phr}},
		{[]string{"urn:example:unknown"}, "", nil, []*oauth.Session{pwd}},
		{[]string{provider.ACRPassword}, provider.ACRPassword, nil, []*oauth.Session{pwd, mfa, phr}},
		{[]string{provider.ACRMFA}, provider.ACRMFA, []*oauth.Session{pwd}, []*oauth.Session{mfa, phr}},
		{[]string{"phr"}, provider.ACRPhishingResistant, []*oauth.Session{pwd, mfa}, []*oauth.Session{phr}},
		{[]string{"urn:gatehouse:acr:phr"}, provider.ACRPhishingResistant, []*oauth.Session{pwd, mfa}, []*oauth.Session{phr}},
		// acr_values lists what the client accepts: the weakest known one counts.
		{[]string{"phr", provider.ACRMFA}, provider.ACRMFA, []*oauth.Session{pwd}, []*oauth.Session{mfa, phr}},
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
	if in(provider.ACRMFA).NeedsStepUp(nil) {
		t.Error("no session: that is a sign-in, not a step-up")
	}
}
