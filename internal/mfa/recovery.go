package mfa

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

const (
	// RecoveryCodes is how many codes a set has.
	RecoveryCodes   = 10
	recoveryPurpose = "mfa-recovery"
	// recoveryAlphabet has no look-alike characters (0/o, 1/l/i).
	recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	recoveryLen      = 10 // about 49 bits each
)

// recoveryData is the stored form of a recovery code set: keyed hashes.
type recoveryData struct {
	Codes []recoveryCode `json:"codes"`
}

type recoveryCode struct {
	Hash []byte `json:"hash"`
	Used bool   `json:"used,omitempty"`
}

// GenerateRecoveryCodes makes a new set of RecoveryCodes codes, replacing
// any previous set, and returns them formatted "xxxxx-xxxxx". They are
// shown once: only keyed hashes are stored.
func (s *Service) GenerateRecoveryCodes(ctx context.Context, tg Target, u *identity.User) ([]string, error) {
	codes := make([]string, RecoveryCodes)
	var d recoveryData
	for i := range codes {
		code, err := randomString(recoveryAlphabet, recoveryLen)
		if err != nil {
			return nil, err
		}
		codes[i] = code[:5] + "-" + code[5:]
		d.Codes = append(d.Codes, recoveryCode{Hash: s.Keyring.MAC(recoveryPurpose, codeInput(tg.Tenant.ID, u.ID, code))})
	}
	data, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	now := s.now()
	f := &factor.Factor{TenantID: tg.Tenant.ID, UserID: u.ID, Type: factor.Recovery, Name: "Recovery codes", CreatedAt: now, Data: data}
	err = tg.Store.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.MFA().DeleteFactors(ctx, tg.Tenant.ID, u.ID, factor.Recovery); err != nil {
			return err
		}
		return tx.MFA().CreateFactor(ctx, f)
	})
	if err != nil {
		return nil, err
	}
	s.changed(ctx, tg, u, events.MFAAdded, "", map[string]any{"factor_id": f.ID, "factor_type": string(factor.Recovery)})
	return codes, nil
}

// randomString returns n characters drawn uniformly from alphabet.
func randomString(alphabet string, n int) (string, error) {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b), nil
}

// useRecoveryCode marks the matching unused code of the user's set used,
// in one atomic update, then mails the user and records the use.
func (s *Service) useRecoveryCode(ctx context.Context, tg Target, userID, code string) (*factor.Factor, error) {
	if len(code) != recoveryLen {
		return nil, ErrInvalidCode
	}
	fs, err := listFactors(ctx, tg, userID)
	if err != nil {
		return nil, err
	}
	mac := s.Keyring.MAC(recoveryPurpose, codeInput(tg.Tenant.ID, userID, code))
	now := s.now()
	for _, f := range fs {
		if f.Type != factor.Recovery {
			continue
		}
		left := 0
		up, err := tg.Store.MFA().UpdateFactor(ctx, tg.Tenant.ID, userID, f.ID, func(f *factor.Factor) error {
			var d recoveryData
			if err := json.Unmarshal(f.Data, &d); err != nil {
				return err
			}
			hit := -1
			for i, c := range d.Codes {
				// Compare against every code, used ones too, in constant time.
				if hmac.Equal(mac, c.Hash) && hit < 0 {
					hit = i
				}
				if !c.Used {
					left++
				}
			}
			if hit < 0 {
				return ErrInvalidCode
			}
			if d.Codes[hit].Used {
				return ErrReplay
			}
			d.Codes[hit].Used = true
			left--
			var err error
			if f.Data, err = json.Marshal(d); err != nil {
				return err
			}
			f.LastUsedAt = &now
			return nil
		})
		switch {
		case err == nil:
			up.Data = nil
			s.recoveryUsed(ctx, tg, userID, up, left)
			return up, nil
		case errors.Is(err, store.ErrVersionMismatch):
			return nil, ErrReplay
		case errors.Is(err, ErrInvalidCode), errors.Is(err, ErrReplay):
			return nil, err
		default:
			return nil, fmt.Errorf("mfa: use recovery code: %w", err)
		}
	}
	return nil, ErrInvalidCode
}

// RecoveryCodesLeft returns how many unused recovery codes the user has.
func (s *Service) RecoveryCodesLeft(ctx context.Context, tg Target, userID string) (int, error) {
	fs, err := listFactors(ctx, tg, userID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range fs {
		if f.Type != factor.Recovery {
			continue
		}
		var d recoveryData
		if err := json.Unmarshal(f.Data, &d); err != nil {
			return 0, err
		}
		for _, c := range d.Codes {
			if !c.Used {
				n++
			}
		}
	}
	return n, nil
}
