package login_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa/webauthntest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The passkey sign-in path under attack, over HTTP as webauthn.js drives
// it (begin, the authenticator, finish), with the software authenticator
// of internal/mfa/webauthntest standing in for the browser's.

var passkeyCSRFRe = regexp.MustCompile(`data-csrf="([^"]+)"`)

// passkeySignIn signs in without a password with key at signature count
// count, from the agent's address, signed out first (the device cookie
// stays): the sign-in page for the CSRF token, then
// /login/mfa/passkey/begin and /finish.
func (a *agent) passkeySignIn(s *simEnv, key *webauthntest.Authenticator, count uint32) (string, error) {
	iss, _ := url.Parse(s.issuer(""))
	a.jar.SetCookies(iss, []*http.Cookie{{Name: "gh_session", Value: "", Path: "/", MaxAge: -1}})
	loc, err := a.authorize(s)
	if err != nil {
		return "", err
	}
	req, _ := http.NewRequest(http.MethodGet, loc.String(), nil)
	_, page, err := a.do(a.raw, req)
	if err != nil {
		return "", err
	}
	m := passkeyCSRFRe.FindStringSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("no passkey sign-in on the page: %.300s", page)
	}
	id := loc.Query().Get("authRequestID")
	res, body, err := a.postJSON(s, a.raw, "/login/mfa/passkey/begin", map[string]string{"auth_request_id": id}, "X-CSRF-Token", m[1])
	if err != nil || res.StatusCode != http.StatusOK {
		return passkeyOutcome(res, body, err)
	}
	var begin struct {
		ChallengeID string          `json:"challenge_id"`
		Options     json.RawMessage `json:"options"`
	}
	if err := json.Unmarshal([]byte(body), &begin); err != nil {
		return "", err
	}
	cred, err := key.Assert(begin.Options, count)
	if err != nil {
		return "", err
	}
	res, body, err = a.postJSON(s, a.raw, "/login/mfa/passkey/finish", map[string]any{
		"auth_request_id": id, "challenge_id": begin.ChallengeID, "credential": json.RawMessage(cred),
	}, "X-CSRF-Token", m[1])
	return passkeyOutcome(res, body, err)
}

func passkeyOutcome(res *http.Response, body string, err error) (string, error) {
	switch {
	case err != nil:
		return "", err
	case res.StatusCode == http.StatusOK:
		return outComplete, nil
	case res.StatusCode == http.StatusUnauthorized:
		return outFailed, nil
	case res.StatusCode == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "":
		return outThrottled, nil
	}
	return "", fmt.Errorf("passkey sign-in answered %d: %.300s", res.StatusCode, body)
}

// TestAttackPasskeySignIn: the owner signs in with a passkey (a platform
// authenticator with user verification) from their own address; a
// password-user stream runs throughout. An attacker who knows the
// owner's credential ID and user handle (both travel in the clear) sends
// 30 assertions signed with another key from one address; a clone of the
// owner's authenticator (same key, stale signature counter) tries from
// another; finally the attacker holds the real authenticator, on the
// first address. Forged and cloned assertions never sign in; every
// refusal counts as a failed sign-in for the account named, so the
// forger's address is locked out after ten (account.locked) and even
// the real passkey is refused there (429); the owner is never held back.
func TestAttackPasskeySignIn(t *testing.T) {
	s := newSimEnv(t, func(o *testserver.Options) { o.LoopbackIssuer, o.LocalhostIssuer = false, true })
	ids := s.users("keyholder", 1, func(int) string { return testPassword })
	key := s.enrolPasskey(ids[0])
	count := uint32(0)
	next := func() uint32 { count++; return count }
	owner := s.agent("10.91.0.1")
	if out, err := owner.passkeySignIn(s, key, next()); out != outComplete || err != nil {
		t.Fatalf("owner's passkey sign-in: %s %v", out, err)
	}
	l := s.startLegit(5)

	forger := s.agent("10.92.0.1")
	forged, err := webauthntest.New(key.RPID, key.Origin, true)
	if err != nil {
		t.Fatal(err)
	}
	forged.CredID, forged.Handle = key.CredID, key.Handle
	var out tally
	for i := range 30 {
		got, err := forger.passkeySignIn(s, forged, uint32(100+i))
		if err != nil {
			t.Fatal(err)
		}
		out.add(got)
		if i%10 == 9 { // the owner, meanwhile, on the known device
			if got, err := owner.passkeySignIn(s, key, next()); got != outComplete || err != nil {
				t.Fatalf("owner during the forgeries: %s %v", got, err)
			}
		}
	}
	clone := *key
	if got, err := s.agent("10.93.0.1").passkeySignIn(s, &clone, 1); got != outFailed || err != nil {
		t.Errorf("cloned authenticator (stale counter): %s %v, want refused", got, err)
	}
	if got, err := forger.passkeySignIn(s, key, next()); got != outThrottled || err != nil {
		t.Errorf("the real passkey from the locked address: %s %v, want throttled", got, err)
	}
	if got, err := owner.passkeySignIn(s, key, next()); got != outComplete || err != nil {
		t.Errorf("owner after the attack: %s %v", got, err)
	}
	l.finish(t)
	t.Logf("passkey forgeries, 30 from one address: %v", &out)
	if out.get(outFailed) != 30 {
		t.Errorf("forgeries: %v, want all 30 refused", &out)
	}
	if locked := s.events.of(events.AccountLocked, ids[0]); len(locked) != 1 {
		t.Errorf("account.locked events: %+v, want one (the forger's address)", locked)
	}
	if got := s.lockedSources(ids[0]); !slices.Contains(got, "ip:10.92.0.1") {
		t.Errorf("locked sources %v, want the forger's address", got)
	}
	if n := len(s.events.of(events.LoginFailed, "")); n < 31 {
		t.Errorf("%d login.failed events, want one per refused passkey", n)
	}
}

// enrolPasskey registers a discoverable platform passkey for the default
// tenant's user and returns its authenticator.
func (s *simEnv) enrolPasskey(userID string) *webauthntest.Authenticator {
	s.t.Helper()
	ctx := context.Background()
	tg, u := s.mfaUser(userID)
	key, err := webauthntest.New("localhost", s.issuer(""), true)
	if err != nil {
		s.t.Fatal(err)
	}
	regID, opts, err := s.srv.App.MFA.BeginWebAuthnRegistration(ctx, tg, u, true)
	if err != nil {
		s.t.Fatal(err)
	}
	cred, err := key.Register(opts)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.srv.App.MFA.FinishWebAuthnRegistration(ctx, tg, u, regID, "Laptop", cred); err != nil {
		s.t.Fatal(err)
	}
	return key
}
