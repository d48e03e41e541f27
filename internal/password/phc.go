package password

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Bounds on argon2id parameters. ParsePHC applies them to stored hashes,
// which may come from an import and so are untrusted: without a cap, one
// hostile row could make every login attempt for that user allocate
// gigabytes or run for minutes. They are generous next to DefaultParams
// (19 MiB, t=2, p=1) but exclude RFC 9106's 2 GiB profile on purpose.
const (
	MaxMemory  = 1 << 20 // KiB, i.e. 1 GiB
	MaxTime    = 64
	MaxThreads = 64
	MinSaltLen = 8 // RFC 9106 §3.1 minimum
	MaxSaltLen = 64
	MinKeyLen  = 16 // shorter tags make online guessing collisions plausible
	MaxKeyLen  = 128

	// maxPHCLen bounds the whole string before any parsing work; the
	// largest valid hash (64-byte salt, 128-byte key) is about 290 chars.
	maxPHCLen = 512
)

// ErrMalformedHash is returned (wrapped) for any stored hash that cannot be
// parsed or whose parameters are out of bounds.
var ErrMalformedHash = errors.New("password: malformed hash")

// b64 is the PHC encoding: standard alphabet without padding. Strict
// rejects non-zero trailing bits so every hash has one canonical spelling.
var b64 = base64.RawStdEncoding.Strict()

// ParsePHC parses an argon2id hash in PHC string format
// ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>") from untrusted input. The
// returned Params carry SaltLen and KeyLen as found in the string. Only
// version 19 (0x13, the one golang.org/x/crypto implements) and exactly the
// m,t,p parameter order of the reference implementation are accepted.
func ParsePHC(s string) (p Params, salt, key []byte, err error) {
	fail := func(format string, args ...any) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
	}
	if len(s) > maxPHCLen {
		return fail("longer than %d bytes", maxPHCLen)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("want 5 $-separated fields")
	}
	if parts[1] != "argon2id" {
		return fail("unsupported algorithm %q", parts[1])
	}
	if parts[2] != "v=19" {
		return fail("unsupported version %q", parts[2])
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return fail("want parameters m,t,p")
	}
	var m, t, threads uint64
	for i, want := range []struct {
		name string
		dst  *uint64
		min  uint64
		max  uint64
	}{
		{"m", &m, 1, MaxMemory},
		{"t", &t, 1, MaxTime},
		{"p", &threads, 1, MaxThreads},
	} {
		name, val, ok := strings.Cut(params[i], "=")
		if !ok || name != want.name {
			return fail("parameter %d: want %s=<n>", i+1, want.name)
		}
		n, ok := parseDecimal(val)
		if !ok || n < want.min || n > want.max {
			return fail("parameter %s out of range [%d,%d]", want.name, want.min, want.max)
		}
		*want.dst = n
	}
	// encoding/base64 skips \r and \n, which would let one hash have many
	// spellings; accept the alphabet only.
	if !isB64(parts[4]) || !isB64(parts[5]) {
		return fail("salt or key has characters outside the base64 alphabet")
	}
	salt, err = b64.DecodeString(parts[4])
	if err != nil {
		return fail("salt is not unpadded base64")
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil {
		return fail("key is not unpadded base64")
	}
	p = Params{
		Memory:  uint32(m),
		Time:    uint32(t),
		Threads: uint8(threads),
		SaltLen: uint32(len(salt)),
		KeyLen:  uint32(len(key)),
	}
	if err := p.Validate(); err != nil {
		return fail("%v", err)
	}
	return p, salt, key, nil
}

// parseDecimal accepts only canonical decimal numbers (no sign, no leading
// zero, at most 10 digits) so that a parsed hash re-encodes to itself.
func parseDecimal(s string) (uint64, bool) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

func isB64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

// encodePHC is the inverse of ParsePHC.
func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s",
		p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}
