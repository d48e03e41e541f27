package mailtest

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/mail"
)

// Sender returns the SMTP sender a server would build for s's URL, with
// from as GATEHOUSE_SMTP_FROM. It is for servers without TLS: the
// self-signed certificate of a TLS server is not trusted by it.
func (s *Server) Sender(t testing.TB, from string) mail.Sender {
	t.Helper()
	cfg, err := mail.ParseURL(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.New(cfg, from, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sender
}
