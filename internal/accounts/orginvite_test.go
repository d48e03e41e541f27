package accounts_test

import (
	"context"
	"errors"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var orgInviteTokenRe = regexp.MustCompile(`/invite/organization\?token=([A-Za-z0-9_%-]+)`)

// orgInvite invites email into a new organization of the fixture's
// tenant for ttl and returns the organization and the mailed token.
func (f *fixture) orgInvite(t *testing.T, org *store.Organization, email string, ttl time.Duration) string {
	t.Helper()
	if org.ID == "" {
		org.TenantID = f.tg.Scope.Tenant.ID
		if err := f.st.Organizations().Create(t.Context(), org); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.InviteToOrganization(t.Context(), f.tg, "https://id.example.org/invite/organization",
		accounts.OrgInvitee{Org: org, Email: email, TTL: ttl}); err != nil {
		t.Fatal(err)
	}
	m := orgInviteTokenRe.FindAllStringSubmatch(f.console.String(), -1)
	if m == nil {
		t.Fatalf("no invitation link on the console:\n%s", f.console.String())
	}
	return m[len(m)-1][1]
}

func (f *fixture) userCount(t *testing.T, email string) int {
	t.Helper()
	_, err := f.st.Users().GetByEmail(t.Context(), f.tg.Scope.Tenant.ID, email)
	if errors.Is(err, store.ErrNotFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return 1
}

// RegisterInvited: the address is the invitation's, registration's checks
// apply and a refusal writes nothing, an expired invitation registers
// nobody, an address with an account is never registered again, and of
// two concurrent registrations with one token exactly one succeeds.
// eventLog keeps the events a test's service records.
type eventLog struct {
	mu  sync.Mutex
	evs []events.Event
}

func (l *eventLog) Record(_ context.Context, e events.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evs = append(l.evs, e)
	return nil
}

func (l *eventLog) of(typ string) []events.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []events.Event
	for _, e := range l.evs {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func TestRegisterInvited(t *testing.T) {
	f := newFixture(t)
	log := &eventLog{}
	f.svc.Events = log
	ctx := t.Context()
	org := &store.Organization{Name: "acme-corp"}
	tok := f.orgInvite(t, org, "nia@example.com", time.Hour)
	reg := accounts.Registration{Email: "mallory@example.com", Password: pw, AcceptedTerms: true}

	noTerms := reg
	noTerms.AcceptedTerms = false
	if _, _, err := f.svc.RegisterInvited(ctx, f.tg, tok, noTerms); !errors.As(err, new(*identity.ValidationError)) {
		t.Fatalf("without terms: %v", err)
	}
	short := reg
	short.Password = "short"
	if _, _, err := f.svc.RegisterInvited(ctx, f.tg, tok, short); !errors.As(err, new(*identity.ValidationError)) {
		t.Fatalf("short password: %v", err)
	}
	if f.userCount(t, "nia@example.com") != 0 {
		t.Fatal("a refused registration created the user")
	}

	// Expired: nobody registered.
	f.clock.Advance(2 * time.Hour)
	if _, _, err := f.svc.RegisterInvited(ctx, f.tg, tok, reg); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Fatalf("expired invitation: %v", err)
	}
	if f.userCount(t, "nia@example.com") != 0 {
		t.Fatal("an expired invitation registered the user")
	}

	// Two at once with one token: one account, one membership.
	tok = f.orgInvite(t, org, "nia@example.com", time.Hour)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	users := make([]*identity.User, 2)
	for i := range 2 {
		wg.Go(func() { users[i], _, errs[i] = f.svc.RegisterInvited(ctx, f.tg, tok, reg) })
	}
	wg.Wait()
	var u *identity.User
	for i, err := range errs {
		switch {
		case err == nil && u == nil:
			u = users[i]
		case errors.Is(err, accounts.ErrInvitedAccountExists) || errors.Is(err, accounts.ErrInvalidLink):
		default:
			t.Fatalf("concurrent registrations: %v", errs)
		}
	}
	if u == nil || u.Email != "nia@example.com" || !u.EmailVerified || f.userCount(t, "mallory@example.com") != 0 {
		t.Fatalf("registered %+v (errors %v)", u, errs)
	}
	if _, err := f.st.Organizations().GetMember(ctx, f.tg.Scope.Tenant.ID, org.ID, u.ID); err != nil {
		t.Fatalf("membership: %v", err)
	}
	// The audit trail shows the join, once.
	if joined := log.of(events.OrganizationJoined); len(joined) != 1 || joined[0].UserID != u.ID || joined[0].Data["org_id"] != org.ID {
		t.Fatalf("organization.joined events: %+v", joined)
	}
	// Used up.
	if _, _, err := f.svc.RegisterInvited(ctx, f.tg, tok, reg); !errors.Is(err, accounts.ErrInvalidLink) {
		t.Fatalf("replay: %v", err)
	}

	// An address with an account: refused, the account untouched.
	tok = f.orgInvite(t, &store.Organization{Name: "globex"}, "nia@example.com", time.Hour)
	other := reg
	other.Password = "another long passphrase 7"
	if _, _, err := f.svc.RegisterInvited(ctx, f.tg, tok, other); !errors.Is(err, accounts.ErrInvitedAccountExists) {
		t.Fatalf("existing account: %v", err)
	}
	if ok, err := f.svc.Directory.VerifyPassword(ctx, f.tg.Scope, u.ID, pw); err != nil || !ok {
		t.Fatalf("the account's password changed: %v %v", ok, err)
	}
}
