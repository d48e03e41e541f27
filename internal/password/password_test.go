package password

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// testParams keeps the race-enabled test run fast; DefaultParams is
// exercised by the benchmark and TestDefaultParamsFormat.
var testParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestReferenceVectors(t *testing.T) {
	// From the Argon2 reference implementation's test suite
	// (phc-winner-argon2 src/test.c), salt "somesalt".
	vectors := []string{
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
	}
	h := &Hasher{Params: Params{Memory: 256, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 32}}
	for i, v := range vectors {
		ok, rehash, err := h.Verify("password", v)
		if err != nil || !ok {
			t.Fatalf("vector %d: ok=%v err=%v", i, ok, err)
		}
		if wantRehash := i == 1; rehash != wantRehash {
			t.Errorf("vector %d: needsRehash=%v, want %v", i, rehash, wantRehash)
		}
		if ok, _, _ := h.Verify("Password", v); ok {
			t.Errorf("vector %d: wrong password accepted", i)
		}
	}
}

func TestDefaultParamsFormat(t *testing.T) {
	var h Hasher // zero value means DefaultParams
	phc, err := h.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected prefix: %s", phc)
	}
	for _, field := range strings.Split(phc, "$")[4:] {
		if strings.Contains(field, "=") {
			t.Fatalf("padding in base64 field %q", field)
		}
	}
	p, salt, key, err := ParsePHC(phc)
	if err != nil {
		t.Fatal(err)
	}
	if p != DefaultParams || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("parsed %+v salt=%d key=%d", p, len(salt), len(key))
	}
}

func TestHashVerify(t *testing.T) {
	h := &Hasher{Params: testParams}
	phc, err := h.Hash("s3cret passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := h.Hash("s3cret passw0rd")
	if other == phc {
		t.Fatal("two hashes of one password are equal: salt not random")
	}

	tests := []struct {
		name       string
		hasher     *Hasher
		password   string
		wantOK     bool
		wantRehash bool
	}{
		{"round trip", h, "s3cret passw0rd", true, false},
		{"wrong password", h, "s3cret passw0rd!", false, false},
		{"empty password", h, "", false, false},
		{"more memory wanted", &Hasher{Params: Params{Memory: 128, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}, "s3cret passw0rd", true, true},
		{"more passes wanted", &Hasher{Params: Params{Memory: 64, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}}, "s3cret passw0rd", true, true},
		{"longer salt wanted", &Hasher{Params: Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 32, KeyLen: 32}}, "s3cret passw0rd", true, true},
		{"rehash not reported on failure", &Hasher{Params: DefaultParams}, "nope", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := tt.hasher.Verify(tt.password, phc)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || rehash != tt.wantRehash {
				t.Fatalf("Verify = (%v, %v), want (%v, %v)", ok, rehash, tt.wantOK, tt.wantRehash)
			}
		})
	}
}

func TestUnicodeNormalisation(t *testing.T) {
	h := &Hasher{Params: testParams}
	tests := []struct {
		name            string
		stored, entered string
	}{
		// U+00E9 vs e + U+0301 COMBINING ACUTE ACCENT.
		{"composed vs decomposed", "caf\u00e9 au lait", "cafe\u0301 au lait"},
		// U+FB01 LATIN SMALL LIGATURE FI folds to "fi" under NFKC.
		{"compatibility ligature", "\ufb01sh tank", "fish tank"},
		// U+FF21 FULLWIDTH LATIN CAPITAL LETTER A from an IME.
		{"fullwidth", "\uff21BC-def-123", "ABC-def-123"},
		// U+2126 OHM SIGN vs U+03A9 GREEK CAPITAL LETTER OMEGA.
		{"singleton", "\u2126mega-pass", "\u03a9mega-pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phc, err := h.Hash(tt.stored)
			if err != nil {
				t.Fatal(err)
			}
			if ok, _, err := h.Verify(tt.entered, phc); !ok || err != nil {
				t.Fatalf("equivalent input rejected: ok=%v err=%v", ok, err)
			}
		})
	}
	// Normalisation must not fold case: that would shrink the key space.
	phc, _ := h.Hash("CaseMatters")
	if ok, _, _ := h.Verify("casematters", phc); ok {
		t.Fatal("case folded")
	}
}

func TestPasswordLimits(t *testing.T) {
	h := &Hasher{Params: testParams}
	if _, err := h.Hash(""); !errors.Is(err, ErrEmptyPassword) {
		t.Errorf("Hash(\"\") err = %v", err)
	}
	long := strings.Repeat("a", MaxPasswordLen+1)
	if _, err := h.Hash(long); !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("Hash(long) err = %v", err)
	}
	phc, _ := h.Hash("x")
	if ok, _, err := h.Verify(long, phc); ok || !errors.Is(err, ErrPasswordTooLong) {
		t.Errorf("Verify(long) = %v, %v", ok, err)
	}
	// NIST 800-63B: at least 64 characters must be accepted.
	if _, err := h.Hash(strings.Repeat("\u00e9", 64)); err != nil {
		t.Errorf("64 characters rejected: %v", err)
	}
}

func TestInvalidParams(t *testing.T) {
	tests := []struct {
		name string
		p    Params
	}{
		{"zero threads", Params{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32}},
		{"memory below 8 KiB per lane", Params{Memory: 15, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}},
		{"memory above cap", Params{Memory: MaxMemory + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"zero time", Params{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"short salt", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32}},
		{"short key", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.p.Validate() == nil {
				t.Fatal("Validate accepted")
			}
			if _, err := (&Hasher{Params: tt.p}).Hash("pw"); err == nil {
				t.Fatal("Hash accepted invalid params")
			}
		})
	}
	if err := DefaultParams.Validate(); err != nil {
		t.Fatalf("DefaultParams invalid: %v", err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	h := &Hasher{Params: testParams}
	good, _ := h.Hash("pw")
	_, _, _, err := ParsePHC(good)
	if err != nil {
		t.Fatal(err)
	}
	salt := strings.Split(good, "$")[4]
	key := strings.Split(good, "$")[5]
	tests := []struct {
		name string
		phc  string
	}{
		{"empty", ""},
		{"plain text", "pw"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{"missing version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key},
		{"params reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key},
		{"signed number", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key},
		{"huge memory", "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key},
		{"memory overflow", "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + key},
		{"huge time", "$argon2id$v=19$m=64,t=100000,p=1$" + salt + "$" + key},
		{"zero threads", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
		{"threads overflow uint8", "$argon2id$v=19$m=4096,t=1,p=257$" + salt + "$" + key},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"url alphabet", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.NewReplacer("+", "-", "/", "_").Replace(key) + "-_"},
		{"newline in key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:10] + "\n" + key[10:]},
		{"short salt", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key},
		{"short key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$a2V5"},
		{"trailing field", good + "$x"},
		{"keyid parameter", "$argon2id$v=19$m=64,t=1,p=1,keyid=AAAA$" + salt + "$" + key},
		{"bcrypt truncated", "$2b$10$abc"},
		{"bcrypt hostile cost", "$2b$31$" + strings.Repeat("a", 53)},
		{"bcrypt trailing junk", "$2b$04$" + strings.Repeat("a", 53) + "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := h.Verify("pw", tt.phc)
			if ok || rehash || !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("Verify = (%v, %v, %v), want ErrMalformedHash", ok, rehash, err)
			}
		})
	}
}

func TestBcryptImport(t *testing.T) {
	h := &Hasher{Params: testParams}
	for _, prefix := range []string{"$2a$", "$2b$", "$2y$"} {
		t.Run(prefix, func(t *testing.T) {
			b, err := bcrypt.GenerateFromPassword([]byte("imported pw"), bcrypt.MinCost)
			if err != nil {
				t.Fatal(err)
			}
			stored := prefix + string(b[4:])
			ok, rehash, err := h.Verify("imported pw", stored)
			if err != nil || !ok || !rehash {
				t.Fatalf("Verify = (%v, %v, %v), want (true, true, nil)", ok, rehash, err)
			}
			ok, rehash, err = h.Verify("imported pw?", stored)
			if err != nil || ok || rehash {
				t.Fatalf("wrong password: (%v, %v, %v)", ok, rehash, err)
			}
		})
	}
	t.Run("exporter normalised", func(t *testing.T) {
		b, _ := bcrypt.GenerateFromPassword([]byte("caf\u00e9"), bcrypt.MinCost)
		if ok, _, err := h.Verify("cafe\u0301", string(b)); !ok || err != nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})
	t.Run("exporter did not normalise", func(t *testing.T) {
		b, _ := bcrypt.GenerateFromPassword([]byte("\ufb01sh"), bcrypt.MinCost)
		if ok, _, err := h.Verify("\ufb01sh", string(b)); !ok || err != nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})
}

func TestDummyVerify(t *testing.T) {
	// Not a timing test (too flaky for CI); it must simply run for any input.
	h := &Hasher{Params: testParams}
	h.DummyVerify("")
	h.DummyVerify("anything")
	h.DummyVerify(strings.Repeat("x", MaxPasswordLen+1))
	(&Hasher{Params: Params{Memory: 64, Time: 1, Threads: 1, SaltLen: MaxSaltLen, KeyLen: MaxKeyLen}}).DummyVerify("x")
}

func BenchmarkVerify(b *testing.B) {
	h := &Hasher{Params: DefaultParams}
	phc, err := h.Hash("benchmark password")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, _ := h.Verify("benchmark password", phc); !ok {
			b.Fatal("verify failed")
		}
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	h := &Hasher{Params: DefaultParams}
	for b.Loop() {
		h.DummyVerify("benchmark password")
	}
}
