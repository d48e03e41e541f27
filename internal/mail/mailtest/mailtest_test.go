package mailtest

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const raw = "From: =?utf-8?q?J=C3=B6rg?= <joerg@example.com>\r\n" +
	"To: Alex <alex@example.com>, bo@example.com\r\n" +
	"Subject: =?utf-8?b?R3LDvMOfZQ==?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=outer\r\n" +
	"\r\n" +
	"--outer\r\n" +
	"Content-Type: multipart/alternative; boundary=inner\r\n" +
	"\r\n" +
	"--inner\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Gr=C3=BC=C3=9Fe, a very long line that is soft-=\r\n" +
	"wrapped; code=3D123\r\n" +
	"--inner\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"PHA+R3LDvMOfZTwv\r\n" +
	"cD4=\r\n" +
	"--inner--\r\n" +
	"--outer\r\n" +
	"Content-Type: application/octet-stream\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"AAEC\r\n" +
	"--outer--\r\n"

func TestParse(t *testing.T) {
	m, err := parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "joerg@example.com" || m.FromName != "Jörg" {
		t.Errorf("From %q %q", m.From, m.FromName)
	}
	if strings.Join(m.To, ",") != "alex@example.com,bo@example.com" {
		t.Errorf("To %v", m.To)
	}
	if m.Subject != "Grüße" {
		t.Errorf("Subject %q", m.Subject)
	}
	if m.Text != "Grüße, a very long line that is soft-wrapped; code=123" {
		t.Errorf("Text %q", m.Text)
	}
	if m.HTML != "<p>Grüße</p>" {
		t.Errorf("HTML %q", m.HTML)
	}
}

func TestParseRejects(t *testing.T) {
	for name, msg := range map[string]string{
		"no headers":       "just text",
		"no from":          "To: a@example.com\r\n\r\nbody",
		"no boundary":      "From: a@example.com\r\nContent-Type: multipart/alternative\r\n\r\nx",
		"unknown encoding": "From: a@example.com\r\nContent-Transfer-Encoding: uuencode\r\n\r\nx",
		"latin1":           "From: a@example.com\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nx",
	} {
		if _, err := parse([]byte(msg)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func send(t *testing.T, s *Server, to, subject string) {
	t.Helper()
	body := "From: a@example.com\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nhello\r\n"
	c, err := smtp.Dial(s.Addr()) // plain: smtp.SendMail insists on STARTTLS
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer c.Close()
	if err := c.SendMail("a@example.com", []string{to}, strings.NewReader(body)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("Quit: %v", err)
	}
}

func TestWaitForReturnsEachMessageOnce(t *testing.T) {
	s := Start(t, Options{})
	send(t, s, "x@example.com", "one")
	send(t, s, "y@example.com", "other")
	send(t, s, "X@Example.com", "two")

	if m := s.WaitFor(t, "x@example.com", time.Second); m.Subject != "one" {
		t.Errorf("first %q", m.Subject)
	}
	if m := s.WaitFor(t, "x@example.com", time.Second); m.Subject != "two" {
		t.Errorf("second %q", m.Subject)
	}
	if n := len(s.Messages()); n != 3 {
		t.Errorf("Messages() has %d", n)
	}

	// A message that arrives while WaitFor waits wakes it up.
	done := make(chan Message)
	go func() { done <- s.WaitFor(t, "late@example.com", 10*time.Second) }()
	send(t, s, "late@example.com", "late")
	if m := <-done; m.Subject != "late" || m.Text != "hello\n" {
		t.Errorf("late %+v", m)
	}
}

func TestAuthRequired(t *testing.T) {
	s := Start(t, Options{TLS: true, Username: "u", Password: "p"})
	tlsCfg := &tls.Config{InsecureSkipVerify: true} //nolint:gosec // self-signed test certificate

	c, err := smtp.DialStartTLS(s.Addr(), tlsCfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("a@example.com", nil); err == nil {
		t.Error("MAIL without AUTH accepted")
	}
	if err := c.Auth(sasl.NewPlainClient("", "u", "wrong")); err == nil {
		t.Error("wrong password accepted")
	}
	c2, err := smtp.DialStartTLS(s.Addr(), tlsCfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := c2.Auth(sasl.NewLoginClient("u", "p")); err != nil {
		t.Errorf("LOGIN: %v", err)
	}
	if err := c2.Mail("a@example.com", nil); err != nil {
		t.Errorf("MAIL after AUTH: %v", err)
	}
}

func TestURL(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{}, "smtp://"},
		{Options{TLS: true, Username: "u@x", Password: "p:w"}, "smtp://u%40x:p%3Aw@"},
		{Options{ImplicitTLS: true}, "smtps://"},
	} {
		s := Start(t, tc.opts)
		u := s.URL()
		if !strings.HasPrefix(u, tc.want+s.Addr()) {
			t.Errorf("URL() = %q, want prefix %q", u, tc.want+s.Addr())
		}
		if tls := tc.opts.TLS || tc.opts.ImplicitTLS; tls != strings.Contains(u, "insecure_skip_verify=true") {
			t.Errorf("URL() = %q: insecure_skip_verify should be set exactly with TLS", u)
		}
		if (s.Certificate() != nil) != (tc.opts.TLS || tc.opts.ImplicitTLS) {
			t.Errorf("Certificate() with %+v", tc.opts)
		}
	}
}

func TestCloseRightAfterStart(t *testing.T) {
	for range 20 {
		Start(t, Options{}).Close()
	}
}
