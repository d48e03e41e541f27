package passpolicy

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeHIBP serves /range/{prefix} like api.pwnedpasswords.com: the suffixes
// of the breached passwords under that prefix with their counts, and, when
// asked for padding, extra lines with count 0.
type fakeHIBP struct {
	breached map[string]int // password -> count
	padding  int            // padding lines per answer
	requests atomic.Int32
	lastPath atomic.Value // string
	padded   atomic.Bool  // last request had Add-Padding: true
}

func (f *fakeHIBP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	f.lastPath.Store(r.URL.Path)
	f.padded.Store(r.Header.Get("Add-Padding") == "true")
	prefix, ok := strings.CutPrefix(r.URL.Path, "/range/")
	if !ok || len(prefix) != 5 {
		http.NotFound(w, r)
		return
	}
	var lines []string
	for pw, n := range f.breached {
		d := sha1Hex(pw)
		if d[:5] == prefix {
			lines = append(lines, fmt.Sprintf("%s:%d", d[5:], n))
		}
	}
	if f.padded.Load() {
		for i := range f.padding {
			// Lower-case, like some mirrors, and count 0.
			lines = append(lines, fmt.Sprintf("%035x:0", i))
		}
	}
	slices.Sort(lines)
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprint(w, strings.Join(lines, "\r\n"))
}

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func TestRangeLookup(t *testing.T) {
	fake := &fakeHIBP{breached: map[string]int{"hunter2hunter2": 42, "tr0ub4dor&3x": 7}, padding: 800}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	rc, err := NewRangeChecker(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	n, err := rc.Lookup(ctx, "hunter2hunter2")
	if err != nil || n != 42 {
		t.Fatalf("hit: %d, %v", n, err)
	}
	if got, want := fake.lastPath.Load(), "/range/"+sha1Hex("hunter2hunter2")[:5]; got != want {
		t.Errorf("path %v, want %v: only the 5-character prefix may be sent", got, want)
	}
	if !fake.padded.Load() {
		t.Error("no Add-Padding: true header")
	}

	n, err = rc.Lookup(ctx, "never-breached-9f3c1e")
	if err != nil || n != 0 {
		t.Fatalf("miss: %d, %v", n, err)
	}

	// A padding line that happens to carry the password's suffix has count
	// 0, so it must not count as a hit.
	pw := "padded-but-clean"
	srvPad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s:0\r\n%035X:3\r\n", sha1Hex(pw)[5:], 1)
	}))
	defer srvPad.Close()
	n, err = (&RangeChecker{BaseURL: srvPad.URL}).Lookup(ctx, pw)
	if err != nil || n != 0 {
		t.Fatalf("padding line: %d, %v", n, err)
	}
}

func TestRangeFailures(t *testing.T) {
	ctx := context.Background()
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()

	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}))
	defer slow.Close()
	defer close(block)

	status := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}))
	defer status.Close()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>not a range answer</html>")
	}))
	defer garbage.Close()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		line := fmt.Sprintf("%035X:0\r\n", 0)
		for range maxRangeBody/len(line) + 2 {
			fmt.Fprint(w, line)
		}
	}))
	defer huge.Close()

	for _, tt := range []struct {
		name string
		rc   *RangeChecker
		want error
	}{
		{"server down", &RangeChecker{BaseURL: downURL}, nil},
		{"timeout", &RangeChecker{BaseURL: slow.URL, Timeout: 50 * time.Millisecond}, context.DeadlineExceeded},
		{"status 429", &RangeChecker{BaseURL: status.URL}, nil},
		{"malformed body", &RangeChecker{BaseURL: garbage.URL}, nil},
		{"oversized body", &RangeChecker{BaseURL: huge.URL}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			n, err := tt.rc.Lookup(ctx, "hunter2hunter2")
			if n != 0 || !errors.Is(err, ErrRangeLookup) {
				t.Fatalf("Lookup = %d, %v; want 0 and ErrRangeLookup", n, err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), sha1Hex("hunter2hunter2")[:5]) {
				t.Errorf("error names the hash prefix: %v", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
			t.Logf("reported: %v", err)
		})
	}
}

func TestRangeRedactsCredentials(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	u := strings.Replace(down.URL, "http://", "http://user:s3cret@", 1)
	down.Close()
	_, err := (&RangeChecker{BaseURL: u}).Lookup(context.Background(), "x")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("err = %v", err)
	}
}

func TestNewRangeChecker(t *testing.T) {
	for _, bad := range []string{"", "api.pwnedpasswords.com", "ftp://x", "https://x/?q=1", "http://"} {
		if _, err := NewRangeChecker(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := NewRangeChecker("https://api.pwnedpasswords.com"); err != nil {
		t.Error(err)
	}
}

// The policy asks the range service only about passwords that pass every
// local check, rejects hits, and fails open on errors, handing them to
// OnRangeError.
func TestPolicyWithRange(t *testing.T) {
	fake := &fakeHIBP{breached: map[string]int{"hunter2hunter2": 42, "ﬁxq7#vbwz": 1}, padding: 10}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var rangeErrs []error
	p := Default()
	p.Range = &RangeChecker{BaseURL: srv.URL}
	p.OnRangeError = func(err error) { rangeErrs = append(rangeErrs, err) }
	ctx := context.Background()

	if vs := p.Check(ctx, "hunter2hunter2", Context{}); !slices.Equal(codes(vs), []Code{CodeBreached}) {
		t.Errorf("range hit: %v", codes(vs))
	}
	if vs := p.Check(ctx, "an unremarkable phrase", Context{}); vs != nil {
		t.Errorf("range miss: %v", codes(vs))
	}
	// Hashed in NFKC form: the fake knows the ligature spelling only, so a
	// hit would mean the un-normalised string was sent.
	if vs := p.Check(ctx, "ﬁxq7#vbwz", Context{}); vs != nil {
		t.Errorf("NFKC form: %v", codes(vs))
	}
	before := fake.requests.Load()
	p.Check(ctx, "short", Context{})
	p.Check(ctx, "password", Context{})
	if fake.requests.Load() != before {
		t.Error("range service asked about a password already refused locally")
	}

	srv.Close()
	if vs := p.Check(ctx, "hunter2hunter2", Context{}); vs != nil {
		t.Errorf("service down must fail open, got %v", codes(vs))
	}
	if len(rangeErrs) != 1 || !errors.Is(rangeErrs[0], ErrRangeLookup) {
		t.Errorf("OnRangeError got %v", rangeErrs)
	}
}

func BenchmarkScanRange(b *testing.B) {
	var sb strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&sb, "%035X:%d\r\n", i, i%3)
	}
	body := sb.String()
	for b.Loop() {
		if _, err := scanRange(strings.NewReader(body), strings.Repeat("F", 35)); err != nil {
			b.Fatal(err)
		}
	}
}
