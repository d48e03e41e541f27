// Package password hashes and verifies user passwords.
//
// New hashes are argon2id in PHC string format. bcrypt hashes are accepted
// for verification only, so users imported from other systems can sign in
// once and be rehashed. Passwords are NFKC-normalised before hashing
// (NIST SP 800-63B §5.1.1.2), so the same password typed on keyboards that
// produce different Unicode forms still matches.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams is the OWASP Password Storage Cheat Sheet argon2id profile
// (m=19 MiB, t=2, p=1): 20-35 ms and 19 MiB per hash on one server core.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Validate reports every parameter outside the bounds that ParsePHC also
// enforces, so anything we hash we can later verify.
func (p Params) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(p.Threads >= 1 && p.Threads <= MaxThreads, "threads must be in [1,%d]", MaxThreads)
	// Argon2 needs at least 8 KiB per lane (RFC 9106 §3.1).
	check(p.Memory >= 8*uint32(max(p.Threads, 1)) && p.Memory <= MaxMemory, "memory must be in [8*threads,%d] KiB", MaxMemory)
	check(p.Time >= 1 && p.Time <= MaxTime, "time must be in [1,%d]", MaxTime)
	check(p.SaltLen >= MinSaltLen && p.SaltLen <= MaxSaltLen, "salt length must be in [%d,%d]", MinSaltLen, MaxSaltLen)
	check(p.KeyLen >= MinKeyLen && p.KeyLen <= MaxKeyLen, "key length must be in [%d,%d]", MinKeyLen, MaxKeyLen)
	return errors.Join(errs...)
}

// MaxPasswordLen caps the input in bytes. NIST asks that at least 64
// characters be allowed; the cap only stops multi-megabyte bodies from
// being normalised and hashed.
const MaxPasswordLen = 4096

// maxBcryptCost caps the cost of stored bcrypt hashes: a hostile import
// with cost 31 would otherwise take days per verify. Cost 15 is ~2 s.
const maxBcryptCost = 15

// Errors about the password itself, as opposed to the stored hash.
var (
	ErrPasswordTooLong = fmt.Errorf("password: longer than %d bytes", MaxPasswordLen)
	ErrEmptyPassword   = errors.New("password: empty")
)

// Hasher hashes with Params. The zero value uses DefaultParams. It is safe
// for concurrent use.
type Hasher struct {
	Params Params
}

func (h *Hasher) params() Params {
	if h.Params == (Params{}) {
		return DefaultParams
	}
	return h.Params
}

// Hash returns an argon2id PHC string such as
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>".
func (h *Hasher) Hash(password string) (string, error) {
	p := h.params()
	if err := p.Validate(); err != nil {
		return "", fmt.Errorf("password: invalid params: %w", err)
	}
	if password == "" {
		return "", ErrEmptyPassword
	}
	pw, err := normalize(password)
	if err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := idKey(pw, salt, p)
	return encodePHC(p, salt, key), nil
}

// Verify checks password against a stored argon2id or bcrypt hash.
//
// ok is false with a nil error for a wrong password; err is non-nil only
// when the stored hash is malformed or out of bounds (wrapping
// ErrMalformedHash) or the password is too long. needsRehash is true only
// together with ok, when the caller should store a fresh Hash of the
// password: the argon2id parameters differ from h.Params, or the hash is
// bcrypt.
func (h *Hasher) Verify(password, phc string) (ok, needsRehash bool, err error) {
	if len(password) > MaxPasswordLen {
		return false, false, ErrPasswordTooLong
	}
	if isBcrypt(phc) {
		ok, err := verifyBcrypt(password, phc)
		return ok, ok, err
	}
	p, salt, key, err := ParsePHC(phc)
	if err != nil {
		return false, false, err
	}
	pw, err := normalize(password)
	if err != nil {
		return false, false, err
	}
	got := idKey(pw, salt, p)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != h.params(), nil
}

// dummySalt is long enough for any valid SaltLen.
var dummySalt [MaxSaltLen]byte

// DummyVerify does the work of a Verify against a hash made with h.Params
// and discards the result. Call it when the user does not exist, so that
// response time does not reveal which accounts exist.
func (h *Hasher) DummyVerify(password string) {
	p := h.params()
	if p.Validate() != nil || len(password) > MaxPasswordLen {
		return // Verify would also return early
	}
	pw, _ := normalize(password)
	got := idKey(pw, dummySalt[:p.SaltLen], p)
	subtle.ConstantTimeCompare(got, make([]byte, len(got)))
}

func normalize(password string) ([]byte, error) {
	if len(password) > MaxPasswordLen {
		return nil, ErrPasswordTooLong
	}
	return []byte(norm.NFKC.String(password)), nil
}

func isBcrypt(s string) bool {
	return strings.HasPrefix(s, "$2a$") || strings.HasPrefix(s, "$2b$") || strings.HasPrefix(s, "$2y$")
}

// bcryptLen is the fixed length of a modular-crypt bcrypt hash.
const bcryptLen = 60

func verifyBcrypt(password, hash string) (bool, error) {
	if len(hash) != bcryptLen {
		return false, fmt.Errorf("%w: bcrypt hash must be %d characters", ErrMalformedHash, bcryptLen)
	}
	cost, err := bcrypt.Cost([]byte(hash))
	if err != nil {
		return false, fmt.Errorf("%w: %v", ErrMalformedHash, err)
	}
	if cost > maxBcryptCost {
		return false, fmt.Errorf("%w: bcrypt cost %d above %d", ErrMalformedHash, cost, maxBcryptCost)
	}
	compare := func(pw string) (bool, error) {
		err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
			return false, nil
		default:
			return false, fmt.Errorf("%w: %v", ErrMalformedHash, err)
		}
	}
	// The exporting system most likely hashed the bytes as typed; fall back
	// to the NFKC form in case it normalised too.
	ok, err := compare(password)
	if ok || err != nil {
		return ok, err
	}
	if n := norm.NFKC.String(password); n != password {
		return compare(n)
	}
	return false, nil
}

// slots bounds concurrent argon2id computations to the CPUs: more would
// not finish sooner, and each holds Params.Memory of RAM, so a burst of
// sign-ins queues here instead of exhausting memory.
var slots = make(chan struct{}, runtime.GOMAXPROCS(0))

func idKey(pw, salt []byte, p Params) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}
