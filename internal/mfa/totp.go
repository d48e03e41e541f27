package mfa

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	qr "github.com/piglig/go-qr"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// TOTP parameters (RFC 6238, the defaults every authenticator app knows).
const (
	totpPeriod = 30 * time.Second
	totpDigits = otp.DigitsSix
	// totpSkew is how many steps before and after now are accepted, for
	// clock drift and typing time.
	totpSkew = 1
	// enrolTTL is how long a started enrolment can be confirmed.
	enrolTTL = 10 * time.Minute

	kindTOTPEnrol = "totp_enrol"
	sealTOTP      = "mfa-totp"
)

// totpData is the stored form of a TOTP factor.
type totpData struct {
	Secret []byte `json:"secret"` // base32 secret, sealed
	// LastStep is the last time step a code was accepted for: a code of
	// that step or an earlier one is a replay.
	LastStep int64 `json:"last_step"`
}

// ad binds sealed data to the tenant and user, so it cannot be moved.
func ad(tenantID, userID string) []byte { return []byte(tenantID + "\x00" + userID) }

// BeginTOTP starts a TOTP enrolment: a new secret, its otpauth:// URL and
// the URL as a QR code. The sealed secret waits in a challenge until
// ConfirmTOTP proves the app has it.
func (s *Service) BeginTOTP(ctx context.Context, tg Target, u *identity.User) (*TOTPEnrolment, error) {
	account := u.Email
	if account == "" {
		account = u.Username
	}
	if account == "" {
		account = u.ID
	}
	issuer := tg.Tenant.DisplayName
	if issuer == "" {
		issuer = "Gatehouse"
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: uint(totpPeriod / time.Second), Digits: totpDigits})
	if err != nil {
		return nil, err
	}
	sealed, err := s.Keyring.Seal(sealTOTP, []byte(key.Secret()), ad(tg.Tenant.ID, u.ID))
	if err != nil {
		return nil, err
	}
	svg, err := qrSVG(key.URL())
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &store.MFAChallenge{TenantID: tg.Tenant.ID, UserID: u.ID, Kind: kindTOTPEnrol, Data: sealed,
		CreatedAt: now, ExpiresAt: now.Add(enrolTTL)}
	if err := tg.Store.MFA().CreateChallenge(ctx, c); err != nil {
		return nil, err
	}
	return &TOTPEnrolment{ID: c.ID, Secret: key.Secret(), URL: key.URL(), QRSVG: svg, ExpiresAt: c.ExpiresAt}, nil
}

// qrSVG renders text as an SVG QR code (medium error correction).
func qrSVG(text string) ([]byte, error) {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return nil, err
	}
	return code.ToSVGBytes(qr.NewQrCodeImgConfig(8, 4))
}

// ConfirmTOTP checks a code from the app against the enrolment's secret
// and, if it matches, stores the factor (with that code's step used).
// A wrong code counts against the enrolment's attempts.
func (s *Service) ConfirmTOTP(ctx context.Context, tg Target, u *identity.User, enrolmentID, code, name string) (*factor.Factor, error) {
	name, err := cleanName(name, "Authenticator app")
	if err != nil {
		return nil, err
	}
	var secret []byte
	step := int64(-1)
	_, err = s.answer(ctx, tg, enrolmentID, u.ID, []string{kindTOTPEnrol}, func(c *store.MFAChallenge) error {
		if secret, err = s.Keyring.Open(sealTOTP, c.Data, ad(tg.Tenant.ID, u.ID)); err != nil {
			return err
		}
		if step = matchTOTP(string(secret), code, s.now()); step < 0 {
			return ErrInvalidCode
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	data, err := s.totpData(string(secret), step, tg.Tenant.ID, u.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	f := &factor.Factor{TenantID: tg.Tenant.ID, UserID: u.ID, Type: factor.TOTP, Name: name, CreatedAt: now, LastUsedAt: &now, Data: data}
	if err := tg.Store.MFA().CreateFactor(ctx, f); err != nil {
		return nil, err
	}
	s.changed(ctx, tg, u, events.MFAAdded, "", map[string]any{"factor_id": f.ID, "factor_type": string(factor.TOTP)})
	f.Data = nil
	return f, nil
}

func (s *Service) totpData(secret string, step int64, tenantID, userID string) (json.RawMessage, error) {
	sealed, err := s.Keyring.Seal(sealTOTP, []byte(secret), ad(tenantID, userID))
	if err != nil {
		return nil, err
	}
	return json.Marshal(totpData{Secret: sealed, LastStep: step})
}

// matchTOTP returns the time step (within ±totpSkew of now) whose code is
// code, or -1. Every step in the window is computed, so the time taken
// does not say which one matched.
func matchTOTP(secret, code string, now time.Time) int64 {
	if len(code) != totpDigits.Length() {
		return -1
	}
	cur := now.Unix() / int64(totpPeriod/time.Second)
	found := int64(-1)
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := cur + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*int64(totpPeriod/time.Second), 0),
			totp.ValidateOpts{Period: uint(totpPeriod / time.Second), Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return -1
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && found < 0 {
			found = step
		}
	}
	return found
}

// verifyTOTP checks code against the user's TOTP factors. The matched
// step is recorded in the same atomic update that checks it is newer
// than the last one used, so a code works once even when sent twice at
// the same moment.
func (s *Service) verifyTOTP(ctx context.Context, tg Target, userID, code string) (*factor.Factor, error) {
	fs, err := listFactors(ctx, tg, userID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	replay := false
	for _, f := range fs {
		if f.Type != factor.TOTP {
			continue
		}
		up, err := tg.Store.MFA().UpdateFactor(ctx, tg.Tenant.ID, userID, f.ID, func(f *factor.Factor) error {
			var d totpData
			if err := json.Unmarshal(f.Data, &d); err != nil {
				return err
			}
			secret, err := s.Keyring.Open(sealTOTP, d.Secret, ad(tg.Tenant.ID, userID))
			if err != nil {
				return err
			}
			step := matchTOTP(string(secret), code, now)
			if step < 0 {
				return ErrInvalidCode
			}
			if step <= d.LastStep {
				return ErrReplay
			}
			d.LastStep = step
			if f.Data, err = json.Marshal(d); err != nil {
				return err
			}
			f.LastUsedAt = &now
			return nil
		})
		switch {
		case err == nil:
			up.Data = nil
			return up, nil
		case errors.Is(err, ErrReplay), errors.Is(err, store.ErrVersionMismatch):
			replay = true
		case !errors.Is(err, ErrInvalidCode):
			return nil, fmt.Errorf("mfa: verify TOTP: %w", err)
		}
	}
	if replay {
		return nil, ErrReplay
	}
	return nil, ErrInvalidCode
}
