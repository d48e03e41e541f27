package sqlstore

import (
	"context"
	"errors"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// auditRepo is the hash-chained audit log. An append locks the tenant's
// chain head row (FOR UPDATE on PostgreSQL; SQLite's single writer holds
// the whole database), so appends from any number of goroutines or nodes
// form one unbroken chain per tenant.
type auditRepo Store

const auditCols = `tenant_id, id, seq, time, type, user_id, actor_id, ip, device_id, user_agent,
	decision, reasons, data, prev_hash, hash`

func scanAudit(sc scanner) (*store.AuditRecord, error) {
	var r store.AuditRecord
	if err := sc.Scan(&r.TenantID, &r.ID, &r.Seq, tsCol{&r.Time}, &r.Type, &r.UserID, &r.ActorID, &r.IP,
		&r.DeviceID, &r.UserAgent, &r.Decision, &r.Reasons, &r.Data, &r.PrevHash, &r.Hash); err != nil {
		return nil, err
	}
	r.PrevHash, r.Hash = bytesOut(r.PrevHash), bytesOut(r.Hash)
	return &r, nil
}

func (r *auditRepo) Append(ctx context.Context, rec *store.AuditRecord) error {
	s := (*Store)(r)
	if rec.TenantID == "" || rec.Type == "" {
		return errors.New("store: an audit record needs a tenant and a type")
	}
	n := *rec
	if n.Reasons == "" {
		n.Reasons = "[]"
	}
	if n.Data == "" {
		n.Data = "{}"
	}
	err := s.inTx(ctx, func(tx *Store) error {
		m := n
		if err := tx.stamp(&m.ID, &m.Time, nil, nil); err != nil {
			return err
		}
		// The head row exists from a tenant's first append on; creating it
		// is a no-op when another transaction got there first.
		if _, err := tx.exec(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, 0, ?)
			ON CONFLICT (tenant_id) DO NOTHING`, m.TenantID, []byte{}); err != nil {
			return err
		}
		var head store.AuditHead
		if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE tenant_id = ?`+tx.c.d.ForUpdate,
			m.TenantID).Scan(&head.Seq, &head.Hash); err != nil {
			return tx.c.mapErr(err)
		}
		m.Seq, m.PrevHash = head.Seq+1, bytesOut(head.Hash)
		m.Hash = m.ChainHash()
		if _, err := tx.exec(ctx, `INSERT INTO audit_events (`+auditCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.TenantID, m.ID, m.Seq, tx.ts(m.Time), m.Type, m.UserID, m.ActorID, m.IP, m.DeviceID, m.UserAgent,
			m.Decision, m.Reasons, m.Data, orEmpty(m.PrevHash), m.Hash); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE audit_heads SET seq = ?, hash = ? WHERE tenant_id = ?`,
			m.Seq, m.Hash, m.TenantID); err != nil {
			return err
		}
		n = m
		return nil
	})
	if err != nil {
		return err
	}
	*rec = n
	return nil
}

// orEmpty keeps a NOT NULL BLOB column non-NULL for an empty value.
func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func (r *auditRepo) Get(ctx context.Context, tenantID, id string) (*store.AuditRecord, error) {
	s := (*Store)(r)
	rec, err := scanAudit(s.queryRow(ctx, `SELECT `+auditCols+` FROM audit_events WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return rec, s.c.mapErr(err)
}

// List pages by Seq, newest first; the cursor is the last record's ID,
// whose Seq a subquery looks up (an unknown ID yields an empty page).
func (r *auditRepo) List(ctx context.Context, tenantID string, f store.AuditFilter, p store.Page) ([]store.AuditRecord, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	where := []string{"tenant_id = ?"}
	args := []any{tenantID}
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	for _, c := range []struct{ col, v string }{{"type", f.Type}, {"user_id", f.UserID}, {"ip", f.IP}, {"decision", f.Decision}} {
		if c.v != "" {
			add(c.col+" = ?", c.v)
		}
	}
	if !f.Since.IsZero() {
		add("time >= ?", s.ts(f.Since))
	}
	if !f.Until.IsZero() {
		add("time < ?", s.ts(f.Until))
	}
	if p.After != "" {
		where = append(where, "seq < (SELECT a.seq FROM audit_events a WHERE a.tenant_id = ? AND a.id = ?)")
		args = append(args, tenantID, p.After)
	}
	args = append(args, p.Limit+1)
	rows, err := s.query(ctx, `SELECT `+auditCols+` FROM audit_events WHERE `+strings.Join(where, " AND ")+
		` ORDER BY seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanAudit)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(a *store.AuditRecord) string { return a.ID })
	return items, next, nil
}

func (r *auditRepo) Chain(ctx context.Context, tenantID string, afterSeq int64, limit int) ([]store.AuditRecord, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT `+auditCols+` FROM audit_events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
		tenantID, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scanAudit)
	return out, s.c.mapErr(err)
}

// Heads also reports, with Seq -1, tenants that have records but no head
// row, so that deleting a head cannot hide a whole chain from verification.
func (r *auditRepo) Heads(ctx context.Context) ([]store.AuditHead, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT tenant_id, seq, hash FROM audit_heads ORDER BY tenant_id`)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(sc scanner) (*store.AuditHead, error) {
		var h store.AuditHead
		if err := sc.Scan(&h.TenantID, &h.Seq, &h.Hash); err != nil {
			return nil, err
		}
		h.Hash = bytesOut(h.Hash)
		return &h, nil
	})
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	rows, err = s.query(ctx, `SELECT DISTINCT e.tenant_id FROM audit_events e
		WHERE NOT EXISTS (SELECT 1 FROM audit_heads h WHERE h.tenant_id = e.tenant_id) ORDER BY e.tenant_id`)
	if err != nil {
		return nil, err
	}
	orphans, err := scanAll(rows, func(sc scanner) (*store.AuditHead, error) {
		h := store.AuditHead{Seq: -1}
		return &h, sc.Scan(&h.TenantID)
	})
	return append(out, orphans...), s.c.mapErr(err)
}
