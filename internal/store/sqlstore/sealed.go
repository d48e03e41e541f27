package sqlstore

import (
	"context"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// sealedRepo finds the sealed columns of every table for a key rotation.
type sealedRepo Store

var _ store.SealedRepo = (*sealedRepo)(nil)

// Sealed returns the repository of sealed values.
func (s *Store) Sealed() store.SealedRepo { return (*sealedRepo)(s) }

// sealedColumn is where a kind lives. text columns hold JSON and are
// written as strings; the others are BLOB/BYTEA.
type sealedColumn struct {
	table, id, column string
	user, typ         string // column names, or "" when the table has none
	text              bool
}

var sealedColumns = map[store.SealedKind]sealedColumn{
	store.SealedSigningKeys:          {table: "signing_keys", id: "id", column: "private"},
	store.SealedWebhookSecrets:       {table: "webhooks", id: "id", column: "secret_sealed"},
	store.SealedMFAFactors:           {table: "mfa_factors", id: "id", column: "data", user: "user_id", typ: "type", text: true},
	store.SealedMFAChallenges:        {table: "mfa_challenges", id: "id", column: "data", user: "user_id", typ: "kind"},
	store.SealedIdempotencyResponses: {table: "idempotency_records", id: "idem_key", column: "body"},
	store.SealedConnectionSecrets:    {table: "connections", id: "id", column: "secrets_sealed"},
	store.SealedSAMLCerts:            {table: "saml_certs", id: "id", column: "private"},
	store.SealedUserDataKeys:         {table: "user_data_keys", id: "user_id", column: "key_sealed", user: "user_id"},
}

func sealedColumnOf(kind store.SealedKind) (sealedColumn, error) {
	c, ok := sealedColumns[kind]
	if !ok {
		return c, fmt.Errorf("store: unknown sealed kind %q", kind)
	}
	return c, nil
}

// or returns the column name, or the empty string literal.
func or(col string) string {
	if col == "" {
		return "''"
	}
	return col
}

func (r *sealedRepo) List(ctx context.Context, kind store.SealedKind, afterTenant, afterID string, limit int) ([]store.SealedValue, error) {
	s := (*Store)(r)
	c, err := sealedColumnOf(kind)
	if err != nil {
		return nil, err
	}
	if limit < 1 {
		limit = 1
	}
	// Table and column names come from the map above, never from input.
	rows, err := s.query(ctx, `SELECT tenant_id, `+c.id+`, COALESCE(`+or(c.user)+`, ''), `+or(c.typ)+`, `+c.column+`
		FROM `+c.table+` WHERE `+c.column+` IS NOT NULL AND (tenant_id > ? OR (tenant_id = ? AND `+c.id+` > ?))
		ORDER BY tenant_id, `+c.id+` LIMIT ?`, afterTenant, afterTenant, afterID, limit)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(sc scanner) (*store.SealedValue, error) {
		var v store.SealedValue
		if err := sc.Scan(&v.TenantID, &v.ID, &v.UserID, &v.Type, &v.Value); err != nil {
			return nil, err
		}
		v.Value = bytesOut(v.Value)
		return &v, nil
	})
	return out, s.c.mapErr(err)
}

func (r *sealedRepo) Replace(ctx context.Context, kind store.SealedKind, tenantID, id string, old, next []byte) (bool, error) {
	s := (*Store)(r)
	c, err := sealedColumnOf(kind)
	if err != nil {
		return false, err
	}
	var o, n any = old, next
	if c.text {
		o, n = string(old), string(next)
	}
	rows, err := s.exec(ctx, `UPDATE `+c.table+` SET `+c.column+` = ? WHERE tenant_id = ? AND `+c.id+` = ? AND `+c.column+` = ?`,
		n, tenantID, id, o)
	return rows == 1, err
}
