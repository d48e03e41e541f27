// Package mail sends Gatehouse's transactional email: verification codes,
// password resets and security notices.
//
// A Sender delivers a Message. New picks the SMTP sender when
// GATEHOUSE_SMTP_URL is set (see ParseURL) and the console sender, for
// development, when it is not. Templates renders the built-in messages in
// English and German, with per-tenant overrides.
//
// Messages carry one-time codes and sign-in links. Nothing in this package
// logs them, and errors never quote a body or the SMTP password; only the
// console sender, meant for development, prints bodies.
package mail

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Sender delivers one message. Implementations are safe for concurrent use.
type Sender interface {
	// Send delivers m or returns why not. An error wrapping
	// ErrInvalidMessage means m itself is wrong and retrying is useless.
	Send(ctx context.Context, m *Message) error
}

// Message is one email to one recipient. At least one of Text and HTML
// must be set; with both, the mail is multipart/alternative.
type Message struct {
	To      string // one address, "Name <a@example.com>" or "a@example.com"
	From    string // optional override of the sender's default From
	Subject string
	Text    string
	HTML    string
	// Headers adds header fields, e.g. "Reply-To" or "List-Id". Fields the
	// sender sets itself (From, To, Subject, Date, Message-ID, MIME and
	// content headers, Cc, Bcc, Sender) are refused.
	Headers map[string]string
}

// ErrInvalidMessage is wrapped by Send when the message cannot be sent as
// given (bad address, line break in a header, no body…).
var ErrInvalidMessage = errors.New("mail: invalid message")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidMessage}, args...)...)
}

// reservedHeaders are set by the senders and may not come from
// Message.Headers.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "sender": true,
	"subject": true, "date": true, "message-id": true, "mime-version": true,
	"content-type": true, "content-transfer-encoding": true,
	"content-disposition": true, "return-path": true,
}

// envelope is a checked Message.
type envelope struct {
	from, to *mail.Address
	subject  string
	text     string
	html     string
	replyTo  *mail.Address
	headers  [][2]string // sorted by name
	date     time.Time
	id       string // without angle brackets
}

// check validates m against the sender's default From and fills in Date
// and Message-ID.
func check(m *Message, defaultFrom *mail.Address, now time.Time) (*envelope, error) {
	if m == nil {
		return nil, invalid("nil message")
	}
	e := &envelope{from: defaultFrom, subject: m.Subject, text: m.Text, html: m.HTML, date: now}
	var err error
	if e.to, err = parseAddress(m.To); err != nil {
		return nil, invalid("To: %v", err)
	}
	if m.From != "" {
		if e.from, err = parseAddress(m.From); err != nil {
			return nil, invalid("From: %v", err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return nil, invalid("empty subject")
	}
	if hasControl(m.Subject) {
		return nil, invalid("subject contains a line break or control character")
	}
	if m.Text == "" && m.HTML == "" {
		return nil, invalid("no body: set Text, HTML or both")
	}
	for name, value := range m.Headers {
		if !validFieldName(name) {
			return nil, invalid("header name %q is not a valid field name", name)
		}
		lower := strings.ToLower(name)
		if reservedHeaders[lower] {
			return nil, invalid("header %s is set by the sender", name)
		}
		if hasControl(value) {
			return nil, invalid("header %s contains a line break or control character", name)
		}
		if lower == "reply-to" {
			if e.replyTo, err = parseAddress(value); err != nil {
				return nil, invalid("Reply-To: %v", err)
			}
			continue
		}
		e.headers = append(e.headers, [2]string{name, value})
	}
	slices.SortFunc(e.headers, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	e.id = newMessageID(e.from.Address)
	return e, nil
}

// hasControl reports CR, LF and other control characters except tab.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\t') || r == 0x7f
	})
}

// validFieldName follows RFC 5322 section 3.6.8: printable ASCII except ':'.
func validFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}

// newMessageID returns a random id-left "@" the From domain.
func newMessageID(fromAddr string) string {
	domain := fromAddr[strings.LastIndexByte(fromAddr, '@')+1:]
	return strings.ToLower(rand.Text()) + "@" + domain
}

// New returns the SMTP sender when cfg is enabled and the console sender,
// writing to console, otherwise. from is GATEHOUSE_SMTP_FROM ("" gives
// DefaultFrom); an invalid from is an error so a misconfigured server
// fails at start, not at the first sign-up.
func New(cfg Config, from string, console io.Writer) (Sender, error) {
	if cfg.Enabled() {
		return NewSMTP(cfg, from)
	}
	return NewConsole(console, from)
}
