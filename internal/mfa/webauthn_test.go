package mfa_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	dmfa "github.com/gatehouse-iam/gatehouse/internal/domain/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
)

const (
	rpID   = "id.example.org"
	origin = "https://id.example.org"
)

var b64 = base64.RawURLEncoding

// authenticator is a software WebAuthn authenticator: one ES256 key pair
// per credential, attestation "none".
type authenticator struct {
	t        *testing.T
	key      *ecdsa.PrivateKey
	credID   []byte
	handle   []byte // the user handle it stored at registration
	platform bool
	origin   string
}

func newAuthenticator(t *testing.T, platform bool) *authenticator {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	return &authenticator{t: t, key: key, credID: id, platform: platform, origin: origin}
}

// options is the part of navigator.credentials.create/get options the
// authenticator reads.
type options struct {
	PublicKey struct {
		Challenge   string `json:"challenge"`
		Attestation string `json:"attestation"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
		AuthenticatorSelection struct {
			ResidentKey string `json:"residentKey"`
		} `json:"authenticatorSelection"`
		ExcludeCredentials []struct {
			ID string `json:"id"`
		} `json:"excludeCredentials"`
	} `json:"publicKey"`
}

func parseOptions(t *testing.T, raw []byte) options {
	t.Helper()
	var o options
	must(t, json.Unmarshal(raw, &o))
	if o.PublicKey.Challenge == "" {
		t.Fatalf("options without a challenge: %s", raw)
	}
	return o
}

func (a *authenticator) clientData(typ, challenge string) []byte {
	b, err := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.origin, "crossOrigin": false})
	must(a.t, err)
	return b
}

// authData is rpIdHash | flags | signCount [| attested credential data].
func authData(flags byte, count uint32, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, count)
	return append(out, attested...)
}

const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

func (a *authenticator) attachment() string {
	if a.platform {
		return "platform"
	}
	return "cross-platform"
}

// register answers creation options with an attestation "none" response.
func (a *authenticator) register(opts []byte) []byte {
	o := parseOptions(a.t, opts)
	handle, err := b64.DecodeString(o.PublicKey.User.ID)
	must(a.t, err)
	a.handle = handle
	cose, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, XCoord: a.key.X.FillBytes(make([]byte, 32)), YCoord: a.key.Y.FillBytes(make([]byte, 32)),
	})
	must(a.t, err)
	attested := make([]byte, 16) // AAGUID zero
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(a.credID)))
	attested = append(append(attested, a.credID...), cose...)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData(flagUP|flagUV|flagAT, 0, attested)})
	must(a.t, err)
	return a.credential(map[string]any{
		"clientDataJSON":    b64.EncodeToString(a.clientData("webauthn.create", o.PublicKey.Challenge)),
		"attestationObject": b64.EncodeToString(att),
		"transports":        []string{"usb"},
	})
}

func (a *authenticator) credential(resp map[string]any) []byte {
	b, err := json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.credID), "rawId": b64.EncodeToString(a.credID), "type": "public-key",
		"authenticatorAttachment": a.attachment(), "clientExtensionResults": map[string]any{}, "response": resp,
	})
	must(a.t, err)
	return b
}

// assert answers request options with a signed assertion at signCount.
func (a *authenticator) assert(opts []byte, count uint32) []byte {
	o := parseOptions(a.t, opts)
	cd := a.clientData("webauthn.get", o.PublicKey.Challenge)
	ad := authData(flagUP|flagUV, count, nil)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	must(a.t, err)
	return a.credential(map[string]any{
		"clientDataJSON":    b64.EncodeToString(cd),
		"authenticatorData": b64.EncodeToString(ad),
		"signature":         b64.EncodeToString(sig),
		"userHandle":        b64.EncodeToString(a.handle),
	})
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
	if fac.Type != dmfa.WebAuthn || fac.Name != "YubiKey 5" {
		t.Fatalf("factor %+v", fac)
	}
	f.noticeMail(t)
	// A second, named authenticator; the first is excluded from its options.
	id2, opts2, err := f.svc.BeginWebAuthnRegistration(ctx, f.tg, f.user, false)
	must(t, err)
	if ex := parseOptions(t, opts2).PublicKey.ExcludeCredentials; len(ex) != 1 || ex[0].ID != b64.EncodeToString(key.credID) {
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
		ch, err := f.svc.BeginChallenge(ctx, f.tg, f.user, dmfa.WebAuthn, "")
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
	key.origin = "https://evil.example"
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
	if string(pk.handle) != f.user.ID {
		t.Fatalf("user handle %q, want the user ID", pk.handle)
	}
	ch, err := f.svc.BeginPasskeyLogin(ctx, f.tg)
	must(t, err)
	if strings.Contains(string(ch.WebAuthnOptions), "allowCredentials") {
		t.Fatalf("passkey options name credentials: %s", ch.WebAuthnOptions)
	}
	res, err := f.svc.Verify(ctx, f.tg, ch.ID, mfa.Answer{WebAuthn: pk.assert(ch.WebAuthnOptions, 0)})
	must(t, err)
	if res.UserID != f.user.ID || strings.Join(res.AMR, ",") != "swk,user" || dmfa.ACRFor(res.AMR) != dmfa.ACRPhishingResistant {
		t.Fatalf("result %+v", res)
	}
	// An unknown passkey names no user.
	ch, err = f.svc.BeginPasskeyLogin(ctx, f.tg)
	must(t, err)
	stranger := newAuthenticator(t, true)
	stranger.handle = []byte("no-such-user")
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
	a.origin = "https://login.example.org"
	id, opts, err = f.svc.BeginWebAuthnRegistration(t.Context(), f.tg, f.user, false)
	must(t, err)
	_, err = f.svc.FinishWebAuthnRegistration(t.Context(), f.tg, f.user, id, "Key", a.register(opts))
	must(t, err)
	if _, err := f.svc.FinishWebAuthnRegistration(t.Context(), f.tg, f.user, id, "Key", []byte("not json")); !errors.Is(err, mfa.ErrChallengeDead) {
		t.Fatalf("finishing a used registration: err = %v", err)
	}
}
