package passpolicy

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1" // the HIBP range protocol is defined on SHA-1
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultRangeTimeout bounds one range lookup, so a slow service delays a
// registration by at most this much.
const DefaultRangeTimeout = 2 * time.Second

// maxRangeBody caps the response read. A padded HIBP answer is 800 to 1,000
// lines of about 40 bytes.
const maxRangeBody = 1 << 20

// RangeChecker asks an HIBP-compatible Pwned Passwords service whether a
// password has been seen in a breach, by k-anonymity: only the first 5 hex
// digits of the password's SHA-1 leave the process
// (GET {BaseURL}/range/{PREFIX}, answered with SUFFIX:COUNT lines). Requests
// ask for padding (Add-Padding: true), so the response size does not hint
// at the prefix either.
type RangeChecker struct {
	// BaseURL is the service root, e.g. https://api.pwnedpasswords.com.
	BaseURL string
	// Client is used for requests; nil means a client with no overall
	// timeout of its own (Timeout applies per lookup).
	Client *http.Client
	// Timeout bounds one lookup; 0 means DefaultRangeTimeout.
	Timeout time.Duration
	// UserAgent is sent with each request; empty means "gatehouse".
	UserAgent string
}

// NewRangeChecker returns a checker for the service at baseURL, which must
// be an absolute http or https URL.
func NewRangeChecker(baseURL string) (*RangeChecker, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("passpolicy: range URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("passpolicy: range URL %q must be absolute http(s)", baseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("passpolicy: range URL %q must not have a query or fragment", baseURL)
	}
	return &RangeChecker{BaseURL: baseURL}, nil
}

// ErrRangeLookup wraps every Lookup failure, so callers can tell it from
// their own errors when logging.
var ErrRangeLookup = errors.New("passpolicy: range lookup failed")

// Lookup returns how often the service has seen password (0: never). The
// password is hashed as given; Policy.Check passes its NFKC form. On any
// failure (network, timeout, status, malformed answer) it returns 0 and an
// error wrapping ErrRangeLookup: callers fail open and log it.
func (r *RangeChecker) Lookup(ctx context.Context, password string) (int64, error) {
	sum := sha1.Sum([]byte(password))
	digest := strings.ToUpper(hex.EncodeToString(sum[:]))
	prefix, suffix := digest[:5], digest[5:]

	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultRangeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	base, err := url.Parse(r.BaseURL)
	if err != nil {
		return 0, fmt.Errorf("%w: base URL: %v", ErrRangeLookup, err)
	}
	// Errors name the service but neither credentials in its URL nor the
	// prefix: logs should not narrow the password down.
	where := strings.TrimRight(base.Redacted(), "/") + "/range/…"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.JoinPath("range", prefix).String(), nil)
	if err != nil {
		return 0, fmt.Errorf("%w: GET %s: %v", ErrRangeLookup, where, err)
	}
	req.Header.Set("Add-Padding", "true")
	ua := r.UserAgent
	if ua == "" {
		ua = "gatehouse"
	}
	req.Header.Set("User-Agent", ua)
	client := r.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, fmt.Errorf("%w: GET %s: %w", ErrRangeLookup, where, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%w: GET %s: %s", ErrRangeLookup, where, resp.Status)
	}
	count, err := scanRange(resp.Body, suffix)
	if err != nil {
		return 0, fmt.Errorf("%w: GET %s: %v", ErrRangeLookup, where, err)
	}
	return count, nil
}

// scanRange finds suffix among SUFFIX:COUNT lines. Every line is compared
// in constant time and the scan never stops early, so timing does not show
// which line, if any, matched. Padding lines have count 0.
func scanRange(body io.Reader, suffix string) (int64, error) {
	lr := &io.LimitedReader{R: body, N: maxRangeBody + 1}
	found, err := scanLines(lr, []byte(suffix))
	if lr.N <= 0 { // checked first: the cut may have split a line
		return 0, fmt.Errorf("response larger than %d bytes", maxRangeBody)
	}
	return found, err
}

func scanLines(r io.Reader, want []byte) (int64, error) {
	var found int64
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		hexPart, countPart, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(hexPart) != len(want) {
			return 0, errors.New("malformed response line")
		}
		count, err := strconv.ParseInt(string(countPart), 10, 64)
		if err != nil || count < 0 {
			return 0, errors.New("malformed count")
		}
		for i, c := range hexPart { // in place: the scanner's buffer is ours until Scan
			if 'a' <= c && c <= 'z' {
				hexPart[i] = c - ('a' - 'A')
			}
		}
		match := subtle.ConstantTimeCompare(hexPart, want)
		found += int64(match) * count
	}
	return found, sc.Err()
}
