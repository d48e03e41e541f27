// Package webauthntest is a software WebAuthn authenticator for tests:
// one ES256 key pair per credential, attestation "none", user presence
// and verification always given. It answers the options the mfa service
// hands out with the JSON a browser's PublicKeyCredential.toJSON() makes,
// so tests can drive registration and sign-in without a browser.
package webauthntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

var b64 = base64.RawURLEncoding

// Authenticator holds one credential.
type Authenticator struct {
	Key    *ecdsa.PrivateKey
	CredID []byte
	// Handle is the user handle stored at registration.
	Handle []byte
	// Platform makes it a platform authenticator (a passkey: amr swk)
	// rather than a roaming security key (hwk).
	Platform bool
	// RPID is hashed into the authenticator data; Origin goes into the
	// client data, as a browser on that origin would put it.
	RPID, Origin string
}

// New makes an authenticator with a fresh key and credential ID.
func New(rpID, origin string, platform bool) (*Authenticator, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	return &Authenticator{Key: key, CredID: id, Platform: platform, RPID: rpID, Origin: origin}, nil
}

// Options is the part of navigator.credentials.create/get options the
// authenticator reads (and tests check).
type Options struct {
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
		AllowCredentials []struct {
			ID string `json:"id"`
		} `json:"allowCredentials"`
	} `json:"publicKey"`
}

// ParseOptions reads options and requires a challenge.
func ParseOptions(raw []byte) (Options, error) {
	var o Options
	if err := json.Unmarshal(raw, &o); err != nil {
		return o, err
	}
	if o.PublicKey.Challenge == "" {
		return o, errors.New("webauthntest: options without a challenge")
	}
	return o, nil
}

func (a *Authenticator) clientData(typ, challenge string) ([]byte, error) {
	return json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
}

// authData is rpIdHash | flags | signCount [| attested credential data].
func (a *Authenticator) authData(flags byte, count uint32, attested []byte) []byte {
	h := sha256.Sum256([]byte(a.RPID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, count)
	return append(out, attested...)
}

const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

func (a *Authenticator) attachment() string {
	if a.Platform {
		return "platform"
	}
	return "cross-platform"
}

// Register answers creation options with an attestation "none" response.
func (a *Authenticator) Register(opts []byte) ([]byte, error) {
	o, err := ParseOptions(opts)
	if err != nil {
		return nil, err
	}
	if a.Handle, err = b64.DecodeString(o.PublicKey.User.ID); err != nil {
		return nil, err
	}
	cose, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, XCoord: a.Key.X.FillBytes(make([]byte, 32)), YCoord: a.Key.Y.FillBytes(make([]byte, 32)),
	})
	if err != nil {
		return nil, err
	}
	attested := make([]byte, 16) // AAGUID zero
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(a.CredID)))
	attested = append(append(attested, a.CredID...), cose...)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": a.authData(flagUP|flagUV|flagAT, 0, attested)})
	if err != nil {
		return nil, err
	}
	cd, err := a.clientData("webauthn.create", o.PublicKey.Challenge)
	if err != nil {
		return nil, err
	}
	return a.credential(map[string]any{
		"clientDataJSON":    b64.EncodeToString(cd),
		"attestationObject": b64.EncodeToString(att),
		"transports":        []string{"usb"},
	})
}

func (a *Authenticator) credential(resp map[string]any) ([]byte, error) {
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.CredID), "rawId": b64.EncodeToString(a.CredID), "type": "public-key",
		"authenticatorAttachment": a.attachment(), "clientExtensionResults": map[string]any{}, "response": resp,
	})
}

// Assert answers request options with a signed assertion at signCount.
func (a *Authenticator) Assert(opts []byte, count uint32) ([]byte, error) {
	o, err := ParseOptions(opts)
	if err != nil {
		return nil, err
	}
	cd, err := a.clientData("webauthn.get", o.PublicKey.Challenge)
	if err != nil {
		return nil, err
	}
	ad := a.authData(flagUP|flagUV, count, nil)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.Key, digest[:])
	if err != nil {
		return nil, err
	}
	return a.credential(map[string]any{
		"clientDataJSON":    b64.EncodeToString(cd),
		"authenticatorData": b64.EncodeToString(ad),
		"signature":         b64.EncodeToString(sig),
		"userHandle":        b64.EncodeToString(a.Handle),
	})
}
