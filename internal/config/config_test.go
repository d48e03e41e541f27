package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(nil, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Issuer != "http://localhost:8080" || c.Database != "sqlite:./data/gatehouse.db" {
		t.Fatalf("defaults: %+v", c)
	}
	if !c.AutoMigrate || c.MaxBodyBytes != 1<<20 || c.Mode != "dev" || c.LogFormat != "text" {
		t.Fatalf("defaults: %+v", c)
	}
	if c.SQLitePath() != "./data/gatehouse.db" {
		t.Fatalf("sqlite path %q", c.SQLitePath())
	}
}

func TestPrecedenceFlagOverEnvOverFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gh.yaml")
	if err := os.WriteFile(file, []byte("addr: 127.0.0.1:7000\nlog_level: debug\nissuer: https://file.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	RegisterFlags(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:9000"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(fs, envOf(map[string]string{
		ConfigFileEnv:      file,
		"GATEHOUSE_ADDR":   "127.0.0.1:8000",
		"GATEHOUSE_ISSUER": "https://env.example/",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" {
		t.Errorf("flag should win: %s", c.Addr)
	}
	if c.Issuer != "https://env.example" {
		t.Errorf("env should beat file and lose its trailing slash: %s", c.Issuer)
	}
	if c.LogLevel.String() != "DEBUG" {
		t.Errorf("file should beat default: %s", c.LogLevel)
	}
}

func TestInvalidValuesNameTheSetting(t *testing.T) {
	_, err := Load(nil, envOf(map[string]string{
		"GATEHOUSE_ADDR":        "nonsense",
		"GATEHOUSE_DATABASE":    "mysql://x",
		"GATEHOUSE_LOG_FORMAT":  "xml",
		"GATEHOUSE_ADMIN_TOKEN": "short",
	}))
	if err == nil {
		t.Fatal("want error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 4 {
		t.Fatalf("want one line per bad setting, got %q", err)
	}
	for _, want := range []string{"GATEHOUSE_ADDR", "GATEHOUSE_DATABASE", "GATEHOUSE_LOG_FORMAT", "GATEHOUSE_ADMIN_TOKEN"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "short") {
		t.Error("a secret value was echoed in the error")
	}
}

func TestProductionRequiresSecretKeyAndHTTPS(t *testing.T) {
	_, err := Load(nil, envOf(map[string]string{"GATEHOUSE_MODE": "production"}))
	if err == nil || !strings.Contains(err.Error(), "GATEHOUSE_SECRET_KEY") || !strings.Contains(err.Error(), "GATEHOUSE_ISSUER") ||
		!strings.Contains(err.Error(), "GATEHOUSE_SMTP_URL") {
		t.Fatalf("got %v", err)
	}
}

func TestUnknownFileKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gh.yaml")
	if err := os.WriteFile(file, []byte("adr: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(nil, envOf(map[string]string{ConfigFileEnv: file}))
	if err == nil || !strings.Contains(err.Error(), "unknown keys adr") {
		t.Fatalf("got %v", err)
	}
}

func TestURLSecretsAreNotEchoed(t *testing.T) {
	_, err := Load(nil, envOf(map[string]string{
		"GATEHOUSE_SMTP_URL":  "smtpx://mailer:s3cret-pw@mail.example:25",
		"GATEHOUSE_REDIS_URL": "http://:r3dis-pw@cache.example:6379",
	}))
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") || strings.Contains(err.Error(), "r3dis-pw") {
		t.Fatalf("got %v", err)
	}
}

func TestTrustedProxiesAndGeoIPDB(t *testing.T) {
	c, err := Load(nil, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 0 || c.GeoIPDB != "" {
		t.Fatalf("defaults: proxies %v, geoip %q", c.TrustedProxies, c.GeoIPDB)
	}
	db := filepath.Join(t.TempDir(), "city.mmdb")
	if err := os.WriteFile(db, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(nil, envOf(map[string]string{"GATEHOUSE_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1", "GATEHOUSE_GEOIP_DB": db}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.0.2.1/32" || c.GeoIPDB != db {
		t.Fatalf("got proxies %v, geoip %q", c.TrustedProxies, c.GeoIPDB)
	}
	_, err = Load(nil, envOf(map[string]string{"GATEHOUSE_TRUSTED_PROXIES": "10.0.0.0/40", "GATEHOUSE_GEOIP_DB": filepath.Dir(db)}))
	if err == nil || !strings.Contains(err.Error(), "GATEHOUSE_TRUSTED_PROXIES") || !strings.Contains(err.Error(), "GATEHOUSE_GEOIP_DB") {
		t.Fatalf("got %v", err)
	}
}

// In dev mode an unset issuer follows GATEHOUSE_ADDR; a set one, the
// defaults of both, and production mode (which needs https) do not.
func TestIssuerFromAddr(t *testing.T) {
	for _, tc := range []struct {
		env     map[string]string
		issuer  string
		derived bool
	}{
		{map[string]string{"GATEHOUSE_ADDR": "127.0.0.1:18080"}, "http://127.0.0.1:18080", true},
		{map[string]string{"GATEHOUSE_ADDR": "0.0.0.0:9000"}, "http://localhost:9000", true},
		{map[string]string{"GATEHOUSE_ADDR": "[::]:9000"}, "http://localhost:9000", true},
		{map[string]string{"GATEHOUSE_ADDR": ":9000"}, "http://localhost:9000", true},
		{map[string]string{"GATEHOUSE_ADDR": "[::1]:9000"}, "http://[::1]:9000", true},
		{map[string]string{"GATEHOUSE_ADDR": "gatehouse.internal:9000"}, "http://gatehouse.internal:9000", true},
		{map[string]string{"GATEHOUSE_ADDR": "127.0.0.1:18080", "GATEHOUSE_ISSUER": "https://id.example"}, "https://id.example", false},
		{nil, "http://localhost:8080", false},
	} {
		c, err := Load(nil, envOf(tc.env))
		if err != nil {
			t.Fatal(err)
		}
		if c.Issuer != tc.issuer || c.IssuerFromAddr != tc.derived {
			t.Errorf("%v: issuer %q (derived %v), want %q (%v)", tc.env, c.Issuer, c.IssuerFromAddr, tc.issuer, tc.derived)
		}
		if tc.derived && !strings.Contains(c.IssuerSource, "GATEHOUSE_ADDR") {
			t.Errorf("%v: issuer source %q", tc.env, c.IssuerSource)
		}
	}
	_, err := Load(nil, envOf(map[string]string{"GATEHOUSE_ADDR": "127.0.0.1:18080", "GATEHOUSE_MODE": "production",
		"GATEHOUSE_SECRET_KEY": strings.Repeat("k", 32), "GATEHOUSE_SMTP_URL": "smtp://mail.example:25"}))
	if err == nil || !strings.Contains(err.Error(), "GATEHOUSE_ISSUER") {
		t.Fatalf("production without an issuer: %v", err)
	}
}

// The metrics settings: loopback and private networks by default, "none"
// for no address, a token of 16+ characters that errors never echo, and an
// ops listener apart from the main one. Every bad value is reported at once.
func TestMetricsSettings(t *testing.T) {
	c, err := Load(nil, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	var nets []string
	for _, p := range c.MetricsAllow {
		nets = append(nets, p.String())
	}
	if strings.Join(nets, ",") != DefaultMetricsAllow || c.MetricsToken != "" || c.OpsAddr != "" {
		t.Fatalf("defaults: allow %v, token %q, ops %q", nets, c.MetricsToken, c.OpsAddr)
	}
	c, err = Load(nil, envOf(map[string]string{"GATEHOUSE_METRICS_ALLOW": "none",
		"GATEHOUSE_METRICS_TOKEN": "metrics-token-0123456789", "GATEHOUSE_OPS_ADDR": "127.0.0.1:9090"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.MetricsAllow) != 0 || c.MetricsToken != "metrics-token-0123456789" || c.OpsAddr != "127.0.0.1:9090" {
		t.Fatalf("got allow %v, token %q, ops %q", c.MetricsAllow, c.MetricsToken, c.OpsAddr)
	}
	_, err = Load(nil, envOf(map[string]string{"GATEHOUSE_METRICS_ALLOW": "10.0.0.0/33",
		"GATEHOUSE_METRICS_TOKEN": "short-secret", "GATEHOUSE_OPS_ADDR": "9090"}))
	if err == nil || strings.Count(err.Error(), "\n") != 2 || strings.Contains(err.Error(), "short-secret") {
		t.Fatalf("want three errors, none echoing the token: %v", err)
	}
	for _, want := range []string{"GATEHOUSE_METRICS_ALLOW", "GATEHOUSE_METRICS_TOKEN", "GATEHOUSE_OPS_ADDR"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	_, err = Load(nil, envOf(map[string]string{"GATEHOUSE_ADDR": "127.0.0.1:9090", "GATEHOUSE_OPS_ADDR": "127.0.0.1:9090"}))
	if err == nil || !strings.Contains(err.Error(), "GATEHOUSE_OPS_ADDR") {
		t.Fatalf("same address twice: %v", err)
	}
}

func TestDPoPNonceSetting(t *testing.T) {
	c, err := Load(nil, envOf(nil))
	if err != nil || !c.DPoPNonce {
		t.Fatalf("DPoP nonces are on by default: %v %v", c.DPoPNonce, err)
	}
	c, err = Load(nil, envOf(map[string]string{"GATEHOUSE_DPOP_NONCE": "false"}))
	if err != nil || c.DPoPNonce {
		t.Fatalf("GATEHOUSE_DPOP_NONCE=false: %v %v", c.DPoPNonce, err)
	}
	if _, err := Load(nil, envOf(map[string]string{"GATEHOUSE_DPOP_NONCE": "sometimes"})); err == nil || !strings.Contains(err.Error(), "GATEHOUSE_DPOP_NONCE") {
		t.Fatalf("a bad value must name the setting: %v", err)
	}
}
