// Package privacy is the consent ledger (issue 15): the purposes a tenant
// processes personal data for, each person's decisions about them in an
// append-only ledger, and a signed receipt for every decision. The Admin
// API, the account API, registration and the preference centre all go
// through this one service, so every decision is validated, recorded,
// receipted and announced (audit event and webhook) the same way. It
// imports no net/http.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Legal bases (GDPR Art. 6(1) (a), (b), (f), (c)).
const (
	BasisConsent             = "consent"
	BasisContract            = "contract"
	BasisLegitimateInterest  = "legitimate_interest"
	BasisLegalObligation     = "legal_obligation"
	maxNameLen, maxDescLen   = 100, 2000
	maxEvidenceLen           = 1000
	maxUserAgentLen          = 512
	historyPurposesPageLimit = store.MaxLimit
)

// Channels: where a decision was made.
const (
	ChannelRegistration     = "registration"
	ChannelPreferenceCentre = "preference_centre"
	ChannelAPI              = "api"
	ChannelAdmin            = "admin"
)

// Scope is the OAuth scope that puts ConsentsClaim into ID tokens and
// userinfo, as the claim ScopeClaim.
const (
	Scope      = "privacy"
	ScopeClaim = "privacy_consents"
)

// Event types of decisions (events.Event.Type; webhooks deliver them).
const (
	EventGranted   = "privacy.granted"
	EventWithdrawn = "privacy.withdrawn"
)

var validID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Errors. The transports map them to problems.
var (
	// ErrUnknownPurpose: the tenant has no purpose with that ID (404).
	ErrUnknownPurpose = errors.New("privacy: unknown purpose")
	// ErrRequiredPurpose: consent to a required purpose cannot be
	// withdrawn; only deleting the account ends it. Wrapped in a
	// *RequiredError.
	ErrRequiredPurpose = errors.New("privacy: a required purpose cannot be withdrawn")
)

// RequiredError names the required purpose a withdrawal was refused for.
type RequiredError struct{ PurposeID string }

func (e *RequiredError) Error() string {
	return fmt.Sprintf("privacy: the purpose %q is required to have an account; only deleting the account withdraws it", e.PurposeID)
}
func (e *RequiredError) Unwrap() error { return ErrRequiredPurpose }

// Service is the consent ledger.
type Service struct {
	// Keys signs the receipts with the tenant's token-signing key.
	Keys *keys.Manager
	// Events records decisions in the audit log (and so the webhooks);
	// nil records nothing.
	Events events.Recorder
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	Log *slog.Logger
	// Keyring opens users' data keys, to show the sealed personal fields
	// of audit events in a data export; nil shows them sealed.
	Keyring *secret.Keyring

	exports sync.WaitGroup // data export builds (export.go)
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// PurposeInput is the content of a purpose an administrator writes.
type PurposeInput struct {
	Name, Description, LegalBasis string
	Required                      bool
}

func (in *PurposeInput) check(id string, withID bool) error {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	ve := &identity.ValidationError{}
	if withID && !validID.MatchString(id) {
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/id", Message: "must be 1 to 64 lowercase letters, digits, _ or -, starting with a letter or digit"})
	}
	if in.Name == "" || len([]rune(in.Name)) > maxNameLen {
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/name", Message: fmt.Sprintf("must be 1 to %d characters", maxNameLen)})
	}
	if len([]rune(in.Description)) > maxDescLen {
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/description", Message: fmt.Sprintf("must be at most %d characters", maxDescLen)})
	}
	switch in.LegalBasis {
	case BasisConsent, BasisContract, BasisLegitimateInterest, BasisLegalObligation:
	default:
		ve.Errors = append(ve.Errors, identity.FieldError{Field: "/legal_basis", Message: "must be consent, contract, legitimate_interest or legal_obligation"})
	}
	if len(ve.Errors) > 0 {
		return ve
	}
	return nil
}

// CreatePurpose adds a purpose at version 1. store.ErrConflict if the ID
// is taken.
func (s *Service) CreatePurpose(ctx context.Context, t *tenancy.Tenant, id string, in PurposeInput) (*store.Purpose, error) {
	if err := in.check(id, true); err != nil {
		return nil, err
	}
	p := &store.Purpose{TenantID: t.Tenant.ID, ID: id, Name: in.Name, Description: in.Description,
		LegalBasis: in.LegalBasis, Required: in.Required, Version: 1}
	if err := t.Store.Privacy().CreatePurpose(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// material is what a change must alter to ask users again: case and
// white space do not count.
func material(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// ReplacePurpose replaces the purpose's content. A material change of the
// name, description or legal basis bumps the version (bumped reports it),
// which asks the users who agreed to an older one again.
func (s *Service) ReplacePurpose(ctx context.Context, t *tenancy.Tenant, id string, in PurposeInput) (p *store.Purpose, bumped bool, err error) {
	if err := in.check(id, false); err != nil {
		return nil, false, err
	}
	p, err = t.Store.Privacy().UpdatePurpose(ctx, t.Tenant.ID, id, func(p *store.Purpose) error {
		bumped = material(p.Name) != material(in.Name) || material(p.Description) != material(in.Description) || p.LegalBasis != in.LegalBasis
		p.Name, p.Description, p.LegalBasis, p.Required = in.Name, in.Description, in.LegalBasis, in.Required
		if bumped {
			p.Version++
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, ErrUnknownPurpose
	}
	return p, bumped, err
}

// DeletePurpose removes the purpose; the ledger keeps its entries.
func (s *Service) DeletePurpose(ctx context.Context, t *tenancy.Tenant, id string) error {
	err := t.Store.Privacy().DeletePurpose(ctx, t.Tenant.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrUnknownPurpose
	}
	return err
}

// Purpose returns one purpose, or ErrUnknownPurpose.
func (s *Service) Purpose(ctx context.Context, t *tenancy.Tenant, id string) (*store.Purpose, error) {
	p, err := t.Store.Privacy().GetPurpose(ctx, t.Tenant.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrUnknownPurpose
	}
	return p, err
}

// Purposes returns all the tenant's purposes, ordered by ID.
func (s *Service) Purposes(ctx context.Context, t *tenancy.Tenant) ([]store.Purpose, error) {
	return purposes(ctx, t)
}

func purposes(ctx context.Context, t *tenancy.Tenant) ([]store.Purpose, error) {
	var all []store.Purpose
	pg := store.Page{Limit: historyPurposesPageLimit}
	for {
		items, next, err := t.Store.Privacy().ListPurposes(ctx, t.Tenant.ID, pg)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		pg.After = next
	}
}
