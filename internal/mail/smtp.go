package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends each message over a new connection to the configured server.
//
// TLS follows Config.TLS and is never downgraded: with TLSStartTLS a
// server that does not offer STARTTLS gets no mail, and certificates are
// verified unless insecure_skip_verify=true. Credentials, when given, are
// sent with PLAIN or LOGIN (PLAIN first; if the server offers neither,
// go-mail picks a SCRAM or CRAM-MD5 mechanism it does offer). go-mail
// refuses PLAIN and LOGIN over an unencrypted connection to anything but
// localhost, 127.0.0.1 or ::1. A server that offers no AUTH at all is an
// error rather than a silent unauthenticated send.
type SMTP struct {
	cfg  Config
	from *mail.Address
	// Now stamps the Date header; nil means time.Now.
	Now func() time.Time
}

// NewSMTP returns an SMTP sender; from is GATEHOUSE_SMTP_FROM ("" gives
// DefaultFrom).
func NewSMTP(cfg Config, from string) (*SMTP, error) {
	if !cfg.Enabled() {
		return nil, errors.New("mail: SMTP sender needs a host")
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, errors.New("mail: SMTP port must be from 1 to 65535")
	}
	f, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	return &SMTP{cfg: cfg, from: f}, nil
}

func (s *SMTP) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Send delivers m. The context bounds the whole exchange: when it is done,
// the connection is closed. Errors name the server, the failing step, the
// server's reply and possibly the recipient, never the body or the
// password.
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e, err := check(m, s.from, s.now())
	if err != nil {
		return err
	}
	msg := s.build(e)

	// go-mail honours the context only while dialling; closing the
	// connection when ctx ends makes it bound the whole send.
	var stop func() bool
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var conn net.Conn
		var err error
		if s.cfg.TLS == TLSImplicit {
			conn, err = (&tls.Dialer{NetDialer: d, Config: s.tlsConfig()}).DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}

	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(dial)...)
	if err != nil {
		return fmt.Errorf("mail: smtp client: %w", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if stop != nil {
		stop()
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("mail: send via %s: %w", s.addr(), cerr)
		}
		return fmt.Errorf("mail: send via %s: %w", s.addr(), err)
	}
	return nil
}

func (s *SMTP) addr() string { return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)) }

func (s *SMTP) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.cfg.Host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: s.cfg.InsecureSkipVerify, //nolint:gosec // opt-in via insecure_skip_verify=true
	}
}

func (s *SMTP) clientOptions(dial gomail.DialContextFunc) []gomail.Option {
	timeout := s.cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(s.tlsConfig()),
		gomail.WithDialContextFunc(dial),
	}
	switch s.cfg.TLS {
	case TLSImplicit:
		// The dialer already speaks TLS; WithSSL stops go-mail from
		// trying STARTTLS on top.
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.Username != "" {
		opts = append(opts,
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
		)
	}
	return opts
}

func (s *SMTP) build(e *envelope) *gomail.Msg {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(e.from)
	msg.ToMailAddress(e.to)
	if e.replyTo != nil {
		msg.ReplyToMailAddress(e.replyTo)
	}
	msg.Subject(e.subject)
	msg.SetDateWithValue(e.date)
	msg.SetMessageIDWithValue(e.id)
	msg.SetUserAgent("Gatehouse")
	// RFC 3834: tells auto-responders not to answer.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	for _, h := range e.headers {
		msg.SetGenHeader(gomail.Header(h[0]), h[1])
	}
	switch {
	case e.text != "" && e.html != "":
		msg.SetBodyString(gomail.TypeTextPlain, e.text)
		msg.AddAlternativeString(gomail.TypeTextHTML, e.html)
	case e.text != "":
		msg.SetBodyString(gomail.TypeTextPlain, e.text)
	default:
		msg.SetBodyString(gomail.TypeTextHTML, e.html)
	}
	return msg
}

// Interface guards.
var (
	_ Sender = (*SMTP)(nil)
	_ Sender = (*Console)(nil)
)
