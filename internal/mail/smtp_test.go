package mail_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/mail/mailtest"
)

const wait = 10 * time.Second

func sender(t *testing.T, rawURL, from string) mail.Sender {
	t.Helper()
	cfg, err := mail.ParseURL(rawURL)
	if err != nil {
		t.Fatalf("ParseURL: %v", err)
	}
	cfg.Timeout = 5 * time.Second
	s, err := mail.New(cfg, from, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, ok := s.(*mail.SMTP); !ok {
		t.Fatalf("New picked %T, want *mail.SMTP", s)
	}
	return s
}

func testMessage(to string) *mail.Message {
	return &mail.Message{
		To:      to,
		Subject: "Bestätigen Sie Ihre E-Mail-Adresse für Acme",
		Text:    "Ihr Code: 48213907\n\nhttps://auth.example.com/verify?token=abc&x=1\n" + strings.Repeat("lange Zeile ", 20) + "\n",
		HTML:    `<!DOCTYPE html><html lang="de"><body><p>Ihr Code: <b>48213907</b></p><a href="https://auth.example.com/verify?token=abc&amp;x=1">Bestätigen</a></body></html>`,
		Headers: map[string]string{"X-Gatehouse-Kind": "verify_email", "Reply-To": "Support <support@acme.example>"},
	}
}

func TestSendTransports(t *testing.T) {
	tests := []struct {
		name     string
		opts     mailtest.Options
		wantTLS  bool
		wantUser string
	}{
		{"plain", mailtest.Options{}, false, ""},
		{"plain with auth on loopback", mailtest.Options{Username: "relay", Password: "pw"}, false, "relay"},
		{"starttls with auth", mailtest.Options{TLS: true, Username: "u@acme.example", Password: "p@ss:w/rd"}, true, "u@acme.example"},
		{"starttls LOGIN only", mailtest.Options{TLS: true, Username: "u", Password: "p", AuthMechanisms: []string{"LOGIN"}}, true, "u"},
		{"implicit tls", mailtest.Options{ImplicitTLS: true}, true, ""},
		{"implicit tls with auth", mailtest.Options{ImplicitTLS: true, Username: "u", Password: "p"}, true, "u"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.Start(t, tt.opts)
			s := sender(t, srv.URL(), "Acme Login <login@acme.example>")
			if err := s.Send(context.Background(), testMessage("Alex <alex@example.com>")); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := srv.WaitFor(t, "alex@example.com", wait)
			if got.TLS != tt.wantTLS || got.AuthUser != tt.wantUser {
				t.Errorf("TLS=%v AuthUser=%q, want %v %q", got.TLS, got.AuthUser, tt.wantTLS, tt.wantUser)
			}
			want := testMessage("")
			if got.Subject != want.Subject {
				t.Errorf("Subject %q", got.Subject)
			}
			if got.Text != want.Text {
				t.Errorf("Text %q\nwant %q", got.Text, want.Text)
			}
			if got.HTML != want.HTML {
				t.Errorf("HTML %q\nwant %q", got.HTML, want.HTML)
			}
			if got.EnvelopeFrom != "login@acme.example" || got.From != "login@acme.example" || got.FromName != "Acme Login" {
				t.Errorf("from: envelope %q header %q name %q", got.EnvelopeFrom, got.From, got.FromName)
			}
			if len(got.To) != 1 || got.To[0] != "alex@example.com" {
				t.Errorf("To %v", got.To)
			}
			h := got.Header
			if id := first(h, "Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@acme.example>") {
				t.Errorf("Message-ID %q", id)
			}
			if d := first(h, "Date"); d == "" {
				t.Error("no Date")
			}
			if first(h, "X-Gatehouse-Kind") != "verify_email" || first(h, "Auto-Submitted") != "auto-generated" {
				t.Errorf("headers %v", h)
			}
			if !strings.Contains(first(h, "Reply-To"), "support@acme.example") {
				t.Errorf("Reply-To %q", first(h, "Reply-To"))
			}
			if !strings.HasPrefix(first(h, "Content-Type"), "multipart/alternative") {
				t.Errorf("Content-Type %q", first(h, "Content-Type"))
			}
			if bytes.Contains(got.Raw, []byte("pw")) && tt.opts.Password == "pw" {
				t.Error("password in the message")
			}
		})
	}
}

func first(h map[string][]string, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func TestSendTextOnlyAndHTMLOnly(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	s := sender(t, srv.URL(), "")
	ctx := context.Background()
	if err := s.Send(ctx, &mail.Message{To: "a@example.com", Subject: "t", Text: "only text"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, &mail.Message{To: "a@example.com", Subject: "h", HTML: "<p>only html</p>"}); err != nil {
		t.Fatal(err)
	}
	m1, m2 := srv.WaitFor(t, "a@example.com", wait), srv.WaitFor(t, "a@example.com", wait)
	// A single-part body may gain a final line break on the wire.
	if strings.TrimSuffix(m1.Text, "\n") != "only text" || m1.HTML != "" {
		t.Errorf("text only: %+v", m1)
	}
	if strings.TrimSuffix(m2.HTML, "\n") != "<p>only html</p>" || m2.Text != "" {
		t.Errorf("html only: %+v", m2)
	}
	if m1.From != "no-reply@localhost" {
		t.Errorf("default From %q", m1.From)
	}
}

func TestSendFromOverride(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	s := sender(t, srv.URL(), "")
	m := testMessage("a@example.com")
	m.From = "Tenant <tenant@t.example>"
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitFor(t, "a@example.com", wait); got.From != "tenant@t.example" || got.EnvelopeFrom != "tenant@t.example" {
		t.Errorf("From %q envelope %q", got.From, got.EnvelopeFrom)
	}
}

func TestStartTLSIsNeverDowngraded(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{}) // offers no STARTTLS
	cfg, err := mail.ParseURL("smtp://" + srv.Addr() + "?starttls=true&insecure_skip_verify=true")
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSMTP(cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), testMessage("a@example.com"))
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("err = %v, want a STARTTLS error", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages delivered in plain text", n)
	}
}

func TestTLSCertificateIsVerified(t *testing.T) {
	for _, opts := range []mailtest.Options{{TLS: true}, {ImplicitTLS: true}} {
		srv := mailtest.Start(t, opts)
		url := strings.Replace(srv.URL(), "insecure_skip_verify=true", "insecure_skip_verify=false", 1)
		s := sender(t, url, "")
		err := s.Send(context.Background(), testMessage("a@example.com"))
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%+v: err = %v, want a certificate error", opts, err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%+v: %d messages delivered", opts, n)
		}
	}
}

func TestWrongCredentials(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "u", Password: "right-password"})
	url := strings.Replace(srv.URL(), "right-password", "wrong-password", 1)
	s := sender(t, url, "")
	err := s.Send(context.Background(), testMessage("a@example.com"))
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), "535") {
		t.Errorf("err = %v, want 535", err)
	}
	if strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("error echoes the password: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
}

func TestMissingCredentials(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "u", Password: "p"})
	url := strings.Replace(srv.URL(), "u:p@", "", 1)
	err := sender(t, url, "").Send(context.Background(), testMessage("a@example.com"))
	if err == nil || !strings.Contains(err.Error(), "authenticate") {
		t.Errorf("err = %v, want an authentication error", err)
	}
}

func TestCredentialsNeedAuthSupport(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: true}) // no AUTH offered
	cfg, _ := mail.ParseURL(srv.URL())
	cfg.Username, cfg.Password = "u", "p"
	s, err := mail.NewSMTP(cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), testMessage("a@example.com")); err == nil {
		t.Error("sent without the configured authentication")
	}
}

func TestSendRefusesBadMessages(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	s := sender(t, srv.URL(), "")
	ok := func() *mail.Message { return &mail.Message{To: "a@example.com", Subject: "s", Text: "t"} }
	bad := map[string]func(m *mail.Message){
		"no recipient":        func(m *mail.Message) { m.To = "" },
		"two recipients":      func(m *mail.Message) { m.To = "a@example.com, b@example.com" },
		"recipient injection": func(m *mail.Message) { m.To = "a@example.com\r\nBcc: b@example.com" },
		"bad from":            func(m *mail.Message) { m.From = "nobody" },
		"subject injection":   func(m *mail.Message) { m.Subject = "hi\r\nBcc: b@example.com" },
		"empty subject":       func(m *mail.Message) { m.Subject = " " },
		"no body":             func(m *mail.Message) { m.Text = "" },
		"header injection":    func(m *mail.Message) { m.Headers = map[string]string{"X-A": "v\r\nBcc: b@example.com"} },
		"bad header name":     func(m *mail.Message) { m.Headers = map[string]string{"X A": "v"} },
		"reserved header":     func(m *mail.Message) { m.Headers = map[string]string{"bcc": "b@example.com"} },
		"bad reply-to":        func(m *mail.Message) { m.Headers = map[string]string{"Reply-To": "nobody"} },
	}
	for name, mutate := range bad {
		m := ok()
		mutate(m)
		if err := s.Send(context.Background(), m); !errors.Is(err, mail.ErrInvalidMessage) {
			t.Errorf("%s: err = %v, want ErrInvalidMessage", name, err)
		}
	}
	if err := s.Send(context.Background(), nil); !errors.Is(err, mail.ErrInvalidMessage) {
		t.Errorf("nil message: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d bad messages delivered", n)
	}
}

func TestSendHonoursContext(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	s := sender(t, srv.URL(), "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Send(ctx, testMessage("a@example.com")); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestSendToDeadServerFails(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	url := srv.URL()
	srv.Close()
	if err := sender(t, url, "").Send(context.Background(), testMessage("a@example.com")); err == nil {
		t.Error("no error from a closed server")
	}
}

func TestNewPicksConsoleWithoutSMTP(t *testing.T) {
	var out bytes.Buffer
	s, err := mail.New(mail.Config{}, "", &out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*mail.Console); !ok {
		t.Fatalf("New picked %T, want *mail.Console", s)
	}
	if _, err := mail.New(mail.Config{}, "not an address", &out); err == nil {
		t.Error("invalid From accepted")
	}
	if _, err := mail.New(mail.Config{Host: "localhost", Port: 25}, "not an address", nil); err == nil {
		t.Error("invalid From accepted for SMTP")
	}
}

// TestTemplatesThroughSMTP sends every kind in German, as a flow will, and
// reads it back from the wire.
func TestTemplatesThroughSMTP(t *testing.T) {
	tpl := mail.MustLoadTemplates()
	srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "u", Password: "p"})
	s := sender(t, srv.URL(), "")
	data := mail.Data{
		TenantName: "Acme", UserName: `<script>alert(1)</script>`, Code: "48213907",
		Link: "https://auth.acme.example/verify?token=abc&x=1", ExpiresIn: time.Hour,
	}
	for _, kind := range mail.Kinds {
		m, err := tpl.Message("alex@example.com", kind, mail.PickLanguage("", "de-AT,de;q=0.9"), nil, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		got := srv.WaitFor(t, "alex@example.com", wait)
		if got.Subject != m.Subject || got.Text != m.Text || got.HTML != m.HTML {
			t.Errorf("%s: received message differs from the rendered one", kind)
		}
		if strings.Contains(got.HTML, "<script>") {
			t.Errorf("%s: unescaped script in HTML", kind)
		}
		if kind != mail.KindMFACode && !strings.Contains(got.Text, data.Link) {
			t.Errorf("%s: link missing from text", kind)
		}
	}
}
