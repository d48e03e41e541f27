package secret

import (
	"bytes"
	"errors"
	"testing"
)

var (
	masterA = bytes.Repeat([]byte{0xA1}, 32)
	masterB = bytes.Repeat([]byte{0xB2}, 32)
	masterC = bytes.Repeat([]byte{0xC3}, 32)
)

func keyring(t *testing.T, master []byte, previous ...[]byte) *Keyring {
	t.Helper()
	k, err := NewKeyring(master, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// During a rotation the new key seals, the old one still opens, and
// Reseal moves a value to the new key; without the old key the old value
// no longer opens.
func TestRotationSealOpenReseal(t *testing.T) {
	a := keyring(t, masterA)
	ab := keyring(t, masterB, masterA)
	b := keyring(t, masterB)
	ad := []byte("tenant/row")
	old, _ := a.Seal("totp", []byte("JBSWY3DPEHPK3PXP"), ad)

	if pt, err := ab.Open("totp", old, ad); err != nil || string(pt) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("B with A as previous: %q %v", pt, err)
	}
	if _, err := b.Open("totp", old, ad); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("B alone opened A's data: %v", err)
	}
	fresh, _ := ab.Seal("totp", []byte("new"), ad)
	if _, err := b.Open("totp", fresh, ad); err != nil {
		t.Fatalf("B+A sealed with something other than B: %v", err)
	}
	if _, err := a.Open("totp", fresh, ad); err == nil {
		t.Fatal("A opened what B+A sealed")
	}

	moved, changed, err := ab.Reseal("totp", old, ad)
	if err != nil || !changed {
		t.Fatalf("Reseal of A's data: changed=%v %v", changed, err)
	}
	if pt, err := b.Open("totp", moved, ad); err != nil || string(pt) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("resealed data under B alone: %q %v", pt, err)
	}
	same, changed, err := ab.Reseal("totp", moved, ad)
	if err != nil || changed || !bytes.Equal(same, moved) {
		t.Fatalf("Reseal of current data changed it: %v %v", changed, err)
	}
	// The associated data still binds: a value moved to another row fails.
	if _, _, err := ab.Reseal("totp", old, []byte("tenant/other")); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("Reseal with foreign associated data: %v", err)
	}
	foreign, _ := keyring(t, masterC).Seal("totp", []byte("x"), ad)
	if _, _, err := ab.Reseal("totp", foreign, ad); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("Reseal of data under a key the keyring lacks: %v", err)
	}
	tampered := bytes.Clone(old)
	tampered[len(tampered)-1] ^= 1
	if _, err := ab.Open("totp", tampered, ad); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("tampered data opened: %v", err)
	}
}

// Keyed hashes of purposes that are not carried move to the new key at
// once; the old key's hashes verify through Equal only while it is
// configured, so a token forged with a leaked old key stops working when
// the operator removes it.
func TestRotationMACs(t *testing.T) {
	a := keyring(t, masterA)
	ab := keyring(t, masterB, masterA)
	b := keyring(t, masterB)
	data := []byte("csrf-token")
	macA := a.MAC("csrf", data)

	if bytes.Equal(ab.MAC("csrf", data), macA) || !bytes.Equal(ab.MAC("csrf", data), b.MAC("csrf", data)) {
		t.Fatal("B+A does not compute new keyed hashes under B")
	}
	if !ab.Equal("csrf", data, macA) || !ab.Equal("csrf", data, b.MAC("csrf", data)) {
		t.Fatal("B+A refuses a hash under A or B")
	}
	if b.Equal("csrf", data, macA) {
		t.Fatal("B alone accepts a hash made with the removed key A")
	}
	if ab.Equal("csrf", data, keyring(t, masterC).MAC("csrf", data)) {
		t.Fatal("B+A accepts a hash under a key it does not hold")
	}
}

// Carried purposes keep their key across a rotation: before the carried
// keys are stored, the oldest key's; once a rotation stored them, the same
// keys with the old master key gone. Equal never falls back to another key
// for them.
func TestRotationCarriedPurposes(t *testing.T) {
	a := keyring(t, masterA)
	ab := keyring(t, masterB, masterA)
	secret := []byte("client-secret-0123456789")
	hashA := a.MAC("client-secret", secret)
	if !bytes.Equal(ab.MAC("client-secret", secret), hashA) || !ab.Equal("client-secret", secret, hashA) {
		t.Fatal("B+A changed the key of a carried purpose")
	}
	if ab.Equal("client-secret", secret, keyring(t, masterB).MAC("client-secret", secret)) {
		t.Fatal("a carried purpose verified under the current root instead of its carried key")
	}

	carried := ab.CarriedKeys()
	if len(carried) != len(CarriedPurposes) {
		t.Fatalf("%d carried keys, want %d", len(carried), len(CarriedPurposes))
	}
	b := keyring(t, masterB)
	if b.Equal("client-secret", secret, hashA) {
		t.Fatal("B alone verifies A's hash before Carry")
	}
	b.MAC("client-secret", secret) // cached pools must be dropped by Carry
	if err := b.Carry(carried); err != nil {
		t.Fatal(err)
	}
	for _, p := range CarriedPurposes {
		if !bytes.Equal(b.MAC(p, secret), a.MAC(p, secret)) {
			t.Errorf("%s: B with the carried keys differs from A", p)
		}
	}
	if !b.Equal("client-secret", secret, hashA) || !b.Equal("api-key", []byte("k"), a.MAC("api-key", []byte("k"))) {
		t.Fatal("B with the carried keys refuses A's credential hashes")
	}
	// A second rotation carries the same keys on.
	cb := keyring(t, masterC, masterB)
	if err := cb.Carry(b.CarriedKeys()); err != nil {
		t.Fatal(err)
	}
	if !cb.Equal("client-secret", secret, hashA) {
		t.Fatal("the carried key was lost in a second rotation")
	}
	// Other purposes are not affected by Carry.
	if bytes.Equal(b.MAC("csrf", secret), a.MAC("csrf", secret)) {
		t.Fatal("Carry changed a purpose that is not carried")
	}
}

func TestCarryRejectsBadKeys(t *testing.T) {
	k := keyring(t, masterA)
	if err := k.Carry(map[string][]byte{"csrf": make([]byte, 32)}); err == nil {
		t.Error("Carry accepted a purpose that is not carried")
	}
	if err := k.Carry(map[string][]byte{"api-key": make([]byte, 16)}); err == nil {
		t.Error("Carry accepted a short key")
	}
	before := k.MAC("api-key", []byte("x"))
	if !bytes.Equal(k.MAC("api-key", []byte("x")), before) {
		t.Error("a refused Carry changed the keyring")
	}
}

func TestPreviousKeys(t *testing.T) {
	if n := keyring(t, masterA).Previous(); n != 0 {
		t.Errorf("Previous() = %d without previous keys", n)
	}
	// Repeats, and the current key listed as previous, are dropped.
	if n := keyring(t, masterB, masterA, masterB, masterA).Previous(); n != 1 {
		t.Errorf("Previous() = %d, want 1", n)
	}
	if _, err := NewKeyring(masterB, []byte("short")); !errors.Is(err, ErrKeyTooShort) {
		t.Errorf("a short previous key: %v", err)
	}
}
