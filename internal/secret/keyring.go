package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
	"unicode/utf8"
)

// MinKeyLen is the minimum master key size in bytes (and the minimum
// passphrase length in characters).
const MinKeyLen = 32

// ErrKeyTooShort is returned by ParseMasterKey and NewKeyring.
var ErrKeyTooShort = errors.New("secret: master key too short: want at least 32 bytes " +
	"as hex (64+ chars) or base64/base64url (43+ chars), or a passphrase of 32+ characters; " +
	"generate one with: openssl rand -base64 32")

// ParseMasterKey decodes GATEHOUSE_SECRET_KEY. Surrounding whitespace is
// ignored. The first rule that yields at least 32 bytes wins:
//
//  1. hex (even length, 0-9a-fA-F only);
//  2. base64, standard or URL alphabet, padded or not;
//  3. any other string of at least 32 characters, taken as a passphrase:
//     its UTF-8 bytes are the key material.
//
// Every rule feeds HKDF, so a passphrase is as good as its entropy and no
// better; prefer random bytes. The order matters only for strings valid in
// several encodings, and is fixed so a given string always yields the same
// key.
func ParseMasterKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) >= MinKeyLen {
		return b, nil
	}
	// encoding/base64 skips line breaks; a key containing some is more
	// likely a pasting accident than an encoding, so treat it as text.
	if !strings.ContainsAny(s, "\r\n") {
		for _, enc := range []*base64.Encoding{
			base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
		} {
			if b, err := enc.DecodeString(s); err == nil && len(b) >= MinKeyLen {
				return b, nil
			}
		}
	}
	if utf8.RuneCountInString(s) >= MinKeyLen {
		return []byte(s), nil
	}
	return nil, ErrKeyTooShort
}

// hkdfSalt separates our derivations from any other use of the same master
// key (RFC 5869 §3.1).
const hkdfSalt = "gatehouse keyring v1"

// sealVersion is the first byte of every sealed message. It names the
// algorithm and key derivation, so a later key or cipher can get a new
// number while old ciphertexts still open.
const sealVersion byte = 1

// ErrDecrypt is returned by Open for tampered, truncated or foreign data,
// and for data sealed with another purpose or associated data.
var ErrDecrypt = errors.New("secret: message authentication failed")

// Keyring derives per-purpose keys from the master key. Purposes are fixed
// labels from code ("client-secret", "api-key", "totp-seed"), never user
// input: derived keys are cached per label. A Keyring is safe for
// concurrent use.
type Keyring struct {
	prk   []byte   // HKDF-Extract output; the master key itself is not kept
	macs  sync.Map // purpose -> *sync.Pool of HMAC states keyed for it
	aeads sync.Map // purpose -> cipher.AEAD
}

// NewKeyring builds a Keyring from master key bytes, as returned by
// ParseMasterKey or LoadOrCreateKeyFile.
func NewKeyring(master []byte) (*Keyring, error) {
	if len(master) < MinKeyLen {
		return nil, ErrKeyTooShort
	}
	prk, err := hkdf.Extract(sha256.New, master, []byte(hkdfSalt))
	if err != nil {
		return nil, fmt.Errorf("secret: hkdf: %w", err)
	}
	return &Keyring{prk: prk}, nil
}

// String keeps key material out of logs and panics.
func (k *Keyring) String() string   { return "secret.Keyring{…}" }
func (k *Keyring) GoString() string { return k.String() }

// subKey derives a 32-byte key. The usage ("mac", "aead") is part of the
// label so one purpose never uses the same key for two algorithms.
func (k *Keyring) subKey(usage, purpose string) []byte {
	key, err := hkdf.Expand(sha256.New, k.prk, "gatehouse/v1/"+usage+"/"+purpose, 32)
	if err != nil {
		panic("secret: hkdf expand: " + err.Error()) // only for lengths > 255*32
	}
	return key
}

// macPool returns the pool of HMAC states for purpose. Keying an HMAC costs
// two hash states and the padded key; a pooled one is only Reset, which
// restores its saved keyed state.
func (k *Keyring) macPool(purpose string) *sync.Pool {
	if v, ok := k.macs.Load(purpose); ok {
		return v.(*sync.Pool)
	}
	key := k.subKey("mac", purpose)
	v, _ := k.macs.LoadOrStore(purpose, &sync.Pool{New: func() any { return hmac.New(sha256.New, key) }})
	return v.(*sync.Pool)
}

// MAC returns HMAC-SHA256 of data under the purpose's key. It is meant for
// high-entropy secrets (256-bit random client and API-key secrets), where a
// fast keyed hash is enough and a password hash would only slow down every
// token request; a leaked database alone cannot confirm guesses.
func (k *Keyring) MAC(purpose string, data []byte) []byte {
	pool := k.macPool(purpose)
	m := pool.Get().(hash.Hash)
	m.Reset()
	m.Write(data)
	sum := m.Sum(nil)
	pool.Put(m)
	return sum
}

// Equal reports whether mac is MAC(purpose, data), in constant time.
func (k *Keyring) Equal(purpose string, data, mac []byte) bool {
	return hmac.Equal(k.MAC(purpose, data), mac)
}

func (k *Keyring) aead(purpose string) cipher.AEAD {
	if v, ok := k.aeads.Load(purpose); ok {
		return v.(cipher.AEAD)
	}
	block, err := aes.NewCipher(k.subKey("aead", purpose))
	if err != nil {
		panic("secret: aes: " + err.Error()) // key is always 32 bytes
	}
	// Random 96-bit nonces: safe for 2^32 messages per key, and each
	// purpose has its own key.
	a, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("secret: gcm: " + err.Error())
	}
	v, _ := k.aeads.LoadOrStore(purpose, a)
	return v.(cipher.AEAD)
}

// Seal encrypts and authenticates plaintext with AES-256-GCM under the
// purpose's key. associatedData is authenticated but not stored; pass
// something that ties the ciphertext to its row (tenant and user ID) so it
// cannot be copied to another. The result is
// version(1) || nonce(12) || ciphertext || tag(16). The error is always
// nil today; it is there so a future key source (a KMS) can fail.
func (k *Keyring) Seal(purpose string, plaintext, associatedData []byte) ([]byte, error) {
	a := k.aead(purpose)
	out := make([]byte, 1, 1+len(plaintext)+a.Overhead())
	out[0] = sealVersion
	return a.Seal(out, nil, plaintext, sealAD(sealVersion, associatedData)), nil
}

// Open reverses Seal. It returns ErrDecrypt if the data was modified or was
// sealed under another purpose or associated data.
func (k *Keyring) Open(purpose string, sealed, associatedData []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, ErrDecrypt
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("secret: unknown sealed-data version %d", sealed[0])
	}
	a := k.aead(purpose)
	if len(sealed)-1 < a.Overhead() {
		return nil, ErrDecrypt
	}
	pt, err := a.Open(nil, nil, sealed[1:], sealAD(sealed[0], associatedData))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// sealAD authenticates the version byte too, so it cannot be rewritten to
// steer Open to another key once there is more than one.
func sealAD(version byte, ad []byte) []byte {
	return append([]byte{version}, ad...)
}
