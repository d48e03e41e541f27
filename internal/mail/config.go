package mail

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TLSMode says how the SMTP connection is protected.
type TLSMode int

const (
	// TLSNone is plain SMTP (smtp:// without starttls=true). Use it only
	// for a relay on the same host or network: go-mail refuses to send
	// PLAIN/LOGIN credentials over it unless the host is localhost,
	// 127.0.0.1 or ::1.
	TLSNone TLSMode = iota
	// TLSStartTLS upgrades a plain connection with STARTTLS (smtp://…?starttls=true).
	// It is mandatory: a server that does not offer STARTTLS, or whose
	// handshake fails, gets no mail. There is no fallback to plain text.
	TLSStartTLS
	// TLSImplicit speaks TLS from the first byte (smtps://).
	TLSImplicit
)

func (m TLSMode) String() string {
	switch m {
	case TLSNone:
		return "none"
	case TLSStartTLS:
		return "starttls"
	case TLSImplicit:
		return "implicit"
	}
	return "TLSMode(" + strconv.Itoa(int(m)) + ")"
}

// Default ports per transport.
const (
	PortSMTP     = 25
	PortStartTLS = 587
	PortSMTPS    = 465
)

// DefaultTimeout bounds connecting and each SMTP command when
// Config.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// DefaultFrom is the sender when GATEHOUSE_SMTP_FROM is not set.
const DefaultFrom = "Gatehouse <no-reply@localhost>"

// Config is a parsed GATEHOUSE_SMTP_URL. The zero value means "no SMTP
// server": New then picks the console sender.
//
// String, GoString and LogValue redact the password, so a Config can be
// logged or printed with %v, %+v and %#v.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSMode
	// InsecureSkipVerify accepts any server certificate. For tests and
	// local relays with self-signed certificates only.
	InsecureSkipVerify bool
	// Timeout bounds the dial and every SMTP command; zero means
	// DefaultTimeout. It is not part of the URL.
	Timeout time.Duration
}

// Enabled reports whether an SMTP server is configured.
func (c Config) Enabled() bool { return c.Host != "" }

// ErrInvalidURL is wrapped by every ParseURL error.
var ErrInvalidURL = errors.New("mail: invalid GATEHOUSE_SMTP_URL")

func urlError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidURL}, args...)...)
}

// ParseURL parses GATEHOUSE_SMTP_URL:
//
//	smtp://[user[:pass]@]host[:port][?starttls=true|false][&insecure_skip_verify=true|false]
//	smtps://[user[:pass]@]host[:port][?insecure_skip_verify=true|false]
//
// User and password are percent-decoded, so a password containing '@',
// ':', '/', '?' or '#' must be percent-encoded. The port defaults to 25
// for smtp, 587 with starttls=true and 465 for smtps. An empty string
// gives the zero Config (not configured) and no error.
//
// Errors describe the problem without quoting the URL or any part of the
// authority, so a password never reaches a log through them.
func ParseURL(s string) (Config, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Config{}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Parse errors quote the input, password included.
		return Config{}, urlError("not a valid URL (percent-encode special characters in user and password)")
	}
	var c Config
	switch u.Scheme {
	case "smtp":
		c.TLS = TLSNone
	case "smtps":
		c.TLS = TLSImplicit
	default:
		return Config{}, urlError("scheme must be smtp:// or smtps://")
	}
	if u.Opaque != "" {
		return Config{}, urlError("must start with smtp:// or smtps:// followed by the host")
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, urlError("unexpected path after the host (percent-encode '/' in user and password)")
	}
	if u.Fragment != "" || strings.Contains(s, "#") {
		return Config{}, urlError("unexpected fragment (percent-encode '#' in user and password)")
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return Config{}, urlError("missing host")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return Config{}, urlError("missing user name before the password")
		}
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, urlError("malformed query")
	}
	for key, vals := range q {
		if len(vals) != 1 {
			return Config{}, urlError("query parameter %s given more than once", safeKey(key))
		}
		if safeKey(key) != key {
			return Config{}, urlError("unknown query parameter (allowed: starttls, insecure_skip_verify)")
		}
		v := strings.ToLower(vals[0])
		var on bool
		switch v {
		case "true", "1", "yes":
			on = true
		case "false", "0", "no":
		default:
			return Config{}, urlError("query parameter %s must be true or false", safeKey(key))
		}
		switch key {
		case "starttls":
			if c.TLS == TLSImplicit {
				if on {
					return Config{}, urlError("starttls does not apply to smtps:// (implicit TLS); use one or the other")
				}
				continue
			}
			if on {
				c.TLS = TLSStartTLS
			}
		case "insecure_skip_verify":
			c.InsecureSkipVerify = on
		}
	}
	if c.InsecureSkipVerify && c.TLS == TLSNone {
		return Config{}, urlError("insecure_skip_verify needs TLS (starttls=true or smtps://)")
	}

	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, urlError("port must be a number from 1 to 65535")
		}
		c.Port = n
	} else {
		switch c.TLS {
		case TLSImplicit:
			c.Port = PortSMTPS
		case TLSStartTLS:
			c.Port = PortStartTLS
		default:
			c.Port = PortSMTP
		}
	}
	return c, nil
}

// safeKey names a query parameter in an error only if it is one of ours:
// a password with an unencoded '?' would otherwise leak through it.
func safeKey(k string) string {
	switch k {
	case "starttls", "insecure_skip_verify":
		return k
	}
	return "(unknown)"
}

// String returns the configuration as a URL with the password replaced by
// "REDACTED".
func (c Config) String() string {
	if !c.Enabled() {
		return "(console)"
	}
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.TLS == TLSImplicit {
		u.Scheme = "smtps"
	}
	switch {
	case c.Username != "" && c.Password != "":
		u.User = url.UserPassword(c.Username, "REDACTED")
	case c.Username != "":
		u.User = url.User(c.Username)
	}
	q := url.Values{}
	if c.TLS == TLSStartTLS {
		q.Set("starttls", "true")
	}
	if c.InsecureSkipVerify {
		q.Set("insecure_skip_verify", "true")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// GoString keeps %#v from printing the password.
func (c Config) GoString() string { return "mail.Config(" + c.String() + ")" }

// LogValue keeps slog from printing the password.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// ParseFrom checks GATEHOUSE_SMTP_FROM ("Name <addr@example.com>" or a
// bare address) and returns it in canonical form; "" gives DefaultFrom.
// Config validation should call it so a bad value stops the server at start.
func ParseFrom(s string) (*mail.Address, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultFrom
	}
	a, err := parseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("mail: GATEHOUSE_SMTP_FROM: %w", err)
	}
	return a, nil
}

// parseAddress accepts exactly one RFC 5322 address whose domain part is
// present.
func parseAddress(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("not a single address: contains a line break")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, errors.New("not a valid email address")
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at <= 0 || at == len(a.Address)-1 {
		return nil, errors.New("not a valid email address")
	}
	return a, nil
}
