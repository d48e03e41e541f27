// Package cluster tells every node of a deployment that state they cache
// changed, so they drop it within a second instead of when its TTL runs
// out. On PostgreSQL the database itself announces each committed change
// (migration 00015: triggers call pg_notify) and every node LISTENs on one
// dedicated connection that reconnects by itself; SQLite is one node, so
// there is nothing to listen to. The TTLs stay as the backstop: a node
// that missed messages while its connection was down drops everything it
// cached once it is back (Resync).
package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Kind says what changed.
type Kind string

const (
	// TenantChanged: tenant Tenant (slug Slug, formerly Old) was updated or deleted.
	TenantChanged Kind = "tenant"
	// ClientChanged: client ID of Tenant was created, updated or deleted.
	ClientChanged Kind = "client"
	// KeysChanged: Tenant's signing keys were created, rotated or deleted.
	KeysChanged Kind = "keys"
	// RevocationAdded: the revocation (Tenant, RevKind, ID) was stored.
	RevocationAdded Kind = "revocation"
	// UserChanged: user ID of Tenant was disabled or enabled.
	UserChanged Kind = "user"
	// APIsChanged: an API of Tenant, its scopes or a client's grant to it
	// changed (migration 00017).
	APIsChanged Kind = "apis"
	// SAMLCertsChanged: Tenant's SAML signing certificates were created,
	// announced, activated or retired (migration 00020).
	SAMLCertsChanged Kind = "saml_certs"
	// ConnectionChanged: federation connection ID of Tenant was updated
	// or deleted. The store announces it in the changing transaction
	// (sqlstore's Dialect.Notify), not a trigger.
	ConnectionChanged Kind = "connection"
	// Resync: messages may have been lost (the connection dropped), so
	// everything cached may be stale.
	Resync Kind = "resync"
)

// Event is one change, as the database trigger writes it.
type Event struct {
	Kind    Kind   `json:"k"`
	Tenant  string `json:"t,omitempty"`
	ID      string `json:"id,omitempty"`
	Slug    string `json:"slug,omitempty"`
	Old     string `json:"old,omitempty"`
	RevKind string `json:"rk,omitempty"`
}

// Handler reacts to an event. Handlers run one at a time, in the order the
// changes committed, on the listener's goroutine: they should drop cache
// entries or reload, not block.
type Handler func(ctx context.Context, e Event)

// Channel is the notification channel of a schema; the trigger names it
// the same way (identifiers are at most 63 bytes).
func Channel(schema string) string {
	c := "gatehouse:" + schema
	if len(c) > 63 {
		c = c[:63]
	}
	return c
}

// Listener receives the changes announced on a PostgreSQL database.
type Listener struct {
	dsn     string
	handle  Handler
	log     *slog.Logger
	ready   chan struct{}
	readyMu sync.Once
}

// NewListener returns a listener on the database at dsn (the server's
// GATEHOUSE_DATABASE URL; a search_path in it selects the schema).
func NewListener(dsn string, handle Handler, log *slog.Logger) *Listener {
	return &Listener{dsn: dsn, handle: handle, log: log, ready: make(chan struct{})}
}

// Ready is closed once the listener first listens: changes committed after
// that reach it.
func (l *Listener) Ready() <-chan struct{} { return l.ready }

// Reconnect backoff bounds.
const (
	backoffMin = 100 * time.Millisecond
	backoffMax = 5 * time.Second
)

// Run listens until ctx ends, reconnecting after failures. After a
// reconnect it sends Resync first, for the changes it may have missed.
func (l *Listener) Run(ctx context.Context) {
	wait := backoffMin
	connected := false
	for ctx.Err() == nil {
		err := l.listen(ctx, connected)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errListened) {
			connected, wait = true, backoffMin
		}
		l.log.WarnContext(ctx, "cluster: change notifications interrupted; reconnecting", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, backoffMax)
	}
}

// errListened wraps the error that ended a session that had listened, so
// Run resets its backoff.
var errListened = errors.New("listened")

// listen runs one session: connect, LISTEN, dispatch until an error.
func (l *Listener) listen(ctx context.Context, resync bool) error {
	cfg, err := pgx.ParseConfig(l.dsn)
	if err != nil {
		return err
	}
	// The connection only reads; TCP keepalives notice a peer that is gone
	// without a word (a host that died) within about 20 seconds.
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 5 * time.Second, Interval: 5 * time.Second, Count: 3}}
	cfg.DialFunc = d.DialContext
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "gatehouse-cluster" // to tell it apart in pg_stat_activity
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(c)
	}()
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return err
	}
	channel := Channel(schema)
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	l.readyMu.Do(func() { close(l.ready) })
	if resync {
		l.log.InfoContext(ctx, "cluster: listening again; dropping cached state", "channel", channel)
		l.handle(ctx, Event{Kind: Resync})
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("%w: %w", errListened, err)
		}
		var e Event
		if err := json.NewDecoder(strings.NewReader(n.Payload)).Decode(&e); err != nil || e.Kind == "" {
			l.log.WarnContext(ctx, "cluster: unreadable change notification", "payload", n.Payload, "err", err)
			continue
		}
		l.handle(ctx, e)
	}
}
