package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"time"
)

// AuditRecord is one entry of a tenant's audit chain. Every field but
// Hash is covered by Hash (see ChainHash); PrevHash is the Hash of the
// record at Seq-1, or empty for the first record of the chain.
type AuditRecord struct {
	TenantID  string
	ID        string // UUIDv7
	Seq       int64  // 1, 2, 3, ... within the tenant's chain
	Time      time.Time
	Type      string
	UserID    string
	ActorID   string
	IP        string
	DeviceID  string
	UserAgent string
	Decision  string
	// Reasons and Data are stored as the exact JSON text that was hashed:
	// a JSON array of strings and a JSON object ("[]" and "{}" when empty).
	Reasons  string
	Data     string
	PrevHash []byte
	Hash     []byte
}

// auditHashDomain separates this hash from any other SHA-256 use, and
// versions the encoding.
const auditHashDomain = "gatehouse.audit.v1"

// ChainHash is SHA-256 over the canonical encoding of r: the domain string
// and then, in this order, tenant_id, seq (decimal), id, time (unix
// microseconds, decimal), type, user_id, actor_id, ip, device_id,
// user_agent, decision, reasons, data and prev_hash (raw bytes), each
// written as a 4-byte big-endian length followed by its bytes. Length
// prefixes make the encoding unambiguous: no two field lists encode alike.
func (r *AuditRecord) ChainHash() []byte {
	h := sha256.New()
	var n [4]byte
	put := func(b []byte) {
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, s := range []string{auditHashDomain, r.TenantID, strconv.FormatInt(r.Seq, 10), r.ID,
		strconv.FormatInt(r.Time.UnixMicro(), 10), r.Type, r.UserID, r.ActorID, r.IP, r.DeviceID,
		r.UserAgent, r.Decision, r.Reasons, r.Data} {
		put([]byte(s))
	}
	put(r.PrevHash)
	return h.Sum(nil)
}

// AuditFilter narrows an audit list. Empty fields do not filter.
type AuditFilter struct {
	Type     string // exact event type
	UserID   string
	IP       string
	Decision string
	Since    time.Time // Time >= Since
	Until    time.Time // Time < Until
}

// AuditHead is the last link of a tenant's chain, kept in its own row so
// appends can lock it and verification can detect a cut-off tail.
type AuditHead struct {
	TenantID string
	Seq      int64
	Hash     []byte
}

// AuditRepo is the append-only, hash-chained audit log: one chain per
// tenant. The database refuses UPDATE and DELETE of audit rows.
type AuditRepo interface {
	// Append links r to the end of its tenant's chain: it sets ID (if
	// empty), Seq, PrevHash and Hash, normalises Time (now if zero), and
	// inserts the record. Concurrent appends (also from other processes)
	// serialise on the chain head.
	Append(ctx context.Context, r *AuditRecord) error
	// Get returns one record, or ErrNotFound.
	Get(ctx context.Context, tenantID, id string) (*AuditRecord, error)
	// List returns matching records newest first. Page.After is the ID of
	// the last record of the previous page.
	List(ctx context.Context, tenantID string, f AuditFilter, p Page) (items []AuditRecord, next string, err error)
	// Chain returns up to limit records of the tenant's chain with Seq >
	// afterSeq, in Seq order, for verification.
	Chain(ctx context.Context, tenantID string, afterSeq int64, limit int) ([]AuditRecord, error)
	// Heads returns the head of every chain in the database, by tenant ID,
	// then (with Seq -1) every tenant with records but no head row.
	Heads(ctx context.Context) ([]AuditHead, error)
	// AuditPurger removes records a retention purge no longer keeps,
	// behind a checkpoint (erasure.go).
	AuditPurger
}
