// Package config loads Gatehouse's settings from, in order of precedence,
// command-line flags, GATEHOUSE_* environment variables, an optional YAML
// file, and defaults. Every setting is declared once in the table below, so
// its flag, variable and YAML key cannot drift apart.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/gatehouse-iam/gatehouse/internal/clientip"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/passpolicy"
)

// Config is the validated configuration of one process.
type Config struct {
	Addr   string
	Issuer string
	// IssuerFromAddr is set in dev mode when GATEHOUSE_ISSUER is unset but
	// GATEHOUSE_ADDR is set: Issuer is then derived from the listen
	// address (IssuerForAddr), and serve derives it again from the address
	// it actually listens on (a port of 0 becomes the one it got).
	IssuerFromAddr bool
	// IssuerSource says where Issuer came from, for the startup line: the
	// variable, flag or file that set it, "default", or for a derived one
	// where the address came from.
	IssuerSource string
	Database     string
	AdminToken   string
	SecretKey    string
	// BootstrapAdminEmail and BootstrapAdminPassword make the first admin
	// console user (role gatehouse:admin of the default tenant) on a start
	// that finds no user with that email; both or neither.
	BootstrapAdminEmail    string
	BootstrapAdminPassword string
	// Mode is "dev" or "production". Production refuses generated secrets.
	Mode    string
	DataDir string

	LogLevel  slog.Level
	LogFormat string // text | json

	AutoMigrate     bool
	MaxBodyBytes    int64
	ShutdownTimeout time.Duration

	// argon2id cost for password hashes; changing it rehashes on next login.
	Argon2MemoryKiB uint32
	Argon2Time      uint32
	Argon2Threads   uint8

	// SMTPURL is GATEHOUSE_SMTP_URL (mail.ParseURL checks it); "" prints
	// mail to the console instead of sending it.
	SMTPURL string
	// SMTPFrom is GATEHOUSE_SMTP_FROM; "" gives mail.DefaultFrom.
	SMTPFrom string
	// RedisURL is GATEHOUSE_REDIS_URL for the shared rate-limit state; ""
	// keeps it in process memory (one node).
	RedisURL string
	// RedisFailure is GATEHOUSE_REDIS_FAILURE, what a node does while that
	// Redis is unreachable: "open" (limits in process memory, logged) or
	// "closed" (refuse rate-limited operations with 503).
	RedisFailure string
	// SAMLCertRotation is GATEHOUSE_SAML_CERT_ROTATION, how long a SAML
	// signing certificate signs before the scheduler replaces it (0: no
	// schedule, rotate with the Admin API); SAMLCertAnnounce is
	// GATEHOUSE_SAML_CERT_ANNOUNCE, how long the next one is listed in
	// metadata before it signs.
	SAMLCertRotation time.Duration
	SAMLCertAnnounce time.Duration
	// Registration enables self-service registration on every tenant.
	Registration bool
	// DPoPNonce is GATEHOUSE_DPOP_NONCE: whether the token and PAR
	// endpoints require a server-provided DPoP nonce (RFC 9449 8).
	DPoPNonce bool
	// TrustedProxies is GATEHOUSE_TRUSTED_PROXIES: peers whose
	// X-Forwarded-For is believed. Empty trusts none.
	TrustedProxies []netip.Prefix
	// GeoIPDB is GATEHOUSE_GEOIP_DB, the path of a MaxMind-format City or
	// Country database; "" turns geolocation off.
	GeoIPDB string
	// MetricsAllow is GATEHOUSE_METRICS_ALLOW: the client networks (judged
	// after TrustedProxies) that may read /metrics without a token.
	MetricsAllow []netip.Prefix
	// MetricsToken is GATEHOUSE_METRICS_TOKEN, a bearer token that reads
	// /metrics from anywhere; "" is none.
	MetricsToken string
	// OpsAddr is GATEHOUSE_OPS_ADDR, a second listener for /metrics,
	// /healthz and /readyz; "" serves them on Addr. When set, /metrics is
	// served only there.
	OpsAddr string
	// HIBPURL is GATEHOUSE_HIBP_URL, the root of an HIBP-compatible Pwned
	// Passwords range API asked about every new password; "" is off.
	HIBPURL string
	// Regions is GATEHOUSE_REGIONS: regional databases for users' personal
	// data, in declaration order; empty keeps everything in Database.
	Regions []Region
	// DefaultRegion is GATEHOUSE_DEFAULT_REGION, the region of users whom
	// no rule places elsewhere; required with Regions.
	DefaultRegion string
	// SecretKeyOld is GATEHOUSE_SECRET_KEY_OLD: previous master keys,
	// comma-separated, that still open and verify during a rotation
	// (parsed with the keyring, like SecretKey).
	SecretKeyOld string
}

// Production reports whether the process runs in production mode.
func (c *Config) Production() bool { return c.Mode == "production" }

// setting describes one configuration value in all its spellings.
type setting struct {
	key   string // YAML key; the flag is the same with '-' for '_'
	env   string
	usage string
	def   string
	set   func(c *Config, v string) error
}

func (s setting) flag() string { return strings.ReplaceAll(s.key, "_", "-") }

var settings = []setting{
	{"addr", "GATEHOUSE_ADDR", "listen address (host:port)", "127.0.0.1:8080", func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return errors.New("want host:port")
		}
		c.Addr = v
		return nil
	}},
	{"issuer", "GATEHOUSE_ISSUER", "public base URL and the default tenant's OIDC issuer", "http://localhost:8080", func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return errors.New("want an absolute http(s) URL without query or fragment")
		}
		c.Issuer = strings.TrimSuffix(v, "/")
		return nil
	}},
	{"database", "GATEHOUSE_DATABASE", "database URL: sqlite:PATH or postgres://...", "sqlite:./data/gatehouse.db", func(c *Config, v string) error {
		switch {
		case strings.HasPrefix(v, "sqlite:") && len(v) > len("sqlite:"):
		case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"):
		default:
			return errors.New("want sqlite:PATH or postgres://URL")
		}
		c.Database = v
		return nil
	}},
	{"regions", "GATEHOUSE_REGIONS", "regional databases for users' personal data: name=URL pairs separated by ';' (unset: one database)", "", func(c *Config, v string) (err error) {
		c.Regions, err = ParseRegions(v)
		return err
	}},
	{"default_region", "GATEHOUSE_DEFAULT_REGION", "region of users whom no residency rule places elsewhere (required with GATEHOUSE_REGIONS)", "", func(c *Config, v string) error {
		c.DefaultRegion = v
		return nil
	}},
	{"admin_token", "GATEHOUSE_ADMIN_TOKEN", "bootstrap admin bearer token (generated and printed once if unset)", "", bearerToken(func(c *Config) *string { return &c.AdminToken })},
	{"bootstrap_admin_email", "GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", "email of the first admin console user, created on a start that finds none with it (with GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD)", "", func(c *Config, v string) error {
		c.BootstrapAdminEmail = strings.TrimSpace(v)
		return nil
	}},
	{"bootstrap_admin_password", "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", "password of the first admin console user (GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL)", "", func(c *Config, v string) error {
		c.BootstrapAdminPassword = v
		return nil
	}},
	{"secret_key", "GATEHOUSE_SECRET_KEY", "master key that encrypts secrets at rest (32+ bytes; generated in dev mode)", "", func(c *Config, v string) error {
		c.SecretKey = v
		return nil
	}},
	{"mode", "GATEHOUSE_MODE", "dev or production", "dev", func(c *Config, v string) error {
		if v != "dev" && v != "production" {
			return errors.New("want dev or production")
		}
		c.Mode = v
		return nil
	}},
	{"data_dir", "GATEHOUSE_DATA_DIR", "directory for local state (dev secret key)", "./data", func(c *Config, v string) error {
		if v == "" {
			return errors.New("must not be empty")
		}
		c.DataDir = v
		return nil
	}},
	{"secret_key_old", "GATEHOUSE_SECRET_KEY_OLD", "previous master keys, comma-separated, that still open and verify while gatehouse secret-key rotate re-seals stored secrets under GATEHOUSE_SECRET_KEY", "", func(c *Config, v string) error {
		c.SecretKeyOld = v
		return nil
	}},
	{"log_level", "GATEHOUSE_LOG_LEVEL", "debug, info, warn or error", "info", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"log_format", "GATEHOUSE_LOG_FORMAT", "text or json", "text", func(c *Config, v string) error {
		if v != "text" && v != "json" {
			return errors.New("want text or json")
		}
		c.LogFormat = v
		return nil
	}},
	{"auto_migrate", "GATEHOUSE_AUTO_MIGRATE", "apply database migrations on serve", "true", func(c *Config, v string) (err error) {
		c.AutoMigrate, err = strconv.ParseBool(v)
		return err
	}},
	{"max_body_bytes", "GATEHOUSE_MAX_BODY_BYTES", "request body limit in bytes", "1048576", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 || n > 64<<20 {
			return errors.New("want an integer from 1024 to 67108864")
		}
		c.MaxBodyBytes = n
		return nil
	}},
	{"shutdown_timeout", "GATEHOUSE_SHUTDOWN_TIMEOUT", "how long in-flight requests may finish on SIGTERM", "15s", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return errors.New("want a duration such as 15s")
		}
		c.ShutdownTimeout = d
		return nil
	}},
	{"argon2_memory_kib", "GATEHOUSE_ARGON2_MEMORY_KIB", "argon2id memory cost in KiB", "19456", func(c *Config, v string) error {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n < 8192 || n > 4<<20 {
			return errors.New("want an integer from 8192 to 4194304")
		}
		c.Argon2MemoryKiB = uint32(n)
		return nil
	}},
	{"argon2_time", "GATEHOUSE_ARGON2_TIME", "argon2id iterations", "2", func(c *Config, v string) error {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n < 1 || n > 64 {
			return errors.New("want an integer from 1 to 64")
		}
		c.Argon2Time = uint32(n)
		return nil
	}},
	{"argon2_threads", "GATEHOUSE_ARGON2_THREADS", "argon2id parallelism", "1", func(c *Config, v string) error {
		n, err := strconv.ParseUint(v, 10, 8)
		if err != nil || n < 1 || n > 64 {
			return errors.New("want an integer from 1 to 64")
		}
		c.Argon2Threads = uint8(n)
		return nil
	}},
	{"smtp_url", "GATEHOUSE_SMTP_URL", "SMTP server for outgoing mail: smtp://user:pass@host:port or smtps://… (unset: mail is printed to stdout)", "", func(c *Config, v string) error {
		if v != "" {
			if _, err := mail.ParseURL(v); err != nil {
				return err
			}
		}
		c.SMTPURL = v
		return nil
	}},
	{"smtp_from", "GATEHOUSE_SMTP_FROM", "From address of outgoing mail", "", func(c *Config, v string) error {
		if _, err := mail.ParseFrom(v); err != nil {
			return err
		}
		c.SMTPFrom = v
		return nil
	}},
	{"redis_url", "GATEHOUSE_REDIS_URL", "Redis URL for rate limits shared by several nodes (unset: process memory)", "", func(c *Config, v string) error {
		if v != "" && !strings.HasPrefix(v, "redis://") && !strings.HasPrefix(v, "rediss://") && !strings.HasPrefix(v, "unix://") {
			return errors.New("want redis://, rediss:// or unix://")
		}
		c.RedisURL = v
		return nil
	}},
	{"redis_failure", "GATEHOUSE_REDIS_FAILURE", "while Redis is unreachable: open (limits per node, in memory) or closed (refuse sign-ins with 503)", "open", func(c *Config, v string) error {
		if v != "open" && v != "closed" {
			return errors.New("want open or closed")
		}
		c.RedisFailure = v
		return nil
	}},
	{"saml_cert_rotation", "GATEHOUSE_SAML_CERT_ROTATION", "rotate each tenant's SAML signing certificate after this long (0: only through the Admin API)", "0", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || (d != 0 && d < 48*time.Hour) {
			return errors.New("want 0 or a duration of at least 48h, such as 8760h")
		}
		c.SAMLCertRotation = d
		return nil
	}},
	{"saml_cert_announce", "GATEHOUSE_SAML_CERT_ANNOUNCE", "how long the next SAML certificate is listed in metadata before it signs (scheduled rotations)", "336h", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 24*time.Hour {
			return errors.New("want a duration of at least 24h, such as 336h")
		}
		c.SAMLCertAnnounce = d
		return nil
	}},
	{"registration", "GATEHOUSE_REGISTRATION", "allow self-service registration on the hosted login", "true", func(c *Config, v string) (err error) {
		c.Registration, err = strconv.ParseBool(v)
		return err
	}},
	{"dpop_nonce", "GATEHOUSE_DPOP_NONCE", "require a server-provided DPoP-Nonce in DPoP proofs at the token and PAR endpoints (RFC 9449 8)", "true", func(c *Config, v string) (err error) {
		c.DPoPNonce, err = strconv.ParseBool(v)
		return err
	}},
	{"trusted_proxies", "GATEHOUSE_TRUSTED_PROXIES", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted (unset: none)", "", func(c *Config, v string) (err error) {
		c.TrustedProxies, err = clientip.ParseCIDRs(v)
		return err
	}},
	{"geoip_db", "GATEHOUSE_GEOIP_DB", "path of a MaxMind-format (GeoLite2/GeoIP2 City or Country) database for sign-in geolocation (unset: off)", "", func(c *Config, v string) error {
		if v != "" {
			st, err := os.Stat(v)
			if err != nil {
				return errors.New("cannot read the file")
			}
			if st.IsDir() {
				return errors.New("is a directory, want a .mmdb file")
			}
		}
		c.GeoIPDB = v
		return nil
	}},
	{"hibp_url", "GATEHOUSE_HIBP_URL", "HIBP-compatible k-anonymity range API checked for new passwords, e.g. https://api.pwnedpasswords.com (unset: off)", "", func(c *Config, v string) error {
		if v != "" {
			if _, err := passpolicy.NewRangeChecker(v); err != nil {
				return err
			}
		}
		c.HIBPURL = v
		return nil
	}},
	{"metrics_allow", "GATEHOUSE_METRICS_ALLOW", "comma-separated CIDRs of clients that may read /metrics without the token, judged after the trusted proxies (none: no address)", DefaultMetricsAllow, func(c *Config, v string) (err error) {
		if strings.TrimSpace(v) == "none" {
			c.MetricsAllow = nil
			return nil
		}
		c.MetricsAllow, err = clientip.ParseCIDRs(v)
		return err
	}},
	{"metrics_token", "GATEHOUSE_METRICS_TOKEN", "bearer token that may read /metrics from any address (unset: none)", "", bearerToken(func(c *Config) *string { return &c.MetricsToken })},
	{"ops_addr", "GATEHOUSE_OPS_ADDR", "listen address (host:port) of a separate listener for /metrics, /healthz and /readyz; /metrics then leaves the main one (unset: the main listener serves them)", "", func(c *Config, v string) error {
		if v != "" {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return errors.New("want host:port")
			}
		}
		c.OpsAddr = v
		return nil
	}},
}

// bearerToken sets the field of a bearer token: 16 characters or more, or
// "" for none.
func bearerToken(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		if v != "" && len(v) < 16 {
			return errors.New("must be at least 16 characters")
		}
		*field(c) = v
		return nil
	}
}

// DefaultMetricsAllow is GATEHOUSE_METRICS_ALLOW's default: loopback and
// the private networks (RFC 1918, RFC 4193), where a Prometheus usually
// scrapes from.
const DefaultMetricsAllow = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"

// ConfigFileEnv names the variable that points at the optional YAML file
// (the --config flag wins over it).
const ConfigFileEnv = "GATEHOUSE_CONFIG"

// RegisterFlags adds one flag per setting (plus --config) to fs.
func RegisterFlags(fs *pflag.FlagSet) {
	fs.String("config", "", "optional YAML configuration file (env "+ConfigFileEnv+")")
	for _, s := range settings {
		fs.String(s.flag(), "", fmt.Sprintf("%s (env %s, default %q)", s.usage, s.env, s.def))
	}
}

// Load resolves every setting from fs (only flags the user set), the
// environment (getenv) and the YAML file. Each invalid value yields one line
// naming the setting; all of them are returned together.
func Load(fs *pflag.FlagSet, getenv func(string) string) (*Config, error) {
	values := map[string]string{}
	source := map[string]string{}
	for _, s := range settings {
		values[s.key], source[s.key] = s.def, "default"
	}

	path := getenv(ConfigFileEnv)
	if fs != nil {
		if f := fs.Lookup("config"); f != nil && f.Changed {
			path = f.Value.String()
		}
	}
	if path != "" {
		file, err := readFile(path)
		if err != nil {
			return nil, err
		}
		for k, v := range file {
			values[k], source[k] = v, "config file "+path
		}
	}
	for _, s := range settings {
		if v, ok := lookupEnv(getenv, s.env); ok {
			values[s.key], source[s.key] = v, s.env
		}
		if fs != nil {
			if f := fs.Lookup(s.flag()); f != nil && f.Changed {
				values[s.key], source[s.key] = f.Value.String(), "--"+s.flag()
			}
		}
	}

	c := &Config{}
	var errs []error
	for _, s := range settings {
		if err := s.set(c, values[s.key]); err != nil {
			shown := values[s.key]
			switch s.key {
			case "admin_token", "secret_key", "metrics_token", "bootstrap_admin_password":
				shown = "(hidden)"
			case "database", "smtp_url", "redis_url":
				shown = redactURL(shown)
			case "regions":
				shown = "(hidden)" // URLs may hold passwords
			}
			errs = append(errs, fmt.Errorf("invalid %s %q (from %s): %v", s.env, shown, source[s.key], err))
		}
	}
	if len(errs) == 0 {
		// In dev mode an unset issuer follows the listen address, so that
		// discovery and redirects point where the server listens. With
		// both unset the documented http://localhost:8080 stays (a domain,
		// which passkeys need as their relying-party ID).
		if !c.Production() && source["issuer"] == "default" && source["addr"] != "default" {
			c.Issuer, c.IssuerFromAddr = IssuerForAddr(c.Addr), true
			source["issuer"] = "the listen address (" + source["addr"] + "; GATEHOUSE_ISSUER unset, dev mode)"
		}
		c.IssuerSource = source["issuer"]
		errs = append(errs, c.validate()...)
	}
	return c, errors.Join(errs...)
}

// IssuerForAddr is the http:// base URL of a listen address: its host and
// port, with localhost for an unspecified host (0.0.0.0, [::] or none).
func IssuerForAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if a, err := netip.ParseAddr(host); host == "" || (err == nil && a.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// validate checks rules that span settings.
func (c *Config) validate() []error {
	var errs []error
	if c.OpsAddr != "" && c.OpsAddr == c.Addr {
		errs = append(errs, errors.New("invalid GATEHOUSE_OPS_ADDR: must differ from GATEHOUSE_ADDR"))
	}
	if (c.BootstrapAdminEmail == "") != (c.BootstrapAdminPassword == "") {
		errs = append(errs, errors.New("invalid GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL/GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD: set both or neither"))
	}
	switch {
	case len(c.Regions) == 0 && c.DefaultRegion != "":
		errs = append(errs, errors.New("invalid GATEHOUSE_DEFAULT_REGION: set without GATEHOUSE_REGIONS"))
	case len(c.Regions) > 0 && c.DefaultRegion == "":
		errs = append(errs, errors.New("invalid GATEHOUSE_DEFAULT_REGION: required with GATEHOUSE_REGIONS"))
	case len(c.Regions) > 0 && c.Region(c.DefaultRegion) == nil:
		errs = append(errs, fmt.Errorf("invalid GATEHOUSE_DEFAULT_REGION %q: not one of GATEHOUSE_REGIONS", c.DefaultRegion))
	}
	if c.Production() {
		if c.SecretKey == "" {
			errs = append(errs, errors.New("invalid GATEHOUSE_SECRET_KEY: required when GATEHOUSE_MODE=production"))
		}
		if strings.HasPrefix(c.Issuer, "http://") {
			errs = append(errs, errors.New("invalid GATEHOUSE_ISSUER: must be https when GATEHOUSE_MODE=production"))
		}
		if c.SMTPURL == "" {
			// Without it mail (with codes and links) would go to stdout.
			errs = append(errs, errors.New("invalid GATEHOUSE_SMTP_URL: required when GATEHOUSE_MODE=production"))
		}
	}
	return errs
}

// lookupEnv treats an empty variable as unset, as most deployment tools
// cannot distinguish the two.
func lookupEnv(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

func readFile(path string) (map[string]string, error) {
	b, err := os.ReadFile(filepath.Clean(path))
	if err != nil {
		return nil, fmt.Errorf("invalid %s %q: %v", ConfigFileEnv, path, err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("invalid %s %q: %v", ConfigFileEnv, path, err)
	}
	known := map[string]bool{}
	for _, s := range settings {
		known[s.key] = true
	}
	out := map[string]string{}
	var unknown []string
	for k, v := range raw {
		if !known[k] {
			unknown = append(unknown, k)
			continue
		}
		out[k] = fmt.Sprint(v)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("invalid %s %q: unknown keys %s", ConfigFileEnv, path, strings.Join(unknown, ", "))
	}
	return out, nil
}

// SQLitePath returns the file path of a sqlite: database URL, or "".
func (c *Config) SQLitePath() string {
	p, ok := strings.CutPrefix(c.Database, "sqlite:")
	if !ok {
		return ""
	}
	return p
}

// redactURL hides the password of a URL-shaped value, so errors about a
// database URL never print its credentials.
func redactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		if i := strings.Index(v, "@"); i >= 0 {
			return "(hidden)" + v[i:]
		}
		return v
	}
	return u.Redacted()
}
