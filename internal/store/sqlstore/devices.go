package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// deviceAuthorizationRepo stores RFC 8628 device authorizations, keyed by
// the device code's hash, with a per-tenant unique index on the user code.
// The client is a foreign key, and so is the approving user once set.
type deviceAuthorizationRepo Store

const deviceCols = `tenant_id, device_code_hash, user_code, client_id, scopes, state, user_id, auth_time, amr,
	created_at, expires_at, poll_interval, last_polled_at, resource, authorization_details`

func scanDevice(sc scanner) (*oauth.DeviceAuthorization, error) {
	var d oauth.DeviceAuthorization
	var scopes, amr []byte
	var interval int64
	if err := sc.Scan(&d.TenantID, &d.DeviceCodeHash, &d.UserCode, &d.ClientID, &scopes, &d.State,
		nullStrCol{&d.UserID}, optTSCol{&d.AuthTime}, &amr, tsCol{&d.CreatedAt}, tsCol{&d.ExpiresAt},
		&interval, nullTSCol{&d.LastPolledAt}, &d.Resource, &d.AuthorizationDetails); err != nil {
		return nil, err
	}
	d.DeviceCodeHash = bytesOut(d.DeviceCodeHash)
	d.PollInterval = time.Duration(interval) * time.Second
	err := decodeLists(listCol{&d.Scopes, scopes}, listCol{&d.AMR, amr})
	return &d, err
}

// normDevice puts d in the form it reads back as: microsecond times and
// a poll interval of whole seconds (5 unless set).
func normDevice(d *oauth.DeviceAuthorization) {
	d.AuthTime, d.CreatedAt, d.ExpiresAt = normOpt(d.AuthTime), norm(d.CreatedAt), norm(d.ExpiresAt)
	d.LastPolledAt = normPtr(d.LastPolledAt)
	if d.PollInterval <= 0 {
		d.PollInterval = defaultPollInterval
	}
	d.PollInterval = d.PollInterval.Truncate(time.Second)
}

// defaultPollInterval is RFC 8628's default interval (3.2).
const defaultPollInterval = 5 * time.Second

// Create frees the user code first if the authorization holding it has
// expired by the new one's CreatedAt (the store clock if unset): expired
// means ExpiresAt <= CreatedAt, as Session.Active counts expiry. The
// delete and the insert share a transaction, so a code held by an
// unexpired authorization is ErrConflict, as is a device code hash in use.
// State defaults to pending.
func (r *deviceAuthorizationRepo) Create(ctx context.Context, d *oauth.DeviceAuthorization) error {
	s := (*Store)(r)
	if len(d.DeviceCodeHash) == 0 || d.UserCode == "" {
		return errors.New("store: a device authorization needs a device code hash and a user code")
	}
	n := *d
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.now()
	}
	if n.State == "" {
		n.State = oauth.DevicePending
	}
	normDevice(&n)
	err := s.inTx(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `DELETE FROM device_authorizations WHERE tenant_id = ? AND user_code = ? AND expires_at <= ?`,
			n.TenantID, n.UserCode, tx.ts(n.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO device_authorizations (`+deviceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.TenantID, n.DeviceCodeHash, n.UserCode, n.ClientID, jsonList(n.Scopes), string(n.State), nullStr(n.UserID),
			tx.optTS(n.AuthTime), jsonList(n.AMR), tx.ts(n.CreatedAt), tx.ts(n.ExpiresAt),
			int64(n.PollInterval/time.Second), tx.nullTS(n.LastPolledAt), n.Resource, n.AuthorizationDetails)
		return err
	})
	if err != nil {
		return err
	}
	*d = n
	return nil
}

const (
	deviceByCode     = `SELECT ` + deviceCols + ` FROM device_authorizations WHERE tenant_id = ? AND device_code_hash = ?`
	deviceByUserCode = `SELECT ` + deviceCols + ` FROM device_authorizations WHERE tenant_id = ? AND user_code = ?`
)

// The getters return expired authorizations too, until DeleteExpired
// removes them: the token endpoint answers expired_token for those.
func (r *deviceAuthorizationRepo) GetByDeviceCode(ctx context.Context, tenantID string, deviceCodeHash []byte) (*oauth.DeviceAuthorization, error) {
	s := (*Store)(r)
	d, err := scanDevice(s.queryRow(ctx, deviceByCode, tenantID, bytesOut(deviceCodeHash)))
	return d, s.c.mapErr(err)
}

func (r *deviceAuthorizationRepo) GetByUserCode(ctx context.Context, tenantID, userCode string) (*oauth.DeviceAuthorization, error) {
	s := (*Store)(r)
	d, err := scanDevice(s.queryRow(ctx, deviceByUserCode, tenantID, userCode))
	return d, s.c.mapErr(err)
}

// Update lets fn change everything but the keys (TenantID, DeviceCodeHash,
// UserCode), CreatedAt, Resource and AuthorizationDetails.
func (r *deviceAuthorizationRepo) Update(ctx context.Context, tenantID, userCode string, fn func(*oauth.DeviceAuthorization) error) (*oauth.DeviceAuthorization, error) {
	s := (*Store)(r)
	var out *oauth.DeviceAuthorization
	err := s.inTx(ctx, func(tx *Store) error {
		d, err := scanDevice(tx.queryRow(ctx, deviceByUserCode+tx.c.d.ForUpdate, tenantID, userCode))
		if err != nil {
			return tx.c.mapErr(err)
		}
		hash, created, res, details := d.DeviceCodeHash, d.CreatedAt, d.Resource, d.AuthorizationDetails
		if err := fn(d); err != nil {
			return err
		}
		d.TenantID, d.DeviceCodeHash, d.UserCode, d.CreatedAt, d.Resource, d.AuthorizationDetails = tenantID, hash, userCode, created, res, details
		normDevice(d)
		n, err := tx.exec(ctx, `UPDATE device_authorizations SET client_id = ?, scopes = ?, state = ?, user_id = ?,
			auth_time = ?, amr = ?, expires_at = ?, poll_interval = ?, last_polled_at = ?
			WHERE tenant_id = ? AND device_code_hash = ?`,
			d.ClientID, jsonList(d.Scopes), string(d.State), nullStr(d.UserID), tx.optTS(d.AuthTime), jsonList(d.AMR),
			tx.ts(d.ExpiresAt), int64(d.PollInterval/time.Second), tx.nullTS(d.LastPolledAt), tenantID, hash)
		if err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		out = d
		return nil
	})
	return out, err
}

// DeleteExpired is a maintenance sweep across all tenants.
func (r *deviceAuthorizationRepo) DeleteExpired(ctx context.Context, before time.Time) (int64, error) {
	s := (*Store)(r)
	return s.exec(ctx, `DELETE FROM device_authorizations WHERE expires_at < ?`, s.ts(before))
}
