package ldap

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// pool keeps connections bound as the service account between sign-ins,
// so that a sign-in costs a search and a bind or two, not a TCP (and TLS)
// handshake. A connection that failed, was cancelled, or was left bound
// as someone else is closed, never given back.
type pool struct {
	dial        func(context.Context) (*goldap.Conn, error)
	bind        func(*goldap.Conn) error
	idle        chan *pooledConn
	sem         chan struct{}
	idleTimeout time.Duration
	now         func() time.Time
	dials       atomic.Int64

	mu     sync.Mutex
	closed bool
}

type pooledConn struct {
	conn     *goldap.Conn
	lastUsed time.Time
	reused   bool
	broken   bool // the connection was found closed after a failure
}

func newPool(dial func(context.Context) (*goldap.Conn, error), bind func(*goldap.Conn) error, o Options) *pool {
	if o.MaxIdle <= 0 {
		o.MaxIdle = DefaultMaxIdle
	}
	if o.MaxOpen <= 0 {
		o.MaxOpen = DefaultMaxOpen
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &pool{dial: dial, bind: bind, idle: make(chan *pooledConn, o.MaxIdle), sem: make(chan struct{}, o.MaxOpen),
		idleTimeout: o.IdleTimeout, now: o.Now}
}

// get returns a connection bound as the service account: an idle one, or
// a new one. It waits while MaxOpen sign-ins are in flight.
func (p *pool) get(ctx context.Context) (*pooledConn, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, unavailable("waiting for a directory connection", ctx.Err())
	}
	for {
		select {
		case pc := <-p.idle:
			if pc.conn.IsClosing() || p.now().Sub(pc.lastUsed) > p.idleTimeout {
				pc.conn.Close()
				continue
			}
			pc.reused = true
			return pc, nil
		default:
		}
		break
	}
	conn, err := p.dial(ctx)
	if err != nil {
		<-p.sem
		return nil, err
	}
	p.dials.Add(1)
	if err := p.bind(conn); err != nil {
		conn.Close()
		<-p.sem
		return nil, err
	}
	return &pooledConn{conn: conn}, nil
}

// put gives back a connection still bound as the service account.
func (p *pool) put(pc *pooledConn) {
	defer func() { <-p.sem }()
	pc.lastUsed = p.now()
	pc.reused = false
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || pc.conn.IsClosing() {
		pc.conn.Close()
		return
	}
	select {
	case p.idle <- pc:
	default:
		pc.conn.Close()
	}
}

// discard closes a connection that must not be used again.
func (p *pool) discard(pc *pooledConn) {
	pc.conn.Close()
	<-p.sem
}

func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for {
		select {
		case pc := <-p.idle:
			pc.conn.Close()
		default:
			return
		}
	}
}
