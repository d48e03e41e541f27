// Package passpolicy decides whether a new password is acceptable, following
// NIST SP 800-63B §5.1.1.2 (memorized secret verifiers):
//
//   - a minimum length (default 8) and a generous maximum (default 1024),
//     counted in Unicode code points after NFKC normalisation, the form
//     internal/password hashes;
//   - every printable character allowed, spaces and emoji included, and no
//     composition rules (no "one digit, one symbol");
//   - rejection of passwords on a list of common and breached passwords that
//     ships with the binary (Embedded), of passwords that contain the user's
//     email address, username or name, and optionally of passwords that an
//     HIBP-compatible k-anonymity service has seen (RangeChecker).
//
// Apply it wherever a password is set (registration, reset, change,
// invitation, admin API), never at sign-in.
package passpolicy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gatehouse-iam/gatehouse/internal/password"
)

// Code identifies a violation. The values are stable: clients and
// translations may key on them.
type Code string

const (
	CodeTooShort           Code = "too_short"
	CodeTooLong            Code = "too_long"
	CodeBreached           Code = "breached"
	CodeContainsIdentifier Code = "contains_identifier"
	CodeInvalidUTF8        Code = "invalid_utf8"
	CodeControlCharacters  Code = "control_characters"
)

// Violation is one reason a password was refused. Message is English,
// meant for the user, and never quotes the password.
type Violation struct {
	Code    Code
	Message string
	// Limit is the bound for too_short and too_long, so translated messages
	// can show it; 0 otherwise.
	Limit int
}

// Context is what the policy knows about the account, for rejecting
// passwords built from it. Empty fields are ignored.
type Context struct {
	Email    string
	Username string
	Name     string // display name
	// Words are other context-specific words (NIST's example: the name of
	// the service), such as the product or tenant name.
	Words []string
}

// Defaults. NIST requires a minimum of at least 8 and a maximum of at least 64.
const (
	DefaultMinLength = 8
	DefaultMaxLength = 1024
	// minIdentifierLen is the shortest identifier checked: shorter ones (a
	// username "al") would reject too many unrelated passwords.
	minIdentifierLen = 3
)

// Policy checks new passwords. Zero MinLength or MaxLength mean the
// defaults; a nil Breached or Range skips that check. A Policy is safe for
// concurrent use once built.
type Policy struct {
	MinLength int // code points after NFKC
	MaxLength int // code points after NFKC
	Breached  *BreachedList
	// Range, if set, is asked about passwords that pass every local check.
	// It fails open: a lookup error accepts the password and is passed to
	// OnRangeError (for logging), never turned into a violation.
	Range        *RangeChecker
	OnRangeError func(error)
}

// Default is the NIST profile: 8 to 1024 code points, the embedded breached
// list, no online range lookup.
func Default() *Policy {
	return &Policy{MinLength: DefaultMinLength, MaxLength: DefaultMaxLength, Breached: Embedded()}
}

// Validate reports every setting outside what NIST and internal/password
// allow.
func (p *Policy) Validate() error {
	var errs []error
	minLen, maxLen := p.limits()
	if minLen < 1 {
		errs = append(errs, fmt.Errorf("passpolicy: minimum length %d must be at least 1", minLen))
	}
	if maxLen < 64 {
		errs = append(errs, fmt.Errorf("passpolicy: maximum length %d must be at least 64 (NIST SP 800-63B)", maxLen))
	}
	if maxLen < minLen {
		errs = append(errs, fmt.Errorf("passpolicy: maximum length %d below minimum %d", maxLen, minLen))
	}
	// A code point is at most 4 bytes; past this the hasher's byte cap, not
	// MaxLength, would be the real limit.
	if maxLen > password.MaxPasswordLen/utf8.UTFMax {
		errs = append(errs, fmt.Errorf("passpolicy: maximum length %d above %d, the most internal/password can hash", maxLen, password.MaxPasswordLen/utf8.UTFMax))
	}
	return errors.Join(errs...)
}

func (p *Policy) limits() (minLen, maxLen int) {
	minLen, maxLen = p.MinLength, p.MaxLength
	if minLen == 0 {
		minLen = DefaultMinLength
	}
	if maxLen == 0 {
		maxLen = DefaultMaxLength
	}
	return minLen, maxLen
}

// Check returns every rule pw breaks, or nil if it is acceptable. ctx
// bounds the optional range lookup only.
func (p *Policy) Check(ctx context.Context, pw string, c Context) []Violation {
	minLen, maxLen := p.limits()
	tooLong := Violation{Code: CodeTooLong, Limit: maxLen,
		Message: fmt.Sprintf("Password must be at most %d characters long.", maxLen)}
	// The hasher refuses more bytes than this, and it bounds the work below.
	if len(pw) > password.MaxPasswordLen {
		return []Violation{tooLong}
	}
	if !utf8.ValidString(pw) {
		return []Violation{{Code: CodeInvalidUTF8, Message: "Password contains characters that are not valid text."}}
	}

	var vs []Violation
	normalized := norm.NFKC.String(pw)
	n := utf8.RuneCountInString(normalized)
	switch {
	case n < minLen:
		vs = append(vs, Violation{Code: CodeTooShort, Limit: minLen,
			Message: fmt.Sprintf("Password must be at least %d characters long.", minLen)})
	case n > maxLen:
		vs = append(vs, tooLong)
	}
	if strings.IndexFunc(normalized, unicode.IsControl) >= 0 {
		vs = append(vs, Violation{Code: CodeControlCharacters,
			Message: "Password must not contain control characters such as tabs or line breaks."})
	}
	key := strings.ToLower(normalized) // == NormalizeEntry(pw): NFKC is idempotent
	if p.Breached != nil && p.Breached.containsKey(key) {
		vs = append(vs, breachedViolation)
	}
	if containsIdentifier(key, c) {
		vs = append(vs, Violation{Code: CodeContainsIdentifier,
			Message: "Password must not contain your email address, username or name."})
	}
	if len(vs) == 0 && p.Range != nil {
		count, err := p.Range.Lookup(ctx, normalized)
		switch {
		case err != nil:
			if p.OnRangeError != nil {
				p.OnRangeError(err)
			}
		case count > 0:
			vs = append(vs, breachedViolation)
		}
	}
	return vs
}

var breachedViolation = Violation{Code: CodeBreached,
	Message: "This password is too common or has appeared in a data breach. Choose a different one."}

// containsIdentifier reports whether key (the NFKC, lower-cased password)
// contains the email, its local part (with and without a +tag), the
// username, the name (as written and without spaces) or one of the words.
// Identifiers shorter than minIdentifierLen code points are skipped.
func containsIdentifier(key string, c Context) bool {
	ids := []string{c.Email, c.Username, c.Name}
	if at := strings.LastIndexByte(c.Email, '@'); at > 0 {
		local := c.Email[:at]
		ids = append(ids, local)
		if plus := strings.IndexByte(local, '+'); plus > 0 {
			ids = append(ids, local[:plus])
		}
	}
	ids = append(ids, strings.Join(strings.Fields(c.Name), ""))
	ids = append(ids, c.Words...)
	for _, id := range ids {
		id = NormalizeEntry(strings.TrimSpace(id))
		if utf8.RuneCountInString(id) >= minIdentifierLen && strings.Contains(key, id) {
			return true
		}
	}
	return false
}
