package privacy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/google/uuid"
)

// Meta is where a decision was made and by whom.
type Meta struct {
	Channel   string
	IP        string
	UserAgent string
	// ActorID and Evidence: an administrator recording a decision for the
	// user (channel admin) and where it is documented; Evidence is
	// required then.
	ActorID  string
	Evidence string
}

// Item is one purpose with a person's current decision about it.
type Item struct {
	Purpose  store.Purpose
	Decision *store.PurposeDecision // nil when the person never decided
}

// Granted reports whether the person's last decision granted the purpose.
func (it *Item) Granted() bool { return it.Decision != nil && it.Decision.Granted }

// Current reports whether the person granted the purpose's current
// version.
func (it *Item) Current() bool { return it.Granted() && it.Decision.Version == it.Purpose.Version }

// ReconsentRequired: the person must be asked (again): they granted an
// older version, or the purpose is required and not granted.
func (it *Item) ReconsentRequired() bool {
	return (it.Granted() && !it.Current()) || (it.Purpose.Required && !it.Granted())
}

// State returns every purpose of the tenant with the user's decision.
// store.ErrNotFound if the user does not exist.
func (s *Service) State(ctx context.Context, t *tenancy.Tenant, userID string) ([]Item, error) {
	if _, err := t.Store.Users().Get(ctx, t.Tenant.ID, userID); err != nil {
		return nil, err
	}
	ps, err := s.Purposes(ctx, t)
	if err != nil {
		return nil, err
	}
	ds, err := t.Store.Privacy().Decisions(ctx, t.Tenant.ID, userID)
	if err != nil {
		return nil, err
	}
	out := make([]Item, len(ps))
	for i, p := range ps {
		out[i].Purpose = p
		if j := slices.IndexFunc(ds, func(d store.PurposeDecision) bool { return d.PurposeID == p.ID }); j >= 0 {
			out[i].Decision = &ds[j]
		}
	}
	return out, nil
}

// Owed returns the purposes a person must decide on before a sign-in to
// a client completes: those the client requires (required, by ID) that
// they have not granted in the current version, and those ReconsentRequired
// (granted in an older version, or required by the tenant and not
// granted). An ID in required that names no purpose is skipped: a purpose
// deleted since the client named it no longer binds. A tenant without
// purposes costs one query.
func (s *Service) Owed(ctx context.Context, t *tenancy.Tenant, userID string, required []string) ([]Item, error) {
	ps, err := purposes(ctx, t)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	ds, err := t.Store.Privacy().Decisions(ctx, t.Tenant.ID, userID)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, p := range ps {
		it := Item{Purpose: p}
		if j := slices.IndexFunc(ds, func(d store.PurposeDecision) bool { return d.PurposeID == p.ID }); j >= 0 {
			it.Decision = &ds[j]
		}
		if it.ReconsentRequired() || (slices.Contains(required, p.ID) && !it.Current()) {
			out = append(out, it)
		}
	}
	return out, nil
}

// ConsentsClaim is the privacy_consents claim of ID tokens and userinfo
// with the scope privacy (ScopeClaim): purpose ID -> version, for each
// purpose whose current version the user granted. Two indexed reads.
func ConsentsClaim(ctx context.Context, t *tenancy.Tenant, userID string) (map[string]int64, error) {
	ps, err := purposes(ctx, t)
	if err != nil {
		return nil, err
	}
	ds, err := t.Store.Privacy().Decisions(ctx, t.Tenant.ID, userID)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, d := range ds {
		if !d.Granted {
			continue
		}
		if i := slices.IndexFunc(ps, func(p store.Purpose) bool { return p.ID == d.PurposeID }); i >= 0 && ps[i].Version == d.Version {
			out[d.PurposeID] = d.Version
		}
	}
	return out, nil
}

func (m *Meta) check() error {
	switch m.Channel {
	case ChannelRegistration, ChannelPreferenceCentre, ChannelAPI:
	case ChannelAdmin:
		m.Evidence = strings.TrimSpace(m.Evidence)
		if m.Evidence == "" || len([]rune(m.Evidence)) > maxEvidenceLen {
			return &identity.ValidationError{Errors: []identity.FieldError{{Field: "/evidence",
				Message: fmt.Sprintf("must be 1 to %d characters saying where the decision is documented", maxEvidenceLen)}}}
		}
	default:
		return fmt.Errorf("privacy: unknown channel %q", m.Channel)
	}
	if len(m.UserAgent) > maxUserAgentLen {
		m.UserAgent = strings.ToValidUTF8(m.UserAgent[:maxUserAgentLen], "")
	}
	return nil
}

// Decide records the user's decision about the purpose's current
// version: a ledger entry with its signed receipt, an audit event and
// webhook. Withdrawing a required purpose is a *RequiredError; an unknown
// purpose ErrUnknownPurpose; an unknown user store.ErrNotFound.
func (s *Service) Decide(ctx context.Context, t *tenancy.Tenant, userID, purposeID string, granted bool, m Meta) (*store.ConsentEntry, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	p, err := s.Purpose(ctx, t, purposeID)
	if err != nil {
		return nil, err
	}
	if !granted && p.Required {
		return nil, &RequiredError{PurposeID: p.ID}
	}
	if _, err := t.Store.Users().Get(ctx, t.Tenant.ID, userID); err != nil {
		return nil, err
	}
	es, err := s.record(ctx, t, userID, []store.Purpose{*p}, []bool{granted}, m)
	if err != nil {
		return nil, err
	}
	return &es[0], nil
}

// CheckRegistration checks the purposes a person ticked while
// registering, before the account exists: every required purpose must be
// among them (field errors on /purposes), and each must exist.
func (s *Service) CheckRegistration(ctx context.Context, t *tenancy.Tenant, granted []string) error {
	ps, err := s.Purposes(ctx, t)
	if err != nil {
		return err
	}
	ve := &identity.ValidationError{}
	for i, id := range granted {
		if !slices.ContainsFunc(ps, func(p store.Purpose) bool { return p.ID == id }) {
			ve.Errors = append(ve.Errors, identity.FieldError{Field: fmt.Sprintf("/purposes/%d", i), Message: "no such purpose"})
		}
	}
	for _, p := range ps {
		if p.Required && !slices.Contains(granted, p.ID) {
			ve.Errors = append(ve.Errors, identity.FieldError{Field: "/purposes", Message: fmt.Sprintf("the purpose %q (%s) must be accepted", p.ID, p.Name)})
		}
	}
	if len(ve.Errors) > 0 {
		return ve
	}
	return nil
}

// RecordRegistration records a new user's decisions: one entry per
// purpose of the tenant, granted for those ticked and declined for the
// rest, so the ledger shows what was offered. The caller ran
// CheckRegistration first.
func (s *Service) RecordRegistration(ctx context.Context, t *tenancy.Tenant, userID string, granted []string, m Meta) error {
	m.Channel = ChannelRegistration
	if err := m.check(); err != nil {
		return err
	}
	ps, err := s.Purposes(ctx, t)
	if err != nil || len(ps) == 0 {
		return err
	}
	gs := make([]bool, len(ps))
	for i, p := range ps {
		gs[i] = slices.Contains(granted, p.ID)
		if p.Required && !gs[i] {
			return &RequiredError{PurposeID: p.ID}
		}
	}
	_, err = s.record(ctx, t, userID, ps, gs, m)
	return err
}

// record signs and appends one entry per purpose, then announces each.
func (s *Service) record(ctx context.Context, t *tenancy.Tenant, userID string, ps []store.Purpose, granted []bool, m Meta) ([]store.ConsentEntry, error) {
	at := s.now().Truncate(time.Microsecond)
	es := make([]store.ConsentEntry, len(ps))
	for i, p := range ps {
		id, err := uuid.NewV7()
		if err != nil {
			return nil, err
		}
		es[i] = store.ConsentEntry{TenantID: t.Tenant.ID, ID: id.String(), UserID: userID, PurposeID: p.ID,
			PurposeVersion: p.Version, Granted: granted[i], Channel: m.Channel, IP: m.IP, UserAgent: m.UserAgent,
			ActorID: m.ActorID, Evidence: m.Evidence, At: at}
		if es[i].Receipt, err = s.sign(ctx, t, &es[i], &p); err != nil {
			return nil, err
		}
	}
	if err := t.Store.Privacy().Record(ctx, es); err != nil {
		return nil, err
	}
	for i := range es {
		s.announce(ctx, &es[i])
	}
	return es, nil
}

func (s *Service) announce(ctx context.Context, e *store.ConsentEntry) {
	if s.Events == nil {
		return
	}
	typ := EventWithdrawn
	if e.Granted {
		typ = EventGranted
	}
	ev := events.Event{TenantID: e.TenantID, Type: typ, Time: e.At, UserID: e.UserID, ActorID: e.ActorID, IP: e.IP,
		UserAgent: e.UserAgent, Data: map[string]any{"purpose_id": e.PurposeID, "version": e.PurposeVersion,
			"channel": e.Channel, "receipt_id": e.ID}}
	if err := s.Events.Record(ctx, ev); err != nil {
		s.log().ErrorContext(ctx, "recording a privacy decision in the audit log failed", "type", typ, "err", err)
	}
}

// History pages the user's ledger, oldest first. store.ErrNotFound if
// the user does not exist.
func (s *Service) History(ctx context.Context, t *tenancy.Tenant, userID string, pg store.Page) ([]store.ConsentEntry, string, error) {
	if _, err := t.Store.Users().Get(ctx, t.Tenant.ID, userID); err != nil {
		return nil, "", err
	}
	return t.Store.Privacy().History(ctx, t.Tenant.ID, userID, pg)
}

// Receipt returns the user's ledger entry with its receipt;
// store.ErrNotFound if it is not theirs.
func (s *Service) Receipt(ctx context.Context, t *tenancy.Tenant, userID, id string) (*store.ConsentEntry, error) {
	e, err := t.Store.Privacy().Entry(ctx, t.Tenant.ID, userID, id)
	if err != nil {
		return nil, err
	}
	if e.Receipt == "" {
		return nil, errors.New("privacy: ledger entry has no receipt")
	}
	return e, nil
}
