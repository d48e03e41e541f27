package dpop

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// Nonces issues and checks server nonces (RFC 9449 8) without state: a
// nonce is an HMAC of a time window under a secret every node derives
// from the master key, so any node accepts another's. The current and
// the previous window's nonces are valid, so a nonce lives one to two
// windows.
type Nonces struct {
	key    []byte
	window time.Duration
	now    func() time.Time
}

// DefaultNonceWindow is the window of NewNonces.
const DefaultNonceWindow = 5 * time.Minute

// NewNonces returns nonces under key (at least 32 bytes from a KDF or MAC
// of the master key), changing every window (0: DefaultNonceWindow).
func NewNonces(key []byte, window time.Duration, now func() time.Time) *Nonces {
	if window <= 0 {
		window = DefaultNonceWindow
	}
	if now == nil {
		now = time.Now
	}
	return &Nonces{key: key, window: window, now: now}
}

func (n *Nonces) at(scope string, w int64) string {
	m := hmac.New(sha256.New, n.key)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(w))
	m.Write(b[:])
	m.Write([]byte(scope))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (n *Nonces) windowNow() int64 { return n.now().UnixNano() / int64(n.window) }

// Issue is the current nonce of scope (a tenant's ID: a nonce is good
// for that tenant only).
func (n *Nonces) Issue(scope string) string { return n.at(scope, n.windowNow()) }

// Valid reports whether nonce is scope's current or previous nonce.
func (n *Nonces) Valid(scope, nonce string) bool {
	w := n.windowNow()
	return hmac.Equal([]byte(nonce), []byte(n.at(scope, w))) || hmac.Equal([]byte(nonce), []byte(n.at(scope, w-1)))
}
