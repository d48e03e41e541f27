package secret

import (
	"bytes"
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
//
// A Keyring may also hold previous master keys (GATEHOUSE_SECRET_KEY_OLD),
// for a key rotation: the current key seals and computes every new keyed
// hash; the previous ones only open what they sealed and verify keyed hashes
// through Equal, until `gatehouse secret-key rotate` has re-sealed
// everything and the operator removes them. The keys of the carried
// purposes (CarriedPurposes) are the exception: see Carry.
type Keyring struct {
	roots []*root // roots[0] is the current key; the others are previous keys, newest first
	// carried holds the MAC keys of the carried purposes set by Carry.
	carried map[string][]byte
	mu      sync.Mutex // guards carried while Carry replaces it
	// pools caches the HMAC pool MAC uses per purpose, resolved once
	// (current root, or the carried key); Carry clears it.
	pools sync.Map
}

// root is what one master key derives: its HKDF pseudorandom key and the
// per-purpose keys made from it.
type root struct {
	prk   []byte   // HKDF-Extract output; the master key itself is not kept
	macs  sync.Map // purpose -> *sync.Pool of HMAC states keyed for it
	aeads sync.Map // purpose -> cipher.AEAD
}

// CarriedPurposes are the MAC purposes whose keys survive a master-key
// rotation. Their keyed hashes verify long-lived credentials that a client
// or another party holds and Gatehouse cannot re-hash (it never keeps the
// plaintext): client secrets, API keys, the bootstrap admin token, MFA
// recovery codes, remember-device cookies, and the per-tenant SMS webhook
// signing secret, dynamic client registration's initial and
// registration access tokens, and the residency directory's hashes of
// users' identifiers. Each is checked against state in the database (a stored
// hash, a device record) or shared with a party outside Gatehouse, so a
// leaked key alone gives nothing an attacker could use without the
// database, and with the database the sealed secrets would be lost anyway. A rotation stores these keys sealed under the new master key (so
// they keep working once the old key is removed) instead of changing them;
// replace the credentials themselves to retire them. Every other purpose
// (CSRF tokens, the risk engine's device cookie, one-time codes,
// authorization codes, risk counter keys) switches to the new key at once, with the previous keys
// still accepted by Equal and Open while they are configured.
var CarriedPurposes = []string{"client-secret", "api-key", "admin-token", "mfa-recovery", "mfa-device", "mfa-sms-webhook",
	"initial-access-token", "registration-token", "user-directory"}

func isCarried(purpose string) bool {
	switch purpose {
	case "client-secret", "api-key", "admin-token", "mfa-recovery", "mfa-device", "mfa-sms-webhook",
		"initial-access-token", "registration-token", // dynamic client registration
		"user-directory": // data residency's keyed hashes of identifiers
		return true
	}
	return false
}

// NewKeyring builds a Keyring from master key bytes, as returned by
// ParseMasterKey or LoadOrCreateKeyFile, and optionally previous master
// keys (newest first) that open and verify but never seal.
func NewKeyring(master []byte, previous ...[]byte) (*Keyring, error) {
	k := &Keyring{}
	for _, m := range append([][]byte{master}, previous...) {
		if len(m) < MinKeyLen {
			return nil, ErrKeyTooShort
		}
		prk, err := hkdf.Extract(sha256.New, m, []byte(hkdfSalt))
		if err != nil {
			return nil, fmt.Errorf("secret: hkdf: %w", err)
		}
		if k.has(prk) {
			continue // a previous key repeated, or equal to the current one
		}
		k.roots = append(k.roots, &root{prk: prk})
	}
	return k, nil
}

func (k *Keyring) has(prk []byte) bool {
	for _, r := range k.roots {
		if hmac.Equal(r.prk, prk) {
			return true
		}
	}
	return false
}

// Previous reports how many previous master keys the keyring holds.
func (k *Keyring) Previous() int { return len(k.roots) - 1 }

// String keeps key material out of logs and panics.
func (k *Keyring) String() string   { return "secret.Keyring{…}" }
func (k *Keyring) GoString() string { return k.String() }

// subKey derives a 32-byte key. The usage ("mac", "aead") is part of the
// label so one purpose never uses the same key for two algorithms.
func (r *root) subKey(usage, purpose string) []byte {
	key, err := hkdf.Expand(sha256.New, r.prk, "gatehouse/v1/"+usage+"/"+purpose, 32)
	if err != nil {
		panic("secret: hkdf expand: " + err.Error()) // only for lengths > 255*32
	}
	return key
}

// macPool returns the pool of HMAC states for purpose. Keying an HMAC costs
// two hash states and the padded key; a pooled one is only Reset, which
// restores its saved keyed state.
func (r *root) macPool(purpose string) *sync.Pool {
	if v, ok := r.macs.Load(purpose); ok {
		return v.(*sync.Pool)
	}
	v, _ := r.macs.LoadOrStore(purpose, newMACPool(r.subKey("mac", purpose)))
	return v.(*sync.Pool)
}

func newMACPool(key []byte) *sync.Pool {
	return &sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}
}

// macPool returns the pool MAC uses for purpose: the current key's, or for
// a carried purpose the carried key (before Carry, the oldest master key's,
// which is the one the stored hashes were made with until a rotation
// stored the carried keys).
func (k *Keyring) macPool(purpose string) *sync.Pool {
	if v, ok := k.pools.Load(purpose); ok {
		return v.(*sync.Pool)
	}
	var p *sync.Pool
	if isCarried(purpose) {
		k.mu.Lock()
		key, ok := k.carried[purpose]
		k.mu.Unlock()
		if ok {
			p = newMACPool(key)
		} else {
			p = k.roots[len(k.roots)-1].macPool(purpose)
		}
	} else {
		p = k.roots[0].macPool(purpose)
	}
	v, _ := k.pools.LoadOrStore(purpose, p)
	return v.(*sync.Pool)
}

func sum(pool *sync.Pool, data []byte) []byte {
	m := pool.Get().(hash.Hash)
	m.Reset()
	m.Write(data)
	s := m.Sum(nil)
	pool.Put(m)
	return s
}

// MAC returns HMAC-SHA256 of data under the purpose's key. It is meant for
// high-entropy secrets (256-bit random client and API-key secrets), where a
// fast keyed hash is enough and a password hash would only slow down every
// token request; a leaked database alone cannot confirm guesses.
func (k *Keyring) MAC(purpose string, data []byte) []byte {
	return sum(k.macPool(purpose), data)
}

// Equal reports whether mac is MAC(purpose, data), in constant time, or,
// for a purpose that is not carried, the MAC under a previous master key.
func (k *Keyring) Equal(purpose string, data, mac []byte) bool {
	if hmac.Equal(k.MAC(purpose, data), mac) {
		return true
	}
	if isCarried(purpose) {
		return false
	}
	for _, r := range k.roots[1:] {
		if hmac.Equal(sum(r.macPool(purpose), data), mac) {
			return true
		}
	}
	return false
}

// CarriedKeys returns the keys the carried purposes use now, to be stored
// (sealed) by a rotation.
func (k *Keyring) CarriedKeys() map[string][]byte {
	out := make(map[string][]byte, len(CarriedPurposes))
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, p := range CarriedPurposes {
		if key, ok := k.carried[p]; ok {
			out[p] = bytes.Clone(key)
		} else {
			out[p] = k.roots[len(k.roots)-1].subKey("mac", p)
		}
	}
	return out
}

// Carry sets the keys of the carried purposes, as stored by a rotation.
// Call it before the keyring is used. Every key must be 32 bytes, and
// purposes must be carried ones; a carried purpose missing from keys keeps
// the oldest master key's.
func (k *Keyring) Carry(keys map[string][]byte) error {
	for p, key := range keys {
		if !isCarried(p) {
			return fmt.Errorf("secret: %q is not a carried purpose", p)
		}
		if len(key) != 32 {
			return fmt.Errorf("secret: carried key for %q has %d bytes, want 32", p, len(key))
		}
	}
	c := make(map[string][]byte, len(keys))
	for p, key := range keys {
		c[p] = bytes.Clone(key)
	}
	k.mu.Lock()
	k.carried = c
	k.mu.Unlock()
	k.pools.Clear()
	return nil
}

func (r *root) aead(purpose string) cipher.AEAD {
	if v, ok := r.aeads.Load(purpose); ok {
		return v.(cipher.AEAD)
	}
	block, err := aes.NewCipher(r.subKey("aead", purpose))
	if err != nil {
		panic("secret: aes: " + err.Error()) // key is always 32 bytes
	}
	// Random 96-bit nonces: safe for 2^32 messages per key, and each
	// purpose has its own key.
	a, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("secret: gcm: " + err.Error())
	}
	v, _ := r.aeads.LoadOrStore(purpose, a)
	return v.(cipher.AEAD)
}

// Seal encrypts and authenticates plaintext with AES-256-GCM under the
// purpose's key of the current master key. associatedData is authenticated
// but not stored; pass something that ties the ciphertext to its row
// (tenant and user ID) so it cannot be copied to another. The result is
// version(1) || nonce(12) || ciphertext || tag(16). The error is always
// nil today; it is there so a future key source (a KMS) can fail.
func (k *Keyring) Seal(purpose string, plaintext, associatedData []byte) ([]byte, error) {
	a := k.roots[0].aead(purpose)
	out := make([]byte, 1, 1+len(plaintext)+a.Overhead())
	out[0] = sealVersion
	return a.Seal(out, nil, plaintext, sealAD(sealVersion, associatedData)), nil
}

// Open reverses Seal, with the current master key or a previous one. It
// returns ErrDecrypt if the data was modified, was sealed under another
// purpose or associated data, or under a key the keyring does not hold.
func (k *Keyring) Open(purpose string, sealed, associatedData []byte) ([]byte, error) {
	pt, _, err := k.open(purpose, sealed, associatedData)
	return pt, err
}

// open returns the plaintext and the index of the root that opened it.
func (k *Keyring) open(purpose string, sealed, associatedData []byte) ([]byte, int, error) {
	if len(sealed) == 0 {
		return nil, 0, ErrDecrypt
	}
	if sealed[0] != sealVersion {
		return nil, 0, fmt.Errorf("secret: unknown sealed-data version %d", sealed[0])
	}
	for i, r := range k.roots {
		a := r.aead(purpose)
		if len(sealed)-1 < a.Overhead() {
			return nil, 0, ErrDecrypt
		}
		// GCM authenticates under each key: only the key that sealed the
		// data opens it, so trying them in turn cannot confuse two keys.
		if pt, err := a.Open(nil, nil, sealed[1:], sealAD(sealed[0], associatedData)); err == nil {
			return pt, i, nil
		}
	}
	return nil, 0, ErrDecrypt
}

// Reseal returns sealed under the current master key: unchanged (and
// changed false) if the current key sealed it, else opened with the
// previous key that sealed it and sealed again. ErrDecrypt if no key of the
// keyring opens it.
func (k *Keyring) Reseal(purpose string, sealed, associatedData []byte) (out []byte, changed bool, err error) {
	pt, i, err := k.open(purpose, sealed, associatedData)
	if err != nil {
		return nil, false, err
	}
	if i == 0 {
		return sealed, false, nil
	}
	out, err = k.Seal(purpose, pt, associatedData)
	return out, err == nil, err
}

// sealAD authenticates the version byte too, so it cannot be rewritten to
// steer Open to another key once there is more than one.
func sealAD(version byte, ad []byte) []byte {
	return append([]byte{version}, ad...)
}
