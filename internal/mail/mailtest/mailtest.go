// Package mailtest runs a real SMTP server (emersion/go-smtp) on loopback
// for tests, and hands back the messages it received, parsed.
//
//	srv := mailtest.Start(t, mailtest.Options{TLS: true, Username: "u", Password: "p"})
//	cfg, _ := mail.ParseURL(srv.URL())
//	... send ...
//	msg := srv.WaitFor(t, "alice@example.com", 5*time.Second)
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Server.
type Options struct {
	// TLS offers STARTTLS with a self-signed certificate made at start.
	TLS bool
	// ImplicitTLS speaks TLS from the first byte (smtps://). It wins over TLS.
	ImplicitTLS bool
	// Username and Password, when Username is set, make AUTH mandatory
	// before MAIL FROM. The server offers PLAIN and LOGIN, also without TLS
	// (the client decides whether it sends credentials in the clear).
	Username, Password string
	// AuthMechanisms restricts the offered mechanisms ("PLAIN", "LOGIN").
	AuthMechanisms []string
}

// Message is one received mail.
type Message struct {
	EnvelopeFrom string   // MAIL FROM
	Recipients   []string // RCPT TO, in order
	From         string   // address of the From header
	FromName     string   // display name of the From header
	To           []string // addresses of the To header
	Subject      string   // decoded
	// Text and HTML are the text/plain and text/html parts, decoded, with
	// LF line ends. A message that is not multipart may end with a line
	// break its sender did not write (the transport adds one).
	Text     string
	HTML     string
	Header   map[string][]string
	Raw      []byte // the message as received (CRLF line ends)
	TLS      bool   // the session was encrypted (STARTTLS or implicit)
	AuthUser string // the user that authenticated, if any
}

// Server is a running SMTP server.
type Server struct {
	opts     Options
	srv      *smtp.Server
	ln       net.Listener
	cert     *x509.Certificate
	done     chan struct{} // closed when Serve returns
	closeOne sync.Once

	mu      sync.Mutex
	msgs    []Message
	taken   []bool        // WaitFor already returned msgs[i]
	changed chan struct{} // closed and replaced on every new message
	tb      testing.TB    // nil once closed: no logging after the test
}

// Start listens on 127.0.0.1:0 and serves until the test ends (or Close).
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts, changed: make(chan struct{}), tb: t, done: make(chan struct{})}
	if len(s.opts.AuthMechanisms) == 0 {
		s.opts.AuthMechanisms = []string{sasl.Plain, sasl.Login}
	}

	s.srv = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 50
	s.srv.AllowInsecureAuth = true
	s.srv.ErrorLog = (*testLogger)(s)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	if opts.TLS || opts.ImplicitTLS {
		cfg, cert, err := selfSigned()
		if err != nil {
			ln.Close()
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.cert = cert
		if opts.ImplicitTLS {
			ln = tls.NewListener(ln, cfg)
		} else {
			s.srv.TLSConfig = cfg
		}
	}
	s.ln = ln
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln)
	}()
	t.Cleanup(s.Close)
	return s
}

// Addr is the listening address, 127.0.0.1:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is a GATEHOUSE_SMTP_URL for this server: smtp://, smtp://…?starttls=true
// or smtps://, with the credentials and insecure_skip_verify=true when TLS
// is on (the certificate is self-signed).
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr()}
	q := url.Values{}
	switch {
	case s.opts.ImplicitTLS:
		u.Scheme = "smtps"
		q.Set("insecure_skip_verify", "true")
	case s.opts.TLS:
		q.Set("starttls", "true")
		q.Set("insecure_skip_verify", "true")
	}
	if s.opts.Username != "" {
		u.User = url.UserPassword(s.opts.Username, s.opts.Password)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Certificate is the self-signed server certificate, or nil without TLS.
func (s *Server) Certificate() *x509.Certificate { return s.cert }

// Messages returns every message received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor returns the oldest message to the envelope recipient to
// (case-insensitive) that no earlier WaitFor returned, waiting up to
// timeout for it to arrive. It fails the test on timeout.
func (s *Server) WaitFor(t testing.TB, to string, timeout time.Duration) Message {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		for i, m := range s.msgs {
			if s.taken[i] {
				continue
			}
			for _, r := range m.Recipients {
				if strings.EqualFold(r, to) {
					s.taken[i] = true
					s.mu.Unlock()
					return m
				}
			}
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			t.Fatalf("mailtest: no message to %s within %v (%d received in all)", to, timeout, len(s.Messages()))
			return Message{}
		}
	}
}

// Close stops the server and drops open connections. Start registers it
// with t.Cleanup; calling it earlier is fine.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		_ = s.srv.Close()
		// Serve may not have registered the listener with the server yet,
		// in which case srv.Close cannot close it: close it here too.
		_ = s.ln.Close()
		<-s.done
		s.mu.Lock()
		s.tb = nil
		s.mu.Unlock()
	})
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	s.taken = append(s.taken, false)
	close(s.changed)
	s.changed = make(chan struct{})
}

// testLogger sends go-smtp's error log to the test log while the test runs.
type testLogger Server

func (l *testLogger) Printf(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tb != nil {
		l.tb.Logf("mailtest: "+format, v...)
	}
}

func (l *testLogger) Println(v ...any) {
	l.Printf("%s", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

// session is one SMTP connection.
type session struct {
	s        *Server
	c        *smtp.Conn
	authUser string
	from     string
	rcpts    []string
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, c: c}, nil
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return ss.s.opts.AuthMechanisms
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.s.opts.Username == "" {
		return nil, smtp.ErrAuthUnsupported
	}
	check := func(user, pass string) error {
		if user != ss.s.opts.Username || pass != ss.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.authUser = user
		return nil
	}
	switch strings.ToUpper(mech) {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error {
			if identity != "" && identity != user {
				return smtp.ErrAuthFailed
			}
			return check(user, pass)
		}), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && ss.authUser == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.opts.Username != "" && ss.authUser == "" {
		return smtp.ErrAuthRequired
	}
	ss.rcpts = append(ss.rcpts, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(raw)
	if err != nil {
		// Tell the client, and the test log, rather than storing junk.
		ss.s.srv.ErrorLog.Printf("unparsable message: %v", err)
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "mailtest: " + err.Error()}
	}
	m.EnvelopeFrom = ss.from
	m.Recipients = append([]string(nil), ss.rcpts...)
	_, m.TLS = ss.c.TLSConnectionState()
	m.AuthUser = ss.authUser
	ss.s.add(m)
	return nil
}

func (ss *session) Reset() {
	ss.from = ""
	ss.rcpts = nil
}

func (ss *session) Logout() error { return nil }

// loginServer is the server side of the LOGIN mechanism, which go-sasl
// provides only as a client.
type loginServer struct {
	check func(user, pass string) error
	step  int
	user  string
}

func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.step {
	case 0:
		l.step++
		if response != nil { // initial response carries the user name
			l.user = string(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.step++
		l.user = string(response)
		return []byte("Password:"), false, nil
	case 2:
		l.step++
		return nil, true, l.check(l.user, string(response))
	}
	return nil, false, errors.New("unexpected LOGIN response")
}

// selfSigned makes an ECDSA certificate for 127.0.0.1, ::1 and localhost,
// valid for a day.
func selfSigned() (*tls.Config, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	return cfg, cert, nil
}
