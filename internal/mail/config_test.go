package mail

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Config
	}{
		{"empty means console", "", Config{}},
		{"blank means console", "  ", Config{}},
		{"plain default port", "smtp://mail.example.com", Config{Host: "mail.example.com", Port: 25}},
		{"plain with port", "smtp://mail.example.com:2525", Config{Host: "mail.example.com", Port: 2525}},
		{"trailing slash", "smtp://mail.example.com/", Config{Host: "mail.example.com", Port: 25}},
		{"starttls default port", "smtp://mail.example.com?starttls=true",
			Config{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS}},
		{"starttls explicit port", "smtp://mail.example.com:25?starttls=true",
			Config{Host: "mail.example.com", Port: 25, TLS: TLSStartTLS}},
		{"starttls false", "smtp://mail.example.com?starttls=false", Config{Host: "mail.example.com", Port: 25}},
		{"smtps default port", "smtps://mail.example.com", Config{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
		{"smtps starttls=false is harmless", "smtps://mail.example.com?starttls=false",
			Config{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
		{"credentials decoded", "smtp://us%40er:p%40ss%3Aw%2Frd%23%3F@mail.example.com?starttls=true",
			Config{Host: "mail.example.com", Port: 587, TLS: TLSStartTLS, Username: "us@er", Password: "p@ss:w/rd#?"}},
		{"user without password", "smtps://apikey@mail.example.com",
			Config{Host: "mail.example.com", Port: 465, TLS: TLSImplicit, Username: "apikey"}},
		{"insecure skip verify", "smtps://127.0.0.1:1465?insecure_skip_verify=true",
			Config{Host: "127.0.0.1", Port: 1465, TLS: TLSImplicit, InsecureSkipVerify: true}},
		{"ipv6", "smtp://[::1]:2525", Config{Host: "::1", Port: 2525}},
		{"scheme case", "SMTPS://mail.example.com", Config{Host: "mail.example.com", Port: 465, TLS: TLSImplicit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseURL(tt.in)
			if err != nil {
				t.Fatalf("ParseURL: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %#v (%+v)\nwant %+v", got, fields(got), fields(tt.want))
			}
		})
	}
}

// fields prints a Config with its password, for test failures only.
func fields(c Config) string {
	return fmt.Sprintf("{Host:%s Port:%d User:%s Pass:%s TLS:%s Insecure:%t}",
		c.Host, c.Port, c.Username, c.Password, c.TLS, c.InsecureSkipVerify)
}

func TestParseURLErrorsDoNotEchoPassword(t *testing.T) {
	const pw = "s3cr3tPW"
	tests := []struct{ name, in, wantMsg string }{
		{"bad scheme", "http://u:" + pw + "@mx.hidden.example", "scheme"},
		{"no scheme", "u:" + pw + "@mx.hidden.example", "scheme"},
		{"opaque", "smtp:u:" + pw + "@mx.hidden.example", "smtp://"},
		{"bad escape", "smtp://u:" + pw + "%zz@mx.hidden.example", "not a valid URL"},
		{"unescaped slash", "smtp://u:12/" + pw + "@mx.hidden.example", "path"},
		{"unescaped hash", "smtp://u:" + pw + "#x@mx.hidden.example", "not a valid URL"},
		{"unescaped question mark", "smtp://u:12?" + pw + "@mx.hidden.example", "unknown query parameter"},
		{"missing host", "smtp://u:" + pw + "@", "missing host"},
		{"missing host with port", "smtp://u:" + pw + "@:25", "missing host"},
		{"password without user", "smtp://:" + pw + "@mx.hidden.example", "user name"},
		{"port not a number", "smtp://u:" + pw + "@mx.hidden.example:abc", "not a valid URL"},
		{"port zero", "smtp://u:" + pw + "@mx.hidden.example:0", "port"},
		{"port too big", "smtp://u:" + pw + "@mx.hidden.example:70000", "port"},
		{"unknown parameter", "smtp://u:" + pw + "@mx.hidden.example?tls=true", "unknown query parameter"},
		{"bad boolean", "smtp://u:" + pw + "@mx.hidden.example?starttls=maybe", "true or false"},
		{"repeated parameter", "smtp://u:" + pw + "@mx.hidden.example?starttls=true&starttls=false", "more than once"},
		{"starttls with smtps", "smtps://u:" + pw + "@mx.hidden.example?starttls=true", "implicit TLS"},
		{"insecure without tls", "smtp://u:" + pw + "@mx.hidden.example?insecure_skip_verify=true", "needs TLS"},
		{"fragment", "smtp://u:" + pw + "@mx.hidden.example#" + pw, "fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseURL(tt.in)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalidURL) {
				t.Errorf("error does not wrap ErrInvalidURL: %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("error %q does not mention %q", msg, tt.wantMsg)
			}
			for _, frag := range []string{pw, "s3cr", "3tPW", "hidden"} {
				if strings.Contains(msg, frag) {
					t.Errorf("error %q echoes %q", msg, frag)
				}
			}
		})
	}
}

func TestConfigPrintingRedactsPassword(t *testing.T) {
	c, err := ParseURL("smtp://user:hunter2@mail.example.com?starttls=true")
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("smtp", "config", c)
	type wrapper struct{ SMTP Config }
	outputs := map[string]string{
		"String": c.String(),
		"%v":     fmt.Sprintf("%v", c),
		"%+v":    fmt.Sprintf("%+v", c),
		"%#v":    fmt.Sprintf("%#v", c),
		"Sprint": fmt.Sprint(c),
		"nested": fmt.Sprintf("%+v", wrapper{c}),
		"slog":   logged.String(),
	}
	for how, out := range outputs {
		if strings.Contains(out, "hunter2") {
			t.Errorf("%s prints the password: %s", how, out)
		}
	}
	if want := "smtp://user:REDACTED@mail.example.com:587?starttls=true"; c.String() != want {
		t.Errorf("String() = %q, want %q", c.String(), want)
	}
	if s := (Config{}).String(); s != "(console)" {
		t.Errorf("zero Config String() = %q", s)
	}
}

func TestParseFrom(t *testing.T) {
	for in, want := range map[string]string{
		"":                                `"Gatehouse" <no-reply@localhost>`,
		"no-reply@example.com":            "<no-reply@example.com>",
		"Acme Login <login@acme.example>": `"Acme Login" <login@acme.example>`,
	} {
		a, err := ParseFrom(in)
		if err != nil {
			t.Errorf("ParseFrom(%q): %v", in, err)
			continue
		}
		if a.String() != want {
			t.Errorf("ParseFrom(%q) = %s, want %s", in, a, want)
		}
	}
	for _, in := range []string{"not an address", "a@example.com, b@example.com", "a@example.com\r\nBcc: x@example.com", "nodomain@", "@nolocal"} {
		if _, err := ParseFrom(in); err == nil {
			t.Errorf("ParseFrom(%q): no error", in)
		}
	}
}
