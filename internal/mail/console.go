package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"sync"
	"time"
)

// Console is the development sender: it writes each message, headers and
// text body, to an io.Writer (the server passes stdout) instead of sending
// it. It validates messages exactly as the SMTP sender does, so a bad
// message fails in development too.
//
// It prints one-time codes and links by design; never use it where the
// output is collected as production logs.
type Console struct {
	w    io.Writer
	from *mail.Address
	mu   sync.Mutex
	// Now stamps the Date header; nil means time.Now.
	Now func() time.Time
}

// NewConsole returns a console sender writing to w; from is
// GATEHOUSE_SMTP_FROM ("" gives DefaultFrom).
func NewConsole(w io.Writer, from string) (*Console, error) {
	if w == nil {
		return nil, errors.New("mail: console sender needs a writer")
	}
	f, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	return &Console{w: w, from: f}, nil
}

const (
	consoleBegin = "===== Gatehouse dev mail: NOT SENT (GATEHOUSE_SMTP_URL is not set) ====="
	consoleEnd   = "===== end of dev mail ====="
)

// Send writes m in one Write call, so concurrent mails do not interleave.
func (c *Console) Send(ctx context.Context, m *Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	e, err := check(m, c.from, now)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString(consoleBegin + "\n")
	fmt.Fprintf(&b, "Date: %s\n", e.date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s>\n", e.id)
	fmt.Fprintf(&b, "From: %s\n", e.from)
	fmt.Fprintf(&b, "To: %s\n", e.to)
	if e.replyTo != nil {
		fmt.Fprintf(&b, "Reply-To: %s\n", e.replyTo)
	}
	fmt.Fprintf(&b, "Subject: %s\n", e.subject)
	for _, h := range e.headers {
		fmt.Fprintf(&b, "%s: %s\n", h[0], h[1])
	}
	b.WriteString("\n")
	switch {
	case e.text != "":
		b.WriteString(strings.TrimRight(e.text, "\n") + "\n")
		if e.html != "" {
			fmt.Fprintf(&b, "\n[HTML alternative: %d bytes, not shown]\n", len(e.html))
		}
	default:
		b.WriteString("[HTML only]\n")
		b.WriteString(strings.TrimRight(e.html, "\n") + "\n")
	}
	b.WriteString(consoleEnd + "\n")

	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("mail: console: %w", err)
	}
	return nil
}
