package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var testMaster = bytes.Repeat([]byte{0x42}, 32)

func newTestKeyring(t testing.TB) *Keyring {
	t.Helper()
	k, err := NewKeyring(testMaster)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok := Token(32)
		if len(tok) != 43 || strings.ContainsAny(tok, "+/=") {
			t.Fatalf("not 43 chars of unpadded base64url: %q", tok)
		}
		if seen[tok] {
			t.Fatal("repeated token")
		}
		seen[tok] = true
	}
	if got := len(Token(1)); got != 2 {
		t.Errorf("Token(1) has %d chars", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Token(0) did not panic")
		}
	}()
	Token(0)
}

func TestParseMasterKey(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i * 7) // includes bytes that need + and / in base64
	}
	long := append(bytes.Clone(raw), raw...)
	tests := []struct {
		name string
		in   string
		want []byte // nil means error
	}{
		{"hex", hex.EncodeToString(raw), raw},
		{"hex upper with newline", strings.ToUpper(hex.EncodeToString(raw)) + "\n", raw},
		{"base64 std", base64.StdEncoding.EncodeToString(raw), raw},
		{"base64 raw std", base64.RawStdEncoding.EncodeToString(raw), raw},
		{"base64url", base64.URLEncoding.EncodeToString(raw), raw},
		{"base64url raw", base64.RawURLEncoding.EncodeToString(raw), raw},
		{"base64 64 bytes", base64.StdEncoding.EncodeToString(long), long},
		{"surrounding whitespace", "  " + base64.StdEncoding.EncodeToString(raw) + "\r\n", raw},
		{"passphrase", "correct horse battery staple 1234", []byte("correct horse battery staple 1234")},
		{"passphrase counted in characters", strings.Repeat("é", 32), []byte(strings.Repeat("é", 32))},
		// 16 bytes of hex is 32 characters: too short as a key, long enough
		// as a passphrase.
		{"short hex becomes passphrase", hex.EncodeToString(raw[:16]), []byte(hex.EncodeToString(raw[:16]))},
		{"empty", "", nil},
		{"whitespace only", " \n\t ", nil},
		{"31 characters", strings.Repeat("a", 31), nil},
		{"31 characters after trimming", " " + strings.Repeat("a", 31) + " ", nil},
		{"base64 of 16 bytes", base64.StdEncoding.EncodeToString(raw[:16]), nil}, // 24 characters
		{"short multibyte", strings.Repeat("é", 20), nil},                        // 40 bytes, 20 characters
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMasterKey(tt.in)
			if tt.want == nil {
				if !errors.Is(err, ErrKeyTooShort) {
					t.Fatalf("got %x, %v; want ErrKeyTooShort", got, err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("got %x, %v; want %x", got, err, tt.want)
			}
		})
	}
	if _, err := NewKeyring(make([]byte, 31)); !errors.Is(err, ErrKeyTooShort) {
		t.Errorf("NewKeyring(31 bytes) err = %v", err)
	}
}

func TestMAC(t *testing.T) {
	k := newTestKeyring(t)
	secret := []byte(Token(32))
	mac := k.MAC("client-secret", secret)
	if len(mac) != 32 {
		t.Fatalf("MAC length %d", len(mac))
	}
	if !bytes.Equal(mac, k.MAC("client-secret", secret)) {
		t.Fatal("MAC not deterministic")
	}
	other, _ := NewKeyring(bytes.Repeat([]byte{0x43}, 32))
	flipFirst := bytes.Clone(mac)
	flipFirst[0] ^= 1
	flipLast := bytes.Clone(mac)
	flipLast[31] ^= 0x80

	tests := []struct {
		name    string
		kr      *Keyring
		purpose string
		data    []byte
		mac     []byte
		want    bool
	}{
		{"match", k, "client-secret", secret, mac, true},
		{"other purpose", k, "api-key", secret, mac, false},
		{"other master key", other, "client-secret", secret, mac, false},
		{"other data", k, "client-secret", append(bytes.Clone(secret), 'x'), mac, false},
		{"first byte flipped", k, "client-secret", secret, flipFirst, false},
		{"last bit flipped", k, "client-secret", secret, flipLast, false},
		{"truncated", k, "client-secret", secret, mac[:31], false},
		{"extended", k, "client-secret", secret, append(bytes.Clone(mac), 0), false},
		{"empty", k, "client-secret", secret, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.kr.Equal(tt.purpose, tt.data, tt.mac); got != tt.want {
				t.Fatalf("Equal = %v, want %v", got, tt.want)
			}
		})
	}
	if bytes.Equal(k.MAC("a", secret), k.MAC("b", secret)) {
		t.Fatal("purposes share a key")
	}
}

// TestSubKeysIndependent checks that one purpose's MAC key is not its AEAD
// key, and that derivation is a fixed function of master key and label
// (the stored hashes of every client depend on it never changing).
func TestSubKeysIndependent(t *testing.T) {
	k := newTestKeyring(t)
	if bytes.Equal(k.roots[0].subKey("mac", "x"), k.roots[0].subKey("aead", "x")) {
		t.Fatal("mac and aead keys equal")
	}
	// Computed independently: HMAC-SHA256(HKDF-Expand(HKDF-Extract(
	// "gatehouse keyring v1", 0x42*32), "gatehouse/v1/mac/client-secret"),
	// "pinned"), with Python's hmac module.
	const pinned = "4ba7401a115aff2d78608603f6b7a6b48e7ed39030086e55fcdeba9d1926a39e"
	got := hex.EncodeToString(k.MAC("client-secret", []byte("pinned")))
	if got != pinned {
		t.Fatalf("MAC derivation changed: got %s", got)
	}
}

func TestSealOpen(t *testing.T) {
	k := newTestKeyring(t)
	pt := []byte("JBSWY3DPEHPK3PXP") // a TOTP seed
	ad := []byte("tenant-1/user-1")
	sealed, err := k.Seal("totp-seed", pt, ad)
	if err != nil {
		t.Fatal(err)
	}
	if sealed[0] != sealVersion || len(sealed) != 1+12+len(pt)+16 {
		t.Fatalf("layout: version %d, len %d", sealed[0], len(sealed))
	}
	if bytes.Contains(sealed, pt) {
		t.Fatal("plaintext visible in ciphertext")
	}
	again, _ := k.Seal("totp-seed", pt, ad)
	if bytes.Equal(sealed, again) {
		t.Fatal("nonce reused")
	}
	got, err := k.Open("totp-seed", sealed, ad)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	empty, _ := k.Seal("totp-seed", nil, nil)
	if got, err := k.Open("totp-seed", empty, nil); err != nil || len(got) != 0 {
		t.Fatalf("empty round trip: %q, %v", got, err)
	}

	other, _ := NewKeyring(bytes.Repeat([]byte{0x43}, 32))
	tests := []struct {
		name    string
		kr      *Keyring
		purpose string
		data    []byte
		ad      []byte
	}{
		{"other purpose", k, "client-secret", sealed, ad},
		{"other associated data", k, "totp-seed", sealed, []byte("tenant-1/user-2")},
		{"missing associated data", k, "totp-seed", sealed, nil},
		{"other master key", other, "totp-seed", sealed, ad},
		{"nonce flipped", k, "totp-seed", flip(sealed, 1), ad},
		{"ciphertext flipped", k, "totp-seed", flip(sealed, 14), ad},
		{"tag flipped", k, "totp-seed", flip(sealed, len(sealed)-1), ad},
		{"truncated", k, "totp-seed", sealed[:len(sealed)-1], ad},
		{"header only", k, "totp-seed", sealed[:1], ad},
		{"shorter than overhead", k, "totp-seed", sealed[:28], ad},
		{"extended", k, "totp-seed", append(bytes.Clone(sealed), 0), ad},
		{"empty", k, "totp-seed", nil, ad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.kr.Open(tt.purpose, tt.data, tt.ad)
			if !errors.Is(err, ErrDecrypt) || got != nil {
				t.Fatalf("Open = %q, %v; want ErrDecrypt", got, err)
			}
		})
	}
	t.Run("unknown version", func(t *testing.T) {
		bad := bytes.Clone(sealed)
		bad[0] = 2
		if _, err := k.Open("totp-seed", bad, ad); err == nil || errors.Is(err, ErrDecrypt) {
			t.Fatalf("err = %v, want an unknown-version error", err)
		}
	})
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}

func TestConcurrentUse(t *testing.T) {
	k := newTestKeyring(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			purpose := fmt.Sprintf("p%d", i%3)
			for range 50 {
				s, err := k.Seal(purpose, []byte("x"), nil)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := k.Open(purpose, s, nil); err != nil {
					t.Error(err)
					return
				}
				if !k.Equal(purpose, []byte("x"), k.MAC(purpose, []byte("x"))) {
					t.Error("MAC mismatch")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestKeyringDoesNotPrintKeys(t *testing.T) {
	k := newTestKeyring(t)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k)} {
		if strings.Contains(s, "[") {
			t.Fatalf("key bytes printed: %s", s)
		}
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nested", "dir", "secret.key")

	key, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created || len(key) != 32 {
		t.Fatalf("create: %x, %v, %v", key, created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", di.Mode().Perm())
	}
	content, _ := os.ReadFile(path)
	if strings.TrimSpace(string(content)) != base64.StdEncoding.EncodeToString(key) {
		t.Errorf("file content %q", content)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}

	again, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(again, key) {
		t.Fatalf("reload: %x, %v, %v", again, created, err)
	}

	t.Run("operator-supplied hex", func(t *testing.T) {
		p := filepath.Join(dir, "hex.key")
		os.WriteFile(p, []byte(hex.EncodeToString(testMaster)+"\n"), 0o600)
		got, created, err := LoadOrCreateKeyFile(p)
		if err != nil || created || !bytes.Equal(got, testMaster) {
			t.Fatalf("%x, %v, %v", got, created, err)
		}
	})
	t.Run("short key is an error, not replaced", func(t *testing.T) {
		p := filepath.Join(dir, "short.key")
		os.WriteFile(p, []byte("short\n"), 0o600)
		if _, _, err := LoadOrCreateKeyFile(p); !errors.Is(err, ErrKeyTooShort) {
			t.Fatalf("err = %v", err)
		}
		if b, _ := os.ReadFile(p); string(b) != "short\n" {
			t.Fatal("file overwritten")
		}
	})
	t.Run("unreadable path", func(t *testing.T) {
		// A directory where the file should be: not ErrNotExist, so no create.
		if _, _, err := LoadOrCreateKeyFile(dir); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("concurrent creators agree", func(t *testing.T) {
		p := filepath.Join(dir, "race", "secret.key")
		keys := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Go(func() {
				k, _, err := LoadOrCreateKeyFile(p)
				if err != nil {
					t.Error(err)
				}
				keys[i] = k
			})
		}
		wg.Wait()
		for _, k := range keys[1:] {
			if !bytes.Equal(k, keys[0]) {
				t.Fatal("creators disagree on the key")
			}
		}
	})
}

func BenchmarkMAC(b *testing.B) {
	k := newTestKeyring(b)
	data := []byte(Token(32))
	b.ReportAllocs()
	for b.Loop() {
		k.MAC("client-secret", data)
	}
}

func BenchmarkEqual(b *testing.B) {
	k := newTestKeyring(b)
	data := []byte(Token(32))
	mac := k.MAC("client-secret", data)
	b.ReportAllocs()
	for b.Loop() {
		k.Equal("client-secret", data, mac)
	}
}

func BenchmarkSeal(b *testing.B) {
	k := newTestKeyring(b)
	pt := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		k.Seal("totp-seed", pt, []byte("tenant/user"))
	}
}
