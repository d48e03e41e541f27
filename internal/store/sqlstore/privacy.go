package sqlstore

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// privacyRepo stores privacy purposes, the consent ledger
// (privacy_ledger, append-only) and each user's current decision per
// purpose (privacy_decisions, written with the entry that makes it).
type privacyRepo Store

// Privacy returns the privacy purposes and the consent ledger.
func (s *Store) Privacy() store.PrivacyRepo { return (*privacyRepo)(s) }

var _ store.PrivacyRepo = (*privacyRepo)(nil)

const purposeCols = `tenant_id, id, name, description, legal_basis, required, version, created_at, updated_at`

func scanPurpose(sc scanner) (*store.Purpose, error) {
	var p store.Purpose
	if err := sc.Scan(&p.TenantID, &p.ID, &p.Name, &p.Description, &p.LegalBasis, &p.Required, &p.Version,
		tsCol{&p.CreatedAt}, tsCol{&p.UpdatedAt}); err != nil {
		return nil, err
	}
	return &p, nil
}

const ledgerCols = `tenant_id, id, user_id, purpose_id, purpose_version, granted, channel, ip, user_agent, actor_id, evidence, receipt, at`

func scanEntry(sc scanner) (*store.ConsentEntry, error) {
	var e store.ConsentEntry
	if err := sc.Scan(&e.TenantID, &e.ID, &e.UserID, &e.PurposeID, &e.PurposeVersion, &e.Granted, &e.Channel, &e.IP,
		&e.UserAgent, &e.ActorID, &e.Evidence, &e.Receipt, tsCol{&e.At}); err != nil {
		return nil, err
	}
	return &e, nil
}

func (r *privacyRepo) CreatePurpose(ctx context.Context, p *store.Purpose) error {
	s := (*Store)(r)
	n := *p
	// The caller's slug is the ID.
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.now()
	}
	n.CreatedAt = norm(n.CreatedAt)
	if n.UpdatedAt.IsZero() {
		n.UpdatedAt = n.CreatedAt
	}
	n.UpdatedAt = norm(n.UpdatedAt)
	if n.Version <= 0 {
		n.Version = 1
	}
	if _, err := s.exec(ctx, `INSERT INTO privacy_purposes (`+purposeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.TenantID, n.ID, n.Name, n.Description, n.LegalBasis, n.Required, n.Version, s.ts(n.CreatedAt), s.ts(n.UpdatedAt)); err != nil {
		return err
	}
	*p = n
	return nil
}

func (r *privacyRepo) GetPurpose(ctx context.Context, tenantID, id string) (*store.Purpose, error) {
	s := (*Store)(r)
	p, err := scanPurpose(s.queryRow(ctx, `SELECT `+purposeCols+` FROM privacy_purposes WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return p, nil
}

func (r *privacyRepo) ListPurposes(ctx context.Context, tenantID string, p store.Page) ([]store.Purpose, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+purposeCols+` FROM privacy_purposes WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanPurpose)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(x *store.Purpose) string { return x.ID })
	return items, next, nil
}

func (r *privacyRepo) UpdatePurpose(ctx context.Context, tenantID, id string, fn func(*store.Purpose) error) (*store.Purpose, error) {
	s := (*Store)(r)
	var out *store.Purpose
	err := s.inTx(ctx, func(tx *Store) error {
		p, err := scanPurpose(tx.queryRow(ctx, `SELECT `+purposeCols+` FROM privacy_purposes WHERE tenant_id = ? AND id = ?`+tx.c.d.ForUpdate, tenantID, id))
		if err != nil {
			return tx.c.mapErr(err)
		}
		created := p.CreatedAt
		if err := fn(p); err != nil {
			return err
		}
		p.TenantID, p.ID, p.CreatedAt, p.UpdatedAt = tenantID, id, created, tx.now()
		if _, err := tx.exec(ctx, `UPDATE privacy_purposes SET name = ?, description = ?, legal_basis = ?, required = ?, version = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ?`, p.Name, p.Description, p.LegalBasis, p.Required, p.Version, tx.ts(p.UpdatedAt), tenantID, id); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

func (r *privacyRepo) DeletePurpose(ctx context.Context, tenantID, id string) error {
	return (*Store)(r).inTx(ctx, func(tx *Store) error {
		n, err := tx.exec(ctx, `DELETE FROM privacy_purposes WHERE tenant_id = ? AND id = ?`, tenantID, id)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		_, err = tx.exec(ctx, `DELETE FROM privacy_decisions WHERE tenant_id = ? AND purpose_id = ?`, tenantID, id)
		return err
	})
}

func (r *privacyRepo) Record(ctx context.Context, entries []store.ConsentEntry) error {
	s := (*Store)(r)
	stamped := make([]store.ConsentEntry, len(entries))
	for i, e := range entries {
		if err := s.stamp(&e.ID, &e.At, nil, nil); err != nil {
			return err
		}
		stamped[i] = e
	}
	err := s.inTx(ctx, func(tx *Store) error {
		for _, e := range stamped {
			// A missing user fails the foreign key: ErrNotFound.
			if _, err := tx.exec(ctx, `INSERT INTO privacy_ledger (`+ledgerCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.TenantID, e.ID, e.UserID, e.PurposeID, e.PurposeVersion, e.Granted, e.Channel, e.IP, e.UserAgent,
				e.ActorID, e.Evidence, e.Receipt, tx.ts(e.At)); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO privacy_decisions (tenant_id, user_id, purpose_id, purpose_version, granted, at, receipt_id)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (tenant_id, user_id, purpose_id) DO UPDATE SET purpose_version = excluded.purpose_version,
					granted = excluded.granted, at = excluded.at, receipt_id = excluded.receipt_id`,
				e.TenantID, e.UserID, e.PurposeID, e.PurposeVersion, e.Granted, tx.ts(e.At), e.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	copy(entries, stamped)
	return nil
}

func (r *privacyRepo) Decisions(ctx context.Context, tenantID, userID string) ([]store.PurposeDecision, error) {
	s := (*Store)(r)
	rows, err := s.query(ctx, `SELECT purpose_id, purpose_version, granted, at, receipt_id FROM privacy_decisions
		WHERE tenant_id = ? AND user_id = ? ORDER BY purpose_id`, tenantID, userID)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(sc scanner) (*store.PurposeDecision, error) {
		var d store.PurposeDecision
		return &d, sc.Scan(&d.PurposeID, &d.Version, &d.Granted, tsCol{&d.At}, &d.ReceiptID)
	})
	return out, s.c.mapErr(err)
}

func (r *privacyRepo) History(ctx context.Context, tenantID, userID string, p store.Page) ([]store.ConsentEntry, string, error) {
	s := (*Store)(r)
	p = p.Norm()
	rows, err := s.query(ctx, `SELECT `+ledgerCols+` FROM privacy_ledger WHERE tenant_id = ? AND user_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, userID, p.After, p.Limit+1)
	if err != nil {
		return nil, "", err
	}
	out, err := scanAll(rows, scanEntry)
	if err != nil {
		return nil, "", s.c.mapErr(err)
	}
	items, next := page(out, p.Limit, func(x *store.ConsentEntry) string { return x.ID })
	return items, next, nil
}

func (r *privacyRepo) Entry(ctx context.Context, tenantID, userID, id string) (*store.ConsentEntry, error) {
	s := (*Store)(r)
	e, err := scanEntry(s.queryRow(ctx, `SELECT `+ledgerCols+` FROM privacy_ledger WHERE tenant_id = ? AND user_id = ? AND id = ?`,
		tenantID, userID, id))
	if err != nil {
		return nil, s.c.mapErr(err)
	}
	return e, nil
}
