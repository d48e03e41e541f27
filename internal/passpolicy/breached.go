package passpolicy

import (
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

// breachedBloom is the Bloom filter over the most common passwords built by
// gen/main.go; BREACHED-LIST.md says from what and how. It is a string so
// that it stays in the binary's read-only data: the filter is read in place,
// never copied to the heap.
//
//go:embed breached.bloom
var breachedBloom string

var embedded = sync.OnceValue(func() *BreachedList {
	b, err := parseBreachedList(breachedBloom)
	if err != nil {
		// The file is part of the source tree and TestEmbeddedList parses it,
		// so this is a build defect, like a bad regexp.MustCompile literal.
		panic("passpolicy: embedded breached.bloom: " + err.Error())
	}
	return b
})

// Embedded returns the breached-password list compiled into the binary. It is
// parsed on first call and shared afterwards; see BREACHED-LIST.md for its
// source, size and false-positive rate. Memory: the filter is read where the
// binary holds it (about 176 KiB of read-only data), with no heap copy.
func Embedded() *BreachedList { return embedded() }

// BreachedList is a Bloom filter over NFKC-normalised, lower-cased passwords.
// Contains never misses a listed password; it wrongly reports an unlisted one
// with probability FalsePositiveRate. It is immutable and safe for concurrent
// use.
type BreachedList struct {
	n    uint64 // entries added
	m    uint64 // bits
	k    uint8  // probes per entry
	bits string // ceil(m/8) bytes, bit j is bits[j/8] & (1 << (j%8))
}

// Serialised form, all integers big-endian:
//
//	magic   [4]byte "GHBF"
//	version uint8   1
//	hash    uint8   1 = SHA-256 double hashing (see probes)
//	k       uint8   probes per entry, 1..64
//	_       uint8   0
//	n       uint64  entries added
//	m       uint64  bits, > 0
//	bits    [ceil(m/8)]byte
//	crc     uint32  CRC-32 (IEEE) of everything before it
//
// The format is ours rather than a library's so that a dependency upgrade
// cannot silently change the hashing under an embedded file.
const (
	bloomMagic     = "GHBF"
	bloomVersion   = 1
	bloomHashSHA   = 1
	bloomHeaderLen = 24
	maxProbes      = 64
)

// NormalizeEntry is how both the list and the candidate password are keyed:
// NFKC, then Unicode lower case. Case is folded so that "Password" and
// "PASSWORD" are as breached as "password".
func NormalizeEntry(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

// BuildBreachedList builds a filter over entries, each passed through
// NormalizeEntry (empty results and duplicates are skipped), sized for the
// false-positive rate fpRate in (0, 0.5).
func BuildBreachedList(entries []string, fpRate float64) (*BreachedList, error) {
	if !(fpRate > 0 && fpRate < 0.5) {
		return nil, fmt.Errorf("passpolicy: false-positive rate %v outside (0, 0.5)", fpRate)
	}
	seen := make(map[string]struct{}, len(entries))
	keys := make([]string, 0, len(entries))
	for _, e := range entries {
		key := NormalizeEntry(e)
		if key == "" {
			continue
		}
		if _, dup := seen[key]; dup {
			continue
		}
		seen[key] = struct{}{}
		keys = append(keys, key)
	}
	if len(keys) == 0 {
		return nil, errors.New("passpolicy: no entries")
	}
	n := float64(len(keys))
	// Optimal size and probe count for n entries at rate p:
	// m = -n ln p / (ln 2)^2, k = (m/n) ln 2.
	m := uint64(math.Ceil(-n * math.Log(fpRate) / (math.Ln2 * math.Ln2)))
	m = (m + 7) &^ 7 // whole bytes
	k := uint8(min(max(math.Round(float64(m)/n*math.Ln2), 1), maxProbes))
	bits := make([]byte, m/8)
	for _, key := range keys {
		h1, h2 := hashKey(key)
		for i := range uint64(k) {
			j := probe(h1, h2, i, m)
			bits[j>>3] |= 1 << (j & 7)
		}
	}
	return &BreachedList{n: uint64(len(keys)), m: m, k: k, bits: string(bits)}, nil
}

// ParseBreachedList reads a filter written by MarshalBinary, for example an
// operator-supplied one. It copies data.
func ParseBreachedList(data []byte) (*BreachedList, error) {
	return parseBreachedList(string(data))
}

func parseBreachedList(data string) (*BreachedList, error) {
	if len(data) < bloomHeaderLen+4 || data[:4] != bloomMagic {
		return nil, errors.New("passpolicy: not a breached-list filter")
	}
	if data[4] != bloomVersion || data[5] != bloomHashSHA {
		return nil, fmt.Errorf("passpolicy: unsupported filter version %d hash %d", data[4], data[5])
	}
	k := data[6]
	n := binary.BigEndian.Uint64([]byte(data[8:16]))
	m := binary.BigEndian.Uint64([]byte(data[16:24]))
	if k < 1 || k > maxProbes || m == 0 || m > 1<<40 {
		return nil, fmt.Errorf("passpolicy: bad filter parameters k=%d m=%d", k, m)
	}
	size := bloomHeaderLen + (m+7)/8 + 4
	if uint64(len(data)) != size {
		return nil, fmt.Errorf("passpolicy: filter is %d bytes, header says %d", len(data), size)
	}
	body, sum := data[:size-4], binary.BigEndian.Uint32([]byte(data[size-4:]))
	if crc32.ChecksumIEEE([]byte(body)) != sum {
		return nil, errors.New("passpolicy: filter checksum mismatch")
	}
	return &BreachedList{n: n, m: m, k: k, bits: data[bloomHeaderLen : size-4]}, nil
}

// MarshalBinary encodes the filter in the format ParseBreachedList reads.
func (b *BreachedList) MarshalBinary() ([]byte, error) {
	out := make([]byte, bloomHeaderLen, bloomHeaderLen+len(b.bits)+4)
	copy(out, bloomMagic)
	out[4], out[5], out[6] = bloomVersion, bloomHashSHA, b.k
	binary.BigEndian.PutUint64(out[8:], b.n)
	binary.BigEndian.PutUint64(out[16:], b.m)
	out = append(out, b.bits...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out)), nil
}

// Contains reports whether password, after NormalizeEntry, is (probably) on
// the list.
func (b *BreachedList) Contains(password string) bool {
	return b.containsKey(NormalizeEntry(password))
}

func (b *BreachedList) containsKey(key string) bool {
	h1, h2 := hashKey(key)
	for i := range uint64(b.k) {
		j := probe(h1, h2, i, b.m)
		if b.bits[j>>3]&(1<<(j&7)) == 0 {
			return false
		}
	}
	return true
}

// Len is the number of distinct entries the filter was built from.
func (b *BreachedList) Len() int { return int(b.n) }

// SizeBytes is the size of the bit array.
func (b *BreachedList) SizeBytes() int { return len(b.bits) }

// Probes is the number of bits set per entry (k).
func (b *BreachedList) Probes() int { return int(b.k) }

// FalsePositiveRate is the expected probability that Contains reports an
// unlisted password: (1 - e^(-kn/m))^k.
func (b *BreachedList) FalsePositiveRate() float64 {
	k, n, m := float64(b.k), float64(b.n), float64(b.m)
	return math.Pow(1-math.Exp(-k*n/m), k)
}

// hashKey derives the two hashes of Kirsch-Mitzenmacher double hashing from
// SHA-256, which is stable by definition; h2 is odd so probes never collapse.
func hashKey(key string) (h1, h2 uint64) {
	sum := sha256.Sum256([]byte(key))
	return binary.BigEndian.Uint64(sum[0:8]), binary.BigEndian.Uint64(sum[8:16]) | 1
}

func probe(h1, h2, i, m uint64) uint64 { return (h1 + i*h2) % m }
