// Package accounts is self-service registration and email verification
// (also invitations, recovery and email change):
// it creates the user, issues a verification code and link, mails them,
// and redeems either. It knows nothing of HTTP; the hosted login
// (the pages of internal/login and the JSON API of internal/loginapi)
// drives it.
//
// No account enumeration: Register and Resend answer the same for known
// and unknown addresses, with the same work done (one password hash, one
// mail); only the mailbox learns the real outcome.
//
// Codes and link tokens are stored hashed (store.Verification): codes
// with a keyed HMAC, because six to eight digits are quick to brute-force
// from a plain hash, link tokens (256 random bits) with SHA-256. Codes are
// compared in constant time, inside the store's atomic update, so
// concurrent guesses cannot exceed the attempt limit.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// PurposeVerifyEmail is the verification purpose of a new address.
const PurposeVerifyEmail = "verify_email"

// Config tunes verification. Zero fields take the defaults. The mails
// state the lifetimes from here, so what they say is what the codes and
// links do.
type Config struct {
	CodeTTL        time.Duration // every mailed code, default 15 minutes
	LinkTTL        time.Duration // verification and email-change links, default 24 hours
	ResetLinkTTL   time.Duration // password reset links, default 1 hour
	CodeDigits     int           // 6 to 8, default 6
	MaxAttempts    int           // wrong codes before the code dies, default 5
	ResendCooldown time.Duration // minimum time between two codes for a user, default 60 s
}

// DefaultConfig is the configuration zero fields fall back to.
var DefaultConfig = Config{
	CodeTTL: 15 * time.Minute, LinkTTL: 24 * time.Hour, ResetLinkTTL: time.Hour, CodeDigits: 6, MaxAttempts: 5,
	ResendCooldown: time.Minute,
}

func (c Config) withDefaults() Config {
	d := DefaultConfig
	if c.CodeTTL > 0 {
		d.CodeTTL = c.CodeTTL
	}
	if c.LinkTTL > 0 {
		d.LinkTTL = c.LinkTTL
	}
	if c.ResetLinkTTL > 0 {
		d.ResetLinkTTL = c.ResetLinkTTL
	}
	if c.CodeDigits >= 6 && c.CodeDigits <= 8 {
		d.CodeDigits = c.CodeDigits
	}
	if c.MaxAttempts > 0 {
		d.MaxAttempts = c.MaxAttempts
	}
	if c.ResendCooldown > 0 {
		d.ResendCooldown = c.ResendCooldown
	}
	return d
}

// Service registers and verifies users. Admin, Mail, Templates and Keys
// are required.
type Service struct {
	Directory *directory.Service
	Mail      mail.Sender
	Templates *mail.Templates
	// Keyring derives the code MAC key.
	Keyring *secret.Keyring
	Config  Config
	Now     func() time.Time
	Log     *slog.Logger
	// Events receives user.registered, password.reset, email.changed and,
	// through Record, the account API's password.changed and user.deleted;
	// nil discards them.
	Events events.Recorder
	// Privacy records the purposes a person accepts at registration (the
	// consent ledger); nil asks for none.
	Privacy *privacy.Service

	detached sync.WaitGroup // RecoverDetached's work
}

// Wait returns when the work RecoverDetached started has ended: call it
// on shutdown, before the store closes.
func (s *Service) Wait() { s.detached.Wait() }

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Target is where verification happens: the tenant, its display name and
// the absolute URL of its verify page (the link's ?token= is appended).
type Target struct {
	Scope     *tenancy.Tenant
	Name      string
	VerifyURL string
	// EmailChangeURL is the absolute URL of the page that confirms an
	// email change by link (?token= is appended); "" sends only a code.
	EmailChangeURL string
	// IP is the client's address, recorded with events and shown in the
	// account_exists notice; may be "".
	IP string
}

// Registration is what a new user submits.
type Registration struct {
	Email, Password       string
	GivenName, FamilyName string
	AcceptedTerms         bool
	// AcceptedTermsVersion is the tenant terms version the user accepted;
	// when the tenant has one (Onboarding.TermsVersion) it must match.
	AcceptedTermsVersion string
	// Attributes are the tenant's custom attributes, checked against its
	// attribute schema; may be nil.
	Attributes map[string]any
	// AuthRequestID is continued after verification; may be empty.
	AuthRequestID string
	Lang          string // mail language: "en" or "de"
	// Purposes are the IDs of the tenant's privacy purposes the person
	// ticked: every required one must be among them (field errors on
	// /purposes). UserAgent is recorded with the decisions.
	Purposes  []string
	UserAgent string
	// Region is the region the person picked, for a tenant whose
	// residency policy is choice; "" for none.
	Region string
}

// Errors of Verify*. ErrInvalidCode covers wrong, expired, used and
// exhausted codes and unknown addresses alike.
var (
	ErrInvalidCode = errors.New("onboarding: invalid or expired code")
	ErrInvalidLink = errors.New("onboarding: invalid or expired link")
)

// maxNameLen bounds the given and family name.
const maxNameLen = 100

// Register validates reg and answers with an *identity.ValidationError
// (field errors on /email, /password, /given_name, /family_name, /terms,
// /accept_terms_version, or the tenant's attribute schema) or nil. Validation never depends on
// whether the address is known. Then a new address gets a user (email
// unverified) and a verification mail; a known one gets a notice instead.
func (s *Service) Register(ctx context.Context, tg Target, reg Registration) error {
	u, err := s.checkRegistration(ctx, tg, reg)
	if err != nil {
		return err
	}
	existing, err := tg.Scope.Store.Users().GetByEmail(ctx, tg.Scope.Tenant.ID, u.Email)
	switch {
	case err == nil:
		// The same password hash a new user costs, then a notice.
		if _, err := s.Directory.Hasher.Hash(reg.Password); err != nil {
			return err
		}
		return s.sendNotice(ctx, tg, existing, reg.Lang)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	pw := reg.Password
	if err := s.Directory.CreateUser(ctx, tg.Scope, u, &pw); err != nil {
		if errors.Is(err, store.ErrConflict) {
			// Registered concurrently: the other request sent its mail.
			return nil
		}
		return err
	}
	if err := s.recordRegistration(ctx, tg, u, reg); err != nil {
		return err
	}
	return quietTooSoon(s.mailVerification(ctx, tg, u, reg.AuthRequestID, reg.Lang))
}

// recordRegistration records the new user's privacy decisions and the
// user.registered event. Without its consent record there is no
// account: a failure deletes u.
func (s *Service) recordRegistration(ctx context.Context, tg Target, u *identity.User, reg Registration) error {
	if s.Privacy != nil {
		m := privacy.Meta{IP: tg.IP, UserAgent: reg.UserAgent}
		if err := s.Privacy.RecordRegistration(ctx, tg.Scope, u.ID, reg.Purposes, m); err != nil {
			if derr := tg.Scope.Store.Users().Delete(ctx, tg.Scope.Tenant.ID, u.ID); derr != nil {
				s.log().ErrorContext(ctx, "removing a user whose consent could not be recorded failed", "err", derr)
			}
			return err
		}
	}
	s.Record(ctx, tg, events.UserRegistered, u.ID)
	return nil
}

// checkRegistration validates reg as Register documents, whatever the
// address, and returns the user it would create (no ID yet).
func (s *Service) checkRegistration(ctx context.Context, tg Target, reg Registration) (*identity.User, error) {
	u, ve := newUser(reg.Email, reg.GivenName, reg.FamilyName)
	u.Attributes = reg.Attributes
	if !reg.AcceptedTerms {
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/terms", Message: "must be accepted"})
	}
	if v := tg.Scope.Tenant.Onboarding.TermsVersion; v != "" {
		if reg.AcceptedTermsVersion != v {
			ve.Errors = append(ve.Errors, identity.FieldError{Field: "/accept_terms_version", Message: fmt.Sprintf("must accept the current terms (version %s)", v)})
		} else {
			at := s.now().UTC()
			u.TermsVersion, u.TermsAcceptedAt = v, &at
		}
	}
	if err := s.Directory.CheckPassword(ctx, reg.Password, u); err != nil {
		var pe *identity.ValidationError
		if !errors.As(err, &pe) {
			return nil, err
		}
		ve.Errors = append(ve.Errors, pe.Errors...)
	}
	schema, err := identity.TenantAttributeSchema(tg.Scope.Tenant)
	if err != nil {
		return nil, err
	}
	// Only what the schema lets users set: entitlements (a plan, roles)
	// are undeclared or readOnly, and the Admin API's alone.
	if err := schema.CheckUserWritable(reg.Attributes); err != nil {
		return nil, appendFieldErrors(ve, err)
	}
	if err := validateProfile(schema, u); err != nil {
		var pe *identity.ValidationError
		if !errors.As(err, &pe) {
			return nil, err
		}
		// With other errors, only the attributes' are new: the rest of
		// the profile was checked above.
		others := len(ve.Errors) > 0
		for _, fe := range pe.Errors {
			if !others || strings.HasPrefix(fe.Field, "/attributes") {
				ve.Errors = append(ve.Errors, fe)
			}
		}
	}
	// The tenant's residency policy: the pick, or the request's country.
	ip, _ := netip.ParseAddr(tg.IP)
	if err := s.Directory.PlaceUser(tg.Scope, u, ip, reg.Region); err != nil {
		if _, ok := errors.AsType[*identity.ValidationError](err); !ok {
			return nil, err
		}
		_ = appendFieldErrors(ve, err)
	}
	if s.Privacy != nil {
		if err := s.Privacy.CheckRegistration(ctx, tg.Scope, reg.Purposes); err != nil {
			if _, ok := errors.AsType[*identity.ValidationError](err); !ok {
				return nil, err
			}
			_ = appendFieldErrors(ve, err)
		}
	}
	if len(ve.Errors) > 0 {
		return nil, ve
	}
	return u, nil
}

// newUser is the user a person names: the address normalised, given and
// family name trimmed. The field errors of the three (/email,
// /given_name, /family_name) are in the returned ValidationError, which
// the caller adds to.
func newUser(email, given, family string) (*identity.User, *identity.ValidationError) {
	u := &identity.User{
		Email:   strings.TrimSpace(email),
		Profile: identity.Profile{GivenName: strings.TrimSpace(given), FamilyName: strings.TrimSpace(family)},
	}
	ve := &identity.ValidationError{}
	if email, err := identity.NormalizeEmail(u.Email); err != nil {
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/email", Message: err.Error()})
	} else {
		u.Email = email
	}
	for _, f := range []struct{ name, v string }{{"/given_name", u.Profile.GivenName}, {"/family_name", u.Profile.FamilyName}} {
		if len([]rune(f.v)) > maxNameLen {
			ve.Errors = append(ve.Errors, identity.FieldError{Field: f.name, Message: fmt.Sprintf("must be at most %d characters", maxNameLen)})
		}
	}
	return u, ve
}

// validateProfile checks u against the tenant's attribute schema, so a
// tenant whose schema requires attributes refuses the registration before
// any lookup.
func validateProfile(schema *identity.AttributeSchema, u *identity.User) error {
	c := *u
	if c.Attributes == nil {
		c.Attributes = map[string]any{}
	}
	return identity.ValidateUser(&c, schema)
}

// appendFieldErrors returns ve with the field errors of err, a
// *identity.ValidationError; any other error is returned as it is.
func appendFieldErrors(ve *identity.ValidationError, err error) error {
	pe, ok := errors.AsType[*identity.ValidationError](err)
	if !ok {
		return err
	}
	ve.Errors = append(ve.Errors, pe.Errors...)
	return ve
}

// Resend issues a new code and link to an unverified user, at most once
// per ResendCooldown. It answers nil whether or not the address is known,
// verified or cooling down.
func (s *Service) Resend(ctx context.Context, tg Target, email, authRequestID, lang string) error {
	u, err := userByEmail(ctx, tg.Scope, email)
	if u == nil || err != nil {
		return err
	}
	if u.EmailVerified || u.Disabled {
		return nil
	}
	return quietTooSoon(s.mailVerification(ctx, tg, u, authRequestID, lang))
}

// mailVerification stores a new code and link for u and mails them,
// unless the cool-down since the last ones is still running (*ErrTooSoon).
func (s *Service) mailVerification(ctx context.Context, tg Target, u *identity.User, authRequestID, lang string) error {
	tid := tg.Scope.Tenant.ID
	_, err := s.issue(ctx, tg, u, mailing{purpose: PurposeVerifyEmail, kind: mail.KindVerifyEmail, lang: lang,
		mac:  func(code string) []byte { return s.codeMAC(tid, u.ID, code) },
		page: tg.VerifyURL, linkTTL: s.Config.withDefaults().LinkTTL, bound: authRequestID, cooldown: true})
	return err
}

// send delivers m. A failed delivery is logged, not returned: the page
// must look the same whatever happened to the mail, and the user can ask
// for another.
func (s *Service) send(ctx context.Context, m *mail.Message) error {
	if err := s.Mail.Send(ctx, m); err != nil {
		s.log().ErrorContext(ctx, "onboarding: sending mail failed", "err", err)
	}
	return nil
}

func mailLang(lang string) string {
	if lang == "de" {
		return "de"
	}
	return "en"
}

// newCode returns a uniformly random code of n digits.
func newCode(n int) (string, error) {
	max := big.NewInt(1)
	for range n {
		max.Mul(max, big.NewInt(10))
	}
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

const codePurpose = "onboarding-code"

func (s *Service) codeMAC(tenantID, userID, code string) []byte {
	return s.Keyring.MAC(codePurpose, []byte(tenantID+"\x00"+userID+"\x00"+code))
}

func linkHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
