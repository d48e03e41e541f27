package mfa

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// MaxRememberDays bounds "remember this device".
const MaxRememberDays = 365

const devicePurpose = "mfa-device"

// RememberDevice records a remembered device for the user and returns the
// cookie value: the record's ID and a MAC binding it to the tenant and
// user, so the value is useless for anyone else and cannot be forged;
// deleting the record (ForgetDevices, Reset) revokes it.
func (s *Service) RememberDevice(ctx context.Context, tg Target, userID string, days int) (string, time.Time, error) {
	if days <= 0 || days > MaxRememberDays {
		return "", time.Time{}, fmt.Errorf("%w: remember a device for 1 to %d days", ErrInvalid, MaxRememberDays)
	}
	now := s.now()
	d := &store.RememberedDevice{TenantID: tg.Tenant.ID, UserID: userID, CreatedAt: now, ExpiresAt: now.AddDate(0, 0, days)}
	if err := tg.Store.MFA().CreateDevice(ctx, d); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return "", time.Time{}, ErrNotFound
		}
		return "", time.Time{}, err
	}
	return d.ID + "." + base64.RawURLEncoding.EncodeToString(s.deviceMAC(tg.Tenant.ID, userID, d.ID)), d.ExpiresAt, nil
}

func (s *Service) deviceMAC(tenantID, userID, id string) []byte {
	return s.Keyring.MAC(devicePurpose, codeInput(tenantID, userID, id))
}

// DeviceRemembered reports whether cookieValue is a live remembered device
// of the user.
func (s *Service) DeviceRemembered(ctx context.Context, tg Target, userID, cookieValue string) bool {
	id, sig, ok := strings.Cut(cookieValue, ".")
	if !ok || id == "" {
		return false
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, s.deviceMAC(tg.Tenant.ID, userID, id)) {
		return false
	}
	d, err := tg.Store.MFA().GetDevice(ctx, tg.Tenant.ID, id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log().ErrorContext(ctx, "mfa: loading a remembered device failed", "err", err)
		}
		return false
	}
	return d.UserID == userID && s.now().Before(d.ExpiresAt)
}

// ForgetDevices revokes all the user's remembered devices.
func (s *Service) ForgetDevices(ctx context.Context, tg Target, userID string) error {
	_, err := tg.Store.MFA().DeleteDevices(ctx, tg.Tenant.ID, userID)
	return err
}
