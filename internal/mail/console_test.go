package mail

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConsole(t *testing.T) {
	var out bytes.Buffer
	c, err := NewConsole(&out, "Acme <no-reply@acme.example>")
	if err != nil {
		t.Fatal(err)
	}
	c.Now = func() time.Time { return time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC) }
	err = c.Send(context.Background(), &Message{
		To:      "Alex <alex@example.com>",
		Subject: "Verify your email address for Acme",
		Text:    "Your code: 48213907\nhttps://auth.acme.example/verify?token=abc\n",
		HTML:    "<p>Your code: 48213907</p>",
		Headers: map[string]string{"X-Gatehouse-Kind": "verify_email"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"===== Gatehouse dev mail: NOT SENT (GATEHOUSE_SMTP_URL is not set) =====\n",
		"Date: Fri, 02 Jan 2026 15:04:05 +0000\n",
		"Message-ID: <",
		"@acme.example>\n",
		"From: \"Acme\" <no-reply@acme.example>\n",
		"To: \"Alex\" <alex@example.com>\n",
		"Subject: Verify your email address for Acme\n",
		"X-Gatehouse-Kind: verify_email\n",
		"\n\nYour code: 48213907\nhttps://auth.acme.example/verify?token=abc\n",
		"[HTML alternative: 26 bytes, not shown]\n",
		"===== end of dev mail =====\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestConsoleHTMLOnly(t *testing.T) {
	var out bytes.Buffer
	c, _ := NewConsole(&out, "")
	if err := c.Send(context.Background(), &Message{To: "a@example.com", Subject: "s", HTML: "<p>hi</p>"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "[HTML only]\n<p>hi</p>\n") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestConsoleValidatesLikeSMTP(t *testing.T) {
	var out bytes.Buffer
	c, _ := NewConsole(&out, "")
	err := c.Send(context.Background(), &Message{To: "a@example.com", Subject: "s\nBcc: x@example.com", Text: "t"})
	if !errors.Is(err, ErrInvalidMessage) {
		t.Errorf("err = %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q", out.String())
	}
	if _, err := NewConsole(nil, ""); err == nil {
		t.Error("nil writer accepted")
	}
}

func TestConsoleConcurrentMailsDoNotInterleave(t *testing.T) {
	var out bytes.Buffer
	c, _ := NewConsole(&out, "")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_ = c.Send(context.Background(), &Message{To: "a@example.com", Subject: "s", Text: strings.Repeat("line\n", 50)})
		})
	}
	wg.Wait()
	blocks := strings.Split(out.String(), consoleEnd+"\n")
	if len(blocks) != 9 {
		t.Fatalf("%d blocks", len(blocks)-1)
	}
	for _, b := range blocks[:8] {
		if strings.Count(b, consoleBegin) != 1 || strings.Count(b, "line\n") != 50 {
			t.Fatalf("interleaved block:\n%s", b)
		}
	}
}
