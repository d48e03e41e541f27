package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Data export (issue 15, GDPR Art. 15 and 20): a JSON copy of what is
// held about one person, built in the background and kept ExportTTL.
// The document carries no secret: factors are metadata only (never
// Data), sessions carry no token hash, and no password, refresh token or
// recovery code is read at all.

// ExportTTL is how long an export is kept; the maintenance job deletes it after.
const ExportTTL = 7 * 24 * time.Hour

// ExportFormat names the document's layout.
const ExportFormat = "gatehouse-export/1"

// ErrUnknownExport: no such export of this user, or it expired (404).
var ErrUnknownExport = errors.New("privacy: unknown or expired export")

const exportBuildTimeout = 5 * time.Minute

// WaitExports blocks until every export build started so far has
// finished (tests, shutdown).
func (s *Service) WaitExports() { s.exports.Wait() }

// Start records a pending export of the user and builds it in the
// background. store.ErrNotFound if the user does not exist.
func (x *Service) StartExport(ctx context.Context, t *tenancy.Tenant, userID string) (*store.DataExport, error) {
	e := x.newExport(t, userID)
	if err := t.Store.Exports().CreateExport(ctx, e); err != nil {
		return nil, err
	}
	x.build(ctx, t, e)
	return e, nil
}

func (x *Service) newExport(t *tenancy.Tenant, userID string) *store.DataExport {
	now := x.now()
	return &store.DataExport{TenantID: t.Tenant.ID, UserID: userID, Status: store.ExportPending, CreatedAt: now, ExpiresAt: now.Add(ExportTTL)}
}

// build fills the pending export e in the background. A build cut short
// by the node stopping leaves e pending; the maintenance job marks it
// failed once StaleExportAfter has passed (FailStaleExports).
func (x *Service) build(ctx context.Context, t *tenancy.Tenant, e *store.DataExport) {
	x.exports.Add(1)
	go func() {
		defer x.exports.Done()
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), exportBuildTimeout)
		defer cancel()
		status, doc := store.ExportReady, ""
		b, err := x.BuildExport(bctx, t, e.UserID)
		if err == nil {
			doc = string(b)
		} else {
			status = store.ExportFailed
			x.log().Error("privacy: data export failed", "tenant", t.Tenant.ID, "export", e.ID, "err", err)
		}
		if err := t.Store.Exports().FinishExport(bctx, t.Tenant.ID, e.ID, status, doc); err != nil {
			x.log().Error("privacy: saving data export", "tenant", t.Tenant.ID, "export", e.ID, "err", err)
		}
	}()
}

// StaleExportAfter is when a still-pending export counts as interrupted:
// a build that has not finished by then was cut off by its node stopping.
const StaleExportAfter = exportBuildTimeout + time.Minute

// OwnExportEvery is how often people may start an export of their own
// data: a build reads everything held about them, so a second start
// within this time is refused (429 with Retry-After) rather than queued.
// Administrators' exports are not limited.
const OwnExportEvery = 5 * time.Minute

// ErrTooSoon is StartOwnExport's refusal: the person started one less
// than OwnExportEvery ago.
type ErrTooSoon struct{ RetryAfter time.Duration }

func (e *ErrTooSoon) Error() string { return "privacy: an export was started moments ago" }

// StartOwnExport is StartExport for the person themselves, at most once
// per OwnExportEvery.
func (x *Service) StartOwnExport(ctx context.Context, t *tenancy.Tenant, userID string) (*store.DataExport, error) {
	e := x.newExport(t, userID)
	// The check and the insert are one transaction: two requests at once
	// cannot both start one.
	last, err := t.Store.Exports().CreateExportUnlessRecent(ctx, e, e.CreatedAt.Add(-OwnExportEvery))
	if errors.Is(err, store.ErrConflict) {
		wait := last.Add(OwnExportEvery).Sub(e.CreatedAt)
		return nil, &ErrTooSoon{RetryAfter: max(wait, time.Second)}
	}
	if err != nil {
		return nil, err
	}
	x.build(ctx, t, e)
	return e, nil
}

// Get returns the user's export; ErrUnknownExport if it is another
// user's, absent or expired.
func (x *Service) Export(ctx context.Context, t *tenancy.Tenant, userID, id string) (*store.DataExport, error) {
	e, err := t.Store.Exports().GetExport(ctx, t.Tenant.ID, userID, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !x.now().Before(e.ExpiresAt)) {
		return nil, ErrUnknownExport
	}
	return e, err
}

type exportDoc struct {
	Format        string           `json:"format"`
	GeneratedAt   time.Time        `json:"generated_at"`
	Tenant        exportTenant     `json:"tenant"`
	Profile       exportProfile    `json:"profile"`
	Identities    []exportIdentity `json:"identities"`
	MFAFactors    []exportFactor   `json:"mfa_factors"`
	Sessions      []exportSession  `json:"sessions"`
	OAuthConsents []exportConsent  `json:"oauth_consents"`
	Privacy       exportPrivacy    `json:"privacy"`
	Devices       []exportSeen     `json:"devices"`
	Countries     []exportSeen     `json:"countries"`
	AuditEvents   []exportEvent    `json:"audit_events"`
}

type exportTenant struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type exportProfile struct {
	ID              string           `json:"id"`
	Email           string           `json:"email"`
	EmailVerified   bool             `json:"email_verified"`
	Username        string           `json:"username,omitempty"`
	Phone           string           `json:"phone,omitempty"`
	PhoneVerified   bool             `json:"phone_verified"`
	Profile         identity.Profile `json:"profile"`
	Attributes      map[string]any   `json:"attributes,omitempty"`
	Disabled        bool             `json:"disabled"`
	TermsVersion    string           `json:"terms_version,omitempty"`
	TermsAcceptedAt *time.Time       `json:"terms_accepted_at,omitempty"`
	HasPassword     bool             `json:"has_password"`
	CreatedAt       time.Time        `json:"created_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
}

type exportIdentity struct {
	ConnectionID string     `json:"connection_id"`
	Subject      string     `json:"subject"`
	Email        string     `json:"email,omitempty"`
	LinkedAt     time.Time  `json:"linked_at"`
	LastUsedAt   *time.Time `json:"last_used_at,omitempty"`
}

type exportFactor struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Name       string     `json:"name,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

type exportSession struct {
	ID         string    `json:"id"`
	IP         string    `json:"ip,omitempty"`
	UserAgent  string    `json:"user_agent,omitempty"`
	AuthTime   time.Time `json:"auth_time"`
	AMR        []string  `json:"amr,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

type exportConsent struct {
	ClientID  string    `json:"client_id"`
	Scopes    []string  `json:"scopes"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type exportPrivacy struct {
	Decisions []store.PurposeDecision `json:"decisions"`
	Ledger    []exportEntry           `json:"ledger"`
}

type exportEntry struct {
	ReceiptID      string    `json:"receipt_id"`
	PurposeID      string    `json:"purpose_id"`
	PurposeVersion int64     `json:"purpose_version"`
	Granted        bool      `json:"granted"`
	Channel        string    `json:"channel"`
	IP             string    `json:"ip,omitempty"`
	UserAgent      string    `json:"user_agent,omitempty"`
	Evidence       string    `json:"evidence,omitempty"`
	At             time.Time `json:"at"`
	Receipt        string    `json:"receipt"`
}

type exportSeen struct {
	Value string    `json:"value"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	Count int64     `json:"count"`
}

type exportEvent struct {
	ID        string          `json:"id"`
	Time      time.Time       `json:"time"`
	Type      string          `json:"type"`
	ActorID   string          `json:"actor_id,omitempty"`
	IP        string          `json:"ip,omitempty"`
	UserAgent string          `json:"user_agent,omitempty"`
	Decision  string          `json:"decision,omitempty"`
	Reasons   json.RawMessage `json:"reasons,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
}

// pages collects every page of a list.
func pages[T any](list func(store.Page) ([]T, string, error)) ([]T, error) {
	out := []T{}
	pg := store.Page{Limit: store.MaxLimit}
	for {
		items, next, err := list(pg)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if next == "" {
			return out, nil
		}
		pg.After = next
	}
}

// Build makes the export document of the user (JSON).
func (x *Service) BuildExport(ctx context.Context, t *tenancy.Tenant, userID string) ([]byte, error) {
	st, tid := t.Store, t.Tenant.ID
	u, err := st.Users().Get(ctx, tid, userID)
	if err != nil {
		return nil, err
	}
	_, perr := st.Passwords().Get(ctx, tid, userID)
	if perr != nil && !errors.Is(perr, store.ErrNotFound) {
		return nil, perr
	}
	d := exportDoc{Format: ExportFormat, GeneratedAt: x.now(),
		Tenant: exportTenant{ID: t.Tenant.ID, Slug: t.Tenant.Slug, Name: t.Tenant.DisplayName},
		Profile: exportProfile{ID: u.ID, Email: u.Email, EmailVerified: u.EmailVerified, Username: u.Username,
			Phone: u.Phone, PhoneVerified: u.PhoneVerified, Profile: u.Profile, Attributes: u.Attributes,
			Disabled: u.Disabled, TermsVersion: u.TermsVersion, TermsAcceptedAt: u.TermsAcceptedAt,
			HasPassword: perr == nil, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt},
		Identities: []exportIdentity{}, MFAFactors: []exportFactor{}, Sessions: []exportSession{},
		OAuthConsents: []exportConsent{}, Devices: []exportSeen{}, Countries: []exportSeen{}, AuditEvents: []exportEvent{},
		Privacy: exportPrivacy{Ledger: []exportEntry{}},
	}
	ids, err := st.Connections().Identities(ctx, tid, userID)
	if err != nil {
		return nil, err
	}
	for _, fi := range ids {
		d.Identities = append(d.Identities, exportIdentity{ConnectionID: fi.ConnectionID, Subject: fi.Subject,
			Email: fi.Email, LinkedAt: fi.LinkedAt, LastUsedAt: fi.LastUsedAt})
	}
	fs, err := st.MFA().ListFactors(ctx, tid, userID)
	if err != nil {
		return nil, err
	}
	for _, f := range fs { // never f.Data: it holds the secrets
		d.MFAFactors = append(d.MFAFactors, exportFactor{ID: f.ID, Type: string(f.Type), Name: f.Name,
			CreatedAt: f.CreatedAt, LastUsedAt: f.LastUsedAt})
	}
	ss, err := pages(func(p store.Page) ([]oauth.Session, string, error) {
		return st.Sessions().ListByUser(ctx, tid, userID, p)
	})
	if err != nil {
		return nil, err
	}
	for _, s := range ss { // never the token hash
		d.Sessions = append(d.Sessions, exportSession{ID: s.ID, IP: s.IP, UserAgent: s.UserAgent, AuthTime: s.AuthTime,
			AMR: s.AMR, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt})
	}
	cs, err := pages(func(p store.Page) ([]oauth.Consent, string, error) {
		return st.Consents().ListByUser(ctx, tid, userID, p)
	})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		d.OAuthConsents = append(d.OAuthConsents, exportConsent{ClientID: c.ClientID, Scopes: c.Scopes, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt})
	}
	if d.Privacy.Decisions, err = st.Privacy().Decisions(ctx, tid, userID); err != nil {
		return nil, err
	}
	if d.Privacy.Decisions == nil {
		d.Privacy.Decisions = []store.PurposeDecision{}
	}
	es, err := pages(func(p store.Page) ([]store.ConsentEntry, string, error) {
		return st.Privacy().History(ctx, tid, userID, p)
	})
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		d.Privacy.Ledger = append(d.Privacy.Ledger, exportEntry{ReceiptID: e.ID, PurposeID: e.PurposeID, PurposeVersion: e.PurposeVersion,
			Granted: e.Granted, Channel: e.Channel, IP: e.IP, UserAgent: e.UserAgent, Evidence: e.Evidence, At: e.At, Receipt: e.Receipt})
	}
	h, err := st.Risk().History(ctx, tid, userID)
	if err != nil {
		return nil, err
	}
	for _, s := range h.Devices {
		d.Devices = append(d.Devices, exportSeen{Value: s.Value, First: s.First, Last: s.Last, Count: s.Count})
	}
	for _, s := range h.Countries {
		d.Countries = append(d.Countries, exportSeen{Value: s.Value, First: s.First, Last: s.Last, Count: s.Count})
	}
	evs, err := pages(func(p store.Page) ([]store.AuditRecord, string, error) {
		return st.Audit().List(ctx, tid, store.AuditFilter{UserID: userID}, p)
	})
	if err != nil {
		return nil, err
	}
	// Personal fields are sealed with the person's key (crypto-shredding);
	// the export shows them opened.
	if _, err := audit.OpenRecords(ctx, x.Keyring, st, evs); err != nil {
		return nil, err
	}
	for _, r := range evs {
		d.AuditEvents = append(d.AuditEvents, exportEvent{ID: r.ID, Time: r.Time, Type: r.Type, ActorID: r.ActorID, IP: r.IP,
			UserAgent: r.UserAgent, Decision: r.Decision, Reasons: rawOrNil(r.Reasons), Data: rawOrNil(r.Data)})
	}
	return json.Marshal(d)
}

func rawOrNil(s string) json.RawMessage {
	if s == "" || s == "[]" || s == "{}" || !json.Valid([]byte(s)) {
		return nil
	}
	return json.RawMessage(s)
}
