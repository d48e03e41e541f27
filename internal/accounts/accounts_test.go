package accounts_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
	"github.com/gatehouse-iam/gatehouse/internal/password"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite/sqlitetest"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

const pw = "a long and unguessable passphrase 42"

// syncBuffer is a goroutine-safe console.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

type fixture struct {
	svc     *accounts.Service
	tg      accounts.Target
	clock   *clock.Fake
	console *syncBuffer
	st      store.Store
}

// newFixture wires the service the way the server does without
// GATEHOUSE_SMTP_URL: mail goes to the console sender.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := sqlitetest.Open(t)
	ten := sqlitetest.Tenant(t, st, &identity.Tenant{Slug: "acme", DisplayName: "Acme"})
	keys, err := secret.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	console := &syncBuffer{}
	sender, err := mail.New(mail.Config{}, "", console)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sender.(*mail.Console); !ok {
		t.Fatalf("without an SMTP URL the sender is %T, want the console", sender)
	}
	c := clock.NewFake(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	hasher := &password.Hasher{Params: password.Params{Memory: 8192, Time: 1, Threads: 1,
		SaltLen: password.DefaultParams.SaltLen, KeyLen: password.DefaultParams.KeyLen}}
	svc := &accounts.Service{
		Directory: &directory.Service{Stores: store.Single{S: st}, Hasher: hasher, Keyring: keys, Now: c.Now},
		Mail:      sender, Templates: mail.MustLoadTemplates(), Keyring: keys, Now: c.Now,
		Config: accounts.Config{CodeTTL: 10 * time.Minute},
	}
	return &fixture{svc: svc, clock: c, console: console, st: st,
		tg: accounts.Target{Scope: &tenancy.Tenant{Tenant: ten, Store: st}, Name: "Acme", VerifyURL: "https://id.example.org/verify"}}
}

var codeRe = regexp.MustCompile(`code: ([0-9]{6})`)

func (f *fixture) lastCode(t *testing.T) string {
	t.Helper()
	m := codeRe.FindAllStringSubmatch(f.console.String(), -1)
	if m == nil {
		t.Fatalf("no code on the console:\n%s", f.console.String())
	}
	return m[len(m)-1][1]
}

func TestDevModePrintsTheMailToTheConsole(t *testing.T) {
	f := newFixture(t)
	err := f.svc.Register(t.Context(), f.tg, accounts.Registration{Email: "dev@example.com", Password: pw, AcceptedTerms: true})
	if err != nil {
		t.Fatal(err)
	}
	out := f.console.String()
	for _, want := range []string{"NOT SENT", "To: <dev@example.com>", "https://id.example.org/verify?token="} {
		if !strings.Contains(out, want) {
			t.Errorf("console lacks %q:\n%s", want, out)
		}
	}
	f.lastCode(t)
}

func TestExpiredCodeIsRejected(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: "late@example.com", Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	code := f.lastCode(t)
	f.clock.Advance(10*time.Minute + time.Second)
	if _, err := f.svc.VerifyCode(ctx, f.tg, "late@example.com", code); !errors.Is(err, accounts.ErrInvalidCode) {
		t.Fatalf("expired code: err = %v, want ErrInvalidCode", err)
	}
	// A new code after the cool-down works, and verifies the address.
	if err := f.svc.Resend(ctx, f.tg, "late@example.com", "", "en"); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.VerifyCode(ctx, f.tg, "LATE@example.com", f.lastCode(t))
	if err != nil {
		t.Fatal(err)
	}
	if !v.User.EmailVerified {
		t.Error("email not verified")
	}
}

func TestResendCooldown(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: "r@example.com", Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	n := strings.Count(f.console.String(), "NOT SENT")
	// Within the cool-down: no mail, same answer.
	if err := f.svc.Resend(ctx, f.tg, "r@example.com", "", "en"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(f.console.String(), "NOT SENT"); got != n {
		t.Errorf("resend within the cool-down sent a mail")
	}
	// Unknown addresses answer the same, and get nothing.
	if err := f.svc.Resend(ctx, f.tg, "nobody@example.com", "", "en"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Minute)
	if err := f.svc.Resend(ctx, f.tg, "r@example.com", "", "en"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(f.console.String(), "NOT SENT"); got != n+1 {
		t.Errorf("%d mails after the cool-down, want %d", got, n+1)
	}
}

func TestCodesAndLinksAreStoredHashed(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if err := f.svc.Register(ctx, f.tg, accounts.Registration{Email: "h@example.com", Password: pw, AcceptedTerms: true}); err != nil {
		t.Fatal(err)
	}
	code := f.lastCode(t)
	u, err := f.st.Users().GetByEmail(ctx, f.tg.Scope.Tenant.ID, "h@example.com")
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.st.Verifications().Latest(ctx, f.tg.Scope.Tenant.ID, u.ID, accounts.PurposeVerifyEmail, store.VerificationCode)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(v.Hash, []byte(code)) || len(v.Hash) < 32 {
		t.Errorf("the code is not stored hashed: %x", v.Hash)
	}
}

func TestRegisterValidation(t *testing.T) {
	f := newFixture(t)
	err := f.svc.Register(t.Context(), f.tg, accounts.Registration{Email: "not-an-address", Password: "short"})
	var ve *identity.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a ValidationError", err)
	}
	fields := map[string]bool{}
	for _, fe := range ve.Errors {
		fields[fe.Field] = true
	}
	for _, want := range []string{"/email", "/password", "/terms"} {
		if !fields[want] {
			t.Errorf("no error on %s: %v", want, ve.Errors)
		}
	}
	if strings.Contains(f.console.String(), "NOT SENT") {
		t.Error("an invalid registration sent mail")
	}
}
