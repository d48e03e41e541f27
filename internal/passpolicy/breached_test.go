package passpolicy

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"math"
	"testing"
)

// The numbers BREACHED-LIST.md states; regenerating the filter with other
// settings must update both.
const (
	embeddedEntries = 100000
	embeddedProbes  = 10
	embeddedBytes   = 179720
)

func TestEmbeddedList(t *testing.T) {
	b := Embedded()
	if b.Len() != embeddedEntries || b.Probes() != embeddedProbes || b.SizeBytes() != embeddedBytes {
		t.Fatalf("n=%d k=%d bytes=%d, want %d %d %d", b.Len(), b.Probes(), b.SizeBytes(),
			embeddedEntries, embeddedProbes, embeddedBytes)
	}
	if fp := b.FalsePositiveRate(); fp < 0.00099 || fp > 0.00101 {
		t.Fatalf("expected false-positive rate %v, want about 0.1%%", fp)
	}
	if Embedded() != b {
		t.Fatal("Embedded parsed twice")
	}
	t.Logf("n=%d m=%d bits (%d bytes) k=%d expected FP=%.6f%%",
		b.Len(), b.SizeBytes()*8, b.SizeBytes(), b.Probes(), 100*b.FalsePositiveRate())
}

func TestEmbeddedListContains(t *testing.T) {
	b := Embedded()
	for _, pw := range []string{
		// The head of the list.
		"123456", "password", "12345678", "qwerty", "iloveyou", "dragon", "letmein",
		// Folded: case and NFKC.
		"PASSWORD", "Qwerty", "ｉｌｏｖｅｙｏｕ",
		// Deep in the list, around rank 90,000 and at the very end.
		"mazafaker", "masahiko", "mary1234", "markymark", "marlb0r0", "neznam",
	} {
		if !b.Contains(pw) {
			t.Errorf("%q not on the list", pw)
		}
	}
}

// TestFalsePositiveRate measures how often random strings, which are on no
// list, are reported, and checks it against the filter's expected rate.
func TestFalsePositiveRate(t *testing.T) {
	b := Embedded()
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-=?@^_~"
	random := func() string {
		buf := make([]byte, 16)
		rand.Read(buf)
		for i := range buf {
			buf[i] = alphabet[int(buf[i])%len(alphabet)]
		}
		return string(buf)
	}

	// What a user would see: 200 strong random passwords, essentially none
	// rejected (expected 0.2 hits; the odds of more than 3 are below 1e-4).
	hits := 0
	for range 200 {
		if b.Contains(random()) {
			hits++
		}
	}
	if hits > 3 {
		t.Errorf("%d of 200 random passwords reported as breached", hits)
	}

	// Enough trials to measure the rate: 200,000 at p=0.1% gives ~200 hits
	// with a standard deviation of ~14, so 5 sigma is about ±35%.
	trials := 200000
	if testing.Short() {
		trials = 20000
	}
	hits = 0
	for range trials {
		if b.Contains(random()) {
			hits++
		}
	}
	measured := float64(hits) / float64(trials)
	expected := b.FalsePositiveRate()
	sigma := math.Sqrt(expected * (1 - expected) / float64(trials))
	t.Logf("false positives: %d of %d random 16-character strings = %.4f%% (expected %.4f%%)",
		hits, trials, 100*measured, 100*expected)
	if math.Abs(measured-expected) > 5*sigma {
		t.Errorf("measured rate %.5f is more than 5 sigma from %.5f", measured, expected)
	}
}

func TestBuildParseRoundTrip(t *testing.T) {
	var words []string
	for i := range 5000 {
		words = append(words, fmt.Sprintf("Word%d", i))
	}
	words = append(words, "word1", "WORD1", "", "ﬁsh") // duplicates after folding, and an empty entry
	b, err := BuildBreachedList(words, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 5001 {
		t.Fatalf("Len = %d, want 5001", b.Len())
	}
	if fp := b.FalsePositiveRate(); fp > 0.0101 {
		t.Fatalf("FalsePositiveRate = %v", fp)
	}
	bin, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseBreachedList(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"word0", "WORD4999", "fish", "FISH"} {
		if !got.Contains(w) {
			t.Errorf("%q missing after round trip", w)
		}
	}
	again, _ := got.MarshalBinary()
	if !bytes.Equal(bin, again) {
		t.Error("re-encoding differs")
	}
}

func TestParseBreachedListRejects(t *testing.T) {
	b, _ := BuildBreachedList([]string{"a", "b", "c"}, 0.01)
	good, _ := b.MarshalBinary()
	corrupt := func(f func([]byte) []byte) []byte { return f(bytes.Clone(good)) }
	for name, data := range map[string][]byte{
		"empty":     nil,
		"magic":     corrupt(func(d []byte) []byte { d[0] = 'X'; return d }),
		"version":   corrupt(func(d []byte) []byte { d[4] = 2; return d }),
		"k=0":       corrupt(func(d []byte) []byte { d[6] = 0; return d }),
		"truncated": good[:len(good)-1],
		"bit flip":  corrupt(func(d []byte) []byte { d[bloomHeaderLen] ^= 1; return d }),
		"m too big": corrupt(func(d []byte) []byte { d[16] = 0xff; return d }),
	} {
		if _, err := ParseBreachedList(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := BuildBreachedList(nil, 0.01); err == nil {
		t.Error("empty list accepted")
	}
	if _, err := BuildBreachedList([]string{"a"}, 0); err == nil {
		t.Error("rate 0 accepted")
	}
}

func BenchmarkContains(b *testing.B) {
	l := Embedded()
	for b.Loop() {
		l.Contains("correct horse battery staple")
	}
}
