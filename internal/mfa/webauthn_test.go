package mfa_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/mfa/webauthntest"
)

const (
	rpID   = "id.example.org"
	origin = "https://id.example.org"
)

var b64 = base64.RawURLEncoding

// authenticator is webauthntest's software authenticator, failing the
// test on error.
type authenticator struct {
	*webauthntest.Authenticator
	t *testing.T
}

func newAuthenticator(t *testing.T, platform bool) *authenticator {
	t.Helper()
	a, err := webauthntest.New(rpID, origin, platform)
	must(t, err)
	return &authenticator{Authenticator: a, t: t}
}

func parseOptions(t *testing.T, raw []byte) webauthntest.Options {
	t.Helper()
	o, err := webauthntest.ParseOptions(raw)
	must(t, err)
	return o
}

func (a *authenticator) register(opts []byte) []byte {
	b, err := a.Register(opts)
	must(a.t, err)
	return b
}

func (a *authenticator) assert(opts []byte, count uint32) []byte {
	b, err := a.Assert(opts, count)
	must(a.t, err)
	return b
}

func TestWebAuthnSecondFactor(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	key := newAuthenticator(t, false)
	id, opts, err := f.svc.BeginWebAuthnRegistration(ctx, f.tg, f.user, false)
	must(t, err)
	o := parseOptions(t, opts)
	if o.PublicKey.Attestation != "none" || o.PublicKey.AuthenticatorSelection.ResidentKey != "discouraged" {
		t.Fatalf("registration options %s", opts)
	}
	fac, err := f.svc.FinishWebAuthnRegistration(ctx, f.tg, f.user, id, "YubiKey 5", key.register(opts))
	must(t, err)
	if fac.Type != factor.WebAuthn || fac.Name != "YubiKey 5" {
		t.Fatalf("factor %+v", fac)
	}
	f.noticeMail(t)
	// A second, named authenticator; the first is excluded from its options.
	id2, opts2, err := f.svc.BeginWebAuthnRegistration(ctx, f.tg, f.user, false)
	must(t, err)
	if ex := parseOptions(t, opts2).PublicKey.ExcludeCredentials; len(ex) != 1 || ex[0].ID != b64.EncodeToString(key.CredID) {
		t.Fatalf("excludeCredentials %+v", ex)
	}
	_, err = f.svc.FinishWebAuthnRegistration(ctx, f.tg, f.user, id2, "Backup key", newAuthenticator(t, false).register(opts2))
	must(t, err)
	f.noticeMail(t)
	list, err := f.svc.Factors(ctx, f.tg, f.user.ID)
	must(t, err)
	if len(list) != 2 || list[1].Name != "Backup key" {
		t.Fatalf("factors %+v", list)
	}

	signIn := func(count uint32) (*mfa.Result, error) {
		ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, factor.WebAuthn, "")
		must(t, err)
		return f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{WebAuthn: key.assert(ch.WebAuthnOptions, count)})
	}
	res, err := signIn(1)
	must(t, err)
	if res.UserID != f.user.ID || res.Factor.ID != fac.ID || res.Factor.LastUsedAt == nil || strings.Join(res.AMR, ",") != "hwk,user" {
		t.Fatalf("result %+v", res)
	}
	if _, err := signIn(7); err != nil {
		t.Fatal(err)
	}
	// A counter that did not grow means a cloned authenticator: refused.
	for _, n := range []uint32{7, 3} {
		if _, err := signIn(n); !errors.Is(err, mfa.ErrInvalidCode) {
			t.Fatalf("sign count %d after 7: err = %v, want ErrInvalidCode", n, err)
		}
	}
	// An assertion from another origin is refused.
	key.Origin = "https://evil.example"
	if _, err := signIn(9); !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("foreign origin: err = %v", err)
	}
}

func TestWebAuthnPasskeyLogin(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	pk := newAuthenticator(t, true)
	id, opts, err := f.svc.BeginWebAuthnRegistration(ctx, f.tg, f.user, true)
	must(t, err)
	if rk := parseOptions(t, opts).PublicKey.AuthenticatorSelection.ResidentKey; rk != "required" {
		t.Fatalf("residentKey %q, want required", rk)
	}
	_, err = f.svc.FinishWebAuthnRegistration(ctx, f.tg, f.user, id, "iPhone", pk.register(opts))
	must(t, err)
	f.noticeMail(t)
	if string(pk.Handle) != f.user.ID {
		t.Fatalf("user handle %q, want the user ID", pk.Handle)
	}
	ch, err := f.svc.BeginPasskeyLogin(ctx, f.tg)
	must(t, err)
	if strings.Contains(string(ch.WebAuthnOptions), "allowCredentials") {
		t.Fatalf("passkey options name credentials: %s", ch.WebAuthnOptions)
	}
	res, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{WebAuthn: pk.assert(ch.WebAuthnOptions, 0)})
	must(t, err)
	if res.UserID != f.user.ID || strings.Join(res.AMR, ",") != "swk,user" || factor.ACRFor(res.AMR) != factor.ACRPhishingResistant {
		t.Fatalf("result %+v", res)
	}
	// An unknown passkey names no user.
	ch, err = f.svc.BeginPasskeyLogin(ctx, f.tg)
	must(t, err)
	stranger := newAuthenticator(t, true)
	stranger.Handle = []byte("no-such-user")
	if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{WebAuthn: stranger.assert(ch.WebAuthnOptions, 0)}); !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("unknown passkey: err = %v", err)
	}
	if _, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{WebAuthn: []byte("{")}); !errors.Is(err, mfa.ErrInvalidCode) {
		t.Fatalf("malformed assertion: err = %v", err)
	}
}

func TestWebAuthnRequireAttestation(t *testing.T) {
	f := newFixture(t, func(p *identity.MFAPolicy) { p.WebAuthn.RequireAttestation = true })
	id, opts, err := f.svc.BeginWebAuthnRegistration(t.Context(), f.tg, f.user, false)
	must(t, err)
	if a := parseOptions(t, opts).PublicKey.Attestation; a != "direct" {
		t.Fatalf("attestation %q, want direct", a)
	}
	_, err = f.svc.FinishWebAuthnRegistration(t.Context(), f.tg, f.user, id, "Key", newAuthenticator(t, false).register(opts))
	if !errors.Is(err, mfa.ErrInvalid) {
		t.Fatalf("attestation none: err = %v, want ErrInvalid", err)
	}
}

func TestWebAuthnRegistrationChecksOriginAndRP(t *testing.T) {
	f := newFixture(t, func(p *identity.MFAPolicy) {
		p.WebAuthn.RPID, p.WebAuthn.RPOrigins = rpID, []string{"https://login.example.org"}
	})
	id, opts, err := f.svc.BeginWebAuthnRegistration(t.Context(), f.tg, f.user, false)
	must(t, err)
	// The issuer's origin is not among the configured ones.
	_, err = f.svc.FinishWebAuthnRegistration(t.Context(), f.tg, f.user, id, "Key", newAuthenticator(t, false).register(opts))
	if !errors.Is(err, mfa.ErrInvalid) {
		t.Fatalf("wrong origin: err = %v, want ErrInvalid", err)
	}
	a := newAuthenticator(t, false)
	a.Origin = "https://login.example.org"
	id, opts, err = f.svc.BeginWebAuthnRegistration(t.Context(), f.tg, f.user, false)
	must(t, err)
	_, err = f.svc.FinishWebAuthnRegistration(t.Context(), f.tg, f.user, id, "Key", a.register(opts))
	must(t, err)
	if _, err := f.svc.FinishWebAuthnRegistration(t.Context(), f.tg, f.user, id, "Key", []byte("not json")); !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("finishing a used registration: err = %v", err)
	}
}

// Passkeys work only where the pages' host can use the relying-party ID:
// never on an IP address (whatever rp_id says), nor with the policy off.
func TestPasskeysUsable(t *testing.T) {
	svc := &mfa.Service{}
	for _, c := range []struct {
		issuer, rpID string
		mode         string
		want         bool
	}{
		{"https://id.example.org/t/acme", "", factor.ModeOptional, true},
		{"http://localhost:8080", "", factor.ModeOptional, true},
		{"https://login.id.example.org", "example.org", factor.ModeRequired, true},
		{"https://id.example.org", "", factor.ModeOff, false},
		{"http://127.0.0.1:8080", "", factor.ModeOptional, false},
		{"http://127.0.0.1:8080", "localhost", factor.ModeOptional, false},
		{"http://[::1]:8080", "", factor.ModeOptional, false},
		{"https://id.example.org", "other.example", factor.ModeOptional, false},
		{"https://badexample.org", "example.org", factor.ModeOptional, false},
	} {
		ten := &identity.Tenant{DisplayName: "Acme", MFA: identity.MFAPolicy{Mode: c.mode,
			WebAuthn: identity.MFAWebAuthn{RPID: c.rpID}}}
		if c.rpID != "" {
			ten.MFA.WebAuthn.RPOrigins = []string{c.issuer}
		}
		if got := svc.PasskeysUsable(mfa.Target{Tenant: ten, Issuer: c.issuer}); got != c.want {
			t.Errorf("issuer %s, rp_id %q, mode %s: usable %v, want %v", c.issuer, c.rpID, c.mode, got, c.want)
		}
	}
}
