// Package ldap is the password connector for LDAP directories and Active
// Directory (federation.PasswordConnector): it binds as the service
// account, searches for the one user the identifier names, binds as that
// user with the password, then reads the user's groups.
//
// The identifier is escaped (RFC 4515) before it goes into the search
// filter, and an empty password is refused before anything is sent: an
// LDAP simple bind with a DN and no password is an "unauthenticated bind"
// that many directories answer with success.
package ldap

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	goldap "github.com/go-ldap/ldap/v3"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// DefaultTimeout bounds the dial and each request to the directory.
const DefaultTimeout = 5 * time.Second

// maxUsername bounds the identifier sent to the directory.
const maxUsername = 256

// Options tune a connector.
type Options struct {
	// Timeout bounds the dial and each request; DefaultTimeout when zero.
	Timeout time.Duration
	// MaxIdle connections are kept open, bound as the service account,
	// for the next sign-ins; DefaultMaxIdle when zero.
	MaxIdle int
	// MaxOpen bounds the sign-ins in flight (each uses one connection);
	// more wait for one to finish, or for their context. DefaultMaxOpen
	// when zero.
	MaxOpen int
	// IdleTimeout closes a connection left idle this long (directories
	// and firewalls drop idle connections); DefaultIdleTimeout when zero.
	IdleTimeout time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Pool defaults.
const (
	DefaultMaxIdle     = 4
	DefaultMaxOpen     = 16
	DefaultIdleTimeout = time.Minute
)

// Connector signs users in against one directory.
type Connector struct {
	url       string
	startTLS  bool
	tls       *tls.Config
	bindDN    string
	bindPW    string
	userBase  string
	groupBase string
	set       federation.LDAPSettings
	mapping   map[string]string
	timeout   time.Duration
	attrs     []string
	pool      *pool
}

// Interface guard.
var _ federation.PasswordConnector = (*Connector)(nil)

// New builds a connector from a connection's settings, which it
// validates; mapping is the connection's attribute mapping (its keys are
// read from the user's entry as well).
func New(cfg federation.Config, sec federation.Secrets, mapping map[string]string, o Options) (*Connector, error) {
	if err := federation.Validate(federation.TypeLDAP, cfg, sec); err != nil {
		return nil, err
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, err
	}
	tc := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if cfg.CAPEM != "" {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM([]byte(cfg.CAPEM)) // Validate checked it
		tc.RootCAs = pool
	}
	c := &Connector{
		url: cfg.URL, startTLS: cfg.StartTLS != nil && *cfg.StartTLS, tls: tc,
		bindDN: cfg.BindDN, bindPW: sec.BindPassword, userBase: cfg.UserSearchBase, groupBase: cfg.GroupSearchBase,
		set: cfg.LDAP(), mapping: mapping, timeout: o.Timeout,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	c.pool = newPool(c.dial, c.serviceBind, o)
	attrs := []string{c.set.UserIDAttribute, c.set.EmailAttribute, c.set.NameAttribute, c.set.UsernameAttribute,
		"givenName", "sn", "memberOf"}
	for k := range mapping {
		attrs = append(attrs, k)
	}
	slices.Sort(attrs)
	c.attrs = slices.Compact(attrs)
	return c, nil
}

// Type is federation.TypeLDAP.
func (c *Connector) Type() string { return federation.TypeLDAP }

// unavailable wraps an error that means the directory cannot be used
// now (down, slow, refusing the service account).
func unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", federation.ErrUnavailable, what, err)
}

func (c *Connector) dial(ctx context.Context) (*goldap.Conn, error) {
	d := &net.Dialer{Timeout: c.timeout}
	opts := []goldap.DialOpt{goldap.DialWithDialer(d)}
	if strings.HasPrefix(c.url, "ldaps://") {
		opts = append(opts, goldap.DialWithTLSConfig(c.tls))
	}
	if err := ctx.Err(); err != nil {
		return nil, unavailable("dial", err)
	}
	conn, err := goldap.DialURL(c.url, opts...)
	if err != nil {
		return nil, unavailable("dial", err)
	}
	conn.SetTimeout(c.timeout)
	if c.startTLS {
		if err := conn.StartTLS(c.tls); err != nil {
			conn.Close()
			return nil, unavailable("StartTLS", err)
		}
	}
	return conn, nil
}

// serviceBind binds as the service account (or anonymously without
// one).
func (c *Connector) serviceBind(conn *goldap.Conn) error {
	var err error
	if c.bindDN == "" {
		err = conn.UnauthenticatedBind("")
	} else {
		err = conn.Bind(c.bindDN, c.bindPW)
	}
	if err != nil {
		return unavailableErr("service bind", err)
	}
	return nil
}

// Login checks username and password against the directory. It returns
// ok false, and no error, for an empty or unknown identifier, an empty or
// wrong password, and an identifier that matches more than one entry.
func (c *Connector) Login(ctx context.Context, username, password string) (federation.Identity, bool, error) {
	var none federation.Identity
	// Refused before any connection: an empty password would be an
	// unauthenticated bind, which directories answer with success.
	if password == "" || username == "" || len(username) > maxUsername || !utf8.ValidString(username) {
		return none, false, nil
	}
	if c.set.DownLevelLogon {
		// GH\alice: the sAMAccountName is what follows the domain. The
		// domain part is not compared: the search base names the domain,
		// and the bind proves the password.
		if i := strings.IndexByte(username, '\\'); i > 0 && i < len(username)-1 {
			username = username[i+1:]
		}
	}
	for attempt := 0; ; attempt++ {
		pc, err := c.pool.get(ctx)
		if err != nil {
			return none, false, err
		}
		id, ok, err := c.login(ctx, pc, username, password)
		if err != nil && pc.reused && pc.broken && attempt == 0 && ctx.Err() == nil {
			// A pooled connection the directory (or a firewall) had
			// dropped: once more, on a fresh connection.
			continue
		}
		return id, ok, err
	}
}

// login runs one sign-in on a connection bound as the service account,
// and gives the connection back to the pool when it is still bound so.
func (c *Connector) login(ctx context.Context, pc *pooledConn, username, password string) (federation.Identity, bool, error) {
	var none federation.Identity
	conn := pc.conn
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	healthy := false
	defer func() {
		// Gone before anyone here closed it: dropped by the directory.
		pc.broken = conn.IsClosing()
		if !stop() || !healthy {
			c.pool.discard(pc)
			return
		}
		c.pool.put(pc)
	}()

	filter := strings.ReplaceAll(c.set.UserSearchFilter, "{username}", goldap.EscapeFilter(username))
	res, err := conn.Search(goldap.NewSearchRequest(c.userBase, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases,
		2, c.timeLimit(), false, filter, c.attrs, nil))
	switch {
	case goldap.IsErrorWithCode(err, goldap.LDAPResultSizeLimitExceeded):
		healthy = true
		return none, false, nil // ambiguous: more than one entry
	case goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject):
		healthy = true
		return none, false, nil
	case err != nil:
		return none, false, unavailableErr("user search", err)
	}
	// Referrals (Active Directory returns some) are not followed.
	if len(res.Entries) != 1 {
		healthy = true
		return none, false, nil
	}
	entry := res.Entries[0]
	bindErr := conn.Bind(entry.DN, password)
	if bindErr != nil && !goldap.IsErrorWithCode(bindErr, goldap.LDAPResultInvalidCredentials) {
		return none, false, unavailableErr("user bind", bindErr)
	}
	// Back to the service account, for the groups (users often may not
	// read them) and for the next sign-in on this connection.
	if err := c.serviceBind(conn); err != nil {
		return none, false, err
	}
	if bindErr != nil {
		healthy = true
		return none, false, nil
	}
	id, err := c.identity(entry)
	if err != nil {
		healthy = true
		return none, false, err
	}
	if c.groupBase != "" {
		if id.Groups, err = c.groups(conn, entry.DN); err != nil {
			return none, false, err
		}
		id.Claims["groups"] = id.Groups
	}
	healthy = true
	return id, true, nil
}

// unavailableErr is unavailable, keeping err's LDAP result code
// visible.
func unavailableErr(what string, err error) error {
	return fmt.Errorf("%w: %s: %w", federation.ErrUnavailable, what, err)
}

// Close closes the idle connections; sign-ins in flight finish, and
// their connections are closed then.
func (c *Connector) Close() error {
	c.pool.close()
	return nil
}

// Dials is how many connections the connector has opened (a measure of
// its pool).
func (c *Connector) Dials() int64 { return c.pool.dials.Load() }

func (c *Connector) timeLimit() int {
	s := int(c.timeout / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

func (c *Connector) groups(conn *goldap.Conn, dn string) ([]string, error) {
	filter := strings.ReplaceAll(c.set.GroupSearchFilter, "{dn}", goldap.EscapeFilter(dn))
	res, err := conn.Search(goldap.NewSearchRequest(c.groupBase, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases,
		1000, c.timeLimit(), false, filter, []string{c.set.GroupNameAttribute}, nil))
	if err != nil && !goldap.IsErrorWithCode(err, goldap.LDAPResultSizeLimitExceeded) {
		if goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
			return nil, nil
		}
		return nil, unavailableErr("group search", err)
	}
	var out []string
	if res != nil {
		for _, e := range res.Entries {
			if name := e.GetAttributeValue(c.set.GroupNameAttribute); name != "" {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// identity reads the user's entry.
func (c *Connector) identity(e *goldap.Entry) (federation.Identity, error) {
	sub := subject(c.set.UserIDAttribute, e.GetRawAttributeValue(c.set.UserIDAttribute))
	if sub == "" {
		return federation.Identity{}, fmt.Errorf("%w: the entry has no %s", federation.ErrInvalidResponse, c.set.UserIDAttribute)
	}
	claims := map[string]any{"dn": e.DN}
	for _, a := range e.Attributes {
		if strings.EqualFold(a.Name, c.set.UserIDAttribute) {
			continue
		}
		switch len(a.Values) {
		case 0:
		case 1:
			claims[a.Name] = a.Values[0]
		default:
			claims[a.Name] = a.Values
		}
	}
	return federation.Identity{
		Subject: sub,
		Email:   e.GetAttributeValue(c.set.EmailAttribute),
		// A directory does not say that an address was verified.
		EmailVerified:     false,
		PreferredUsername: e.GetAttributeValue(c.set.UsernameAttribute),
		Name:              e.GetAttributeValue(c.set.NameAttribute),
		GivenName:         e.GetAttributeValue("givenName"),
		FamilyName:        e.GetAttributeValue("sn"),
		Claims:            claims,
	}, nil
}

// subject renders the ID attribute: Active Directory's binary objectGUID
// in its usual string form, other binary values in hex.
func subject(attr string, raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	if strings.EqualFold(attr, "objectGUID") && len(raw) == 16 {
		return fmt.Sprintf("%08x-%04x-%04x-%x-%x", binary.LittleEndian.Uint32(raw[0:4]),
			binary.LittleEndian.Uint16(raw[4:6]), binary.LittleEndian.Uint16(raw[6:8]), raw[8:10], raw[10:16])
	}
	if utf8.Valid(raw) {
		return string(raw)
	}
	return fmt.Sprintf("%x", raw)
}
