package mfa

import (
	"context"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	dmfa "github.com/gatehouse-iam/gatehouse/internal/domain/mfa"
)

// Factors lists the user's factors; Data is cleared.
func (s *Service) Factors(ctx context.Context, tg Target, userID string) ([]dmfa.Factor, error) {
	return nil, errNotImplemented
}

// HasFactor reports whether the user has a second factor.
func (s *Service) HasFactor(ctx context.Context, tg Target, userID string) (bool, error) {
	return false, errNotImplemented
}

func (s *Service) BeginTOTP(ctx context.Context, tg Target, u *identity.User) (*TOTPEnrolment, error) {
	return nil, errNotImplemented
}

func (s *Service) ConfirmTOTP(ctx context.Context, tg Target, u *identity.User, enrolmentID, code, name string) (*dmfa.Factor, error) {
	return nil, errNotImplemented
}

func (s *Service) GenerateRecoveryCodes(ctx context.Context, tg Target, u *identity.User) ([]string, error) {
	return nil, errNotImplemented
}

func (s *Service) BeginWebAuthnRegistration(ctx context.Context, tg Target, u *identity.User, discoverable bool) (string, []byte, error) {
	return "", nil, errNotImplemented
}

func (s *Service) FinishWebAuthnRegistration(ctx context.Context, tg Target, u *identity.User, challengeID, name string, body []byte) (*dmfa.Factor, error) {
	return nil, errNotImplemented
}

func (s *Service) BeginChallenge(ctx context.Context, tg Target, u *identity.User, kind dmfa.FactorType, lang string) (*Challenge, error) {
	return nil, errNotImplemented
}

func (s *Service) BeginPasskeyLogin(ctx context.Context, tg Target) (*Challenge, error) {
	return nil, errNotImplemented
}

func (s *Service) Verify(ctx context.Context, tg Target, challengeID string, answer Answer) (*Result, error) {
	return nil, errNotImplemented
}

func (s *Service) VerifyCode(ctx context.Context, tg Target, u *identity.User, code string) (*Result, error) {
	return nil, errNotImplemented
}

func (s *Service) RenameFactor(ctx context.Context, tg Target, userID, factorID, name string) (*dmfa.Factor, error) {
	return nil, errNotImplemented
}

func (s *Service) RemoveFactor(ctx context.Context, tg Target, userID, factorID string, actor string) error {
	return errNotImplemented
}

func (s *Service) Reset(ctx context.Context, tg Target, userID, actor string) error {
	return errNotImplemented
}

func (s *Service) RememberDevice(ctx context.Context, tg Target, userID string, days int) (string, time.Time, error) {
	return "", time.Time{}, errNotImplemented
}

func (s *Service) DeviceRemembered(ctx context.Context, tg Target, userID, cookieValue string) bool {
	return false
}

func (s *Service) ForgetDevices(ctx context.Context, tg Target, userID string) error {
	return errNotImplemented
}
