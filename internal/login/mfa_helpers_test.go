package login_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// newFakeClock is the MFA service's and the login's clock in these
// tests: it starts at the beginning of a TOTP step and moves only when
// told.
func newFakeClock() *clock.Fake {
	return clock.NewFake(time.Now().UTC().Truncate(30 * time.Second))
}

// newMFAEnv is a server whose MFA service and login run on clock; rec,
// when given, receives the login's events.
func newMFAEnv(t *testing.T, clock *clock.Fake, rec ...events.Recorder) *env {
	t.Helper()
	o := testserver.Options{LoopbackIssuer: true, Now: clock.Now}
	if len(rec) > 0 {
		o.Events = rec[0]
	}
	srv := testserver.New(t, o)
	quietRisk(t, srv)
	return &env{t: t, srv: srv}
}

// eventLog keeps the types of recorded events.
type eventLog struct {
	mu    sync.Mutex
	types []string
}

func (l *eventLog) Record(_ context.Context, e events.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.types = append(l.types, e.Type)
	return nil
}

func (l *eventLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.types
	l.types = nil
	return out
}

// setMFAPolicy sets a tenant's MFA policy. Set it before the tenant's
// first authorization request: the provider caches tenants briefly.
func (e *env) setMFAPolicy(tenant string, p identity.MFAPolicy) {
	e.t.Helper()
	if _, err := e.srv.App.Directory.UpdateTenant(context.Background(), tenant, 0, func(t *identity.Tenant) error {
		t.MFA = p
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
}

// mfaTarget is the mfa service's view of a tenant.
func (e *env) mfaTarget(tenant string) mfa.Target {
	e.t.Helper()
	sc, err := e.srv.App.Directory.Resolve(context.Background(), tenant)
	if err != nil {
		e.t.Fatal(err)
	}
	return mfa.Target{Tenant: sc.Tenant, Store: sc.Store, Issuer: e.issuer(tenant)}
}

var secretRe = regexp.MustCompile(`id="totp-secret"[^>]*>([A-Z2-7]+)<`)

// totpSecret reads the secret shown on the enrolment page.
func totpSecret(t *testing.T, r *resp) string {
	t.Helper()
	m := secretRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no TOTP secret on %s (%d): %.2000s", r.url, r.status, r.body)
	}
	return m[1]
}

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// expectPath checks that r redirects to path (on the same server) and
// follows it.
func (b *browser) expectRedirect(r *resp, path string) *resp {
	b.t.Helper()
	loc := r.location(b.t)
	if loc.Path != path {
		b.t.Fatalf("redirected to %s, want %s", loc, path)
	}
	return b.get(loc.String())
}

// enrolAtSignIn completes the enrolment page r: TOTP with the clock's
// code, then the recovery codes page; it returns the secret and the
// response to "Continue".
func (b *browser) enrolAtSignIn(r *resp, clock *clock.Fake) (string, *resp) {
	b.t.Helper()
	secret := totpSecret(b.t, r)
	codes := b.submit(r, r.form(b.t, "enrolment", "code"), "code", totpCode(b.t, secret, clock.Now()))
	if codes.status != http.StatusOK || strings.Count(codes.body, "<li><code>") != 10 {
		b.t.Fatalf("after enrolment: %d, want 10 recovery codes: %.2000s", codes.status, codes.body)
	}
	m := regexp.MustCompile(`id="continue" href="([^"]+)"`).FindStringSubmatch(codes.body)
	if m == nil {
		b.t.Fatal("no continue link")
	}
	next, err := codes.url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	if err != nil {
		b.t.Fatal(err)
	}
	return secret, b.get(next.String())
}

// answerCode submits code on the second-factor page r.
func (b *browser) answerCode(r *resp, code string, extra ...string) *resp {
	b.t.Helper()
	return b.submit(r, r.form(b.t, "challenge", "code"), append([]string{"code", code}, extra...)...)
}

// idClaims redeems a code and returns the ID token's acr and amr,
// verified by go-oidc against the tenant's discovery document.
func (e *env) idClaims(a *authz, code string) (string, []string) {
	e.t.Helper()
	status, tk := e.tokenRequest(a.client, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {a.client.redirectURI},
		"code_verifier": {a.verifier},
	})
	if status != http.StatusOK || tk.IDToken == "" {
		e.t.Fatalf("token exchange: %d %+v", status, tk)
	}
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, e.issuer(a.client.tenant))
	if err != nil {
		e.t.Fatal(err)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: a.client.id}).Verify(ctx, tk.IDToken)
	if err != nil {
		e.t.Fatalf("ID token: %v", err)
	}
	var c struct {
		ACR string   `json:"acr"`
		AMR []string `json:"amr"`
	}
	if err := idt.Claims(&c); err != nil {
		e.t.Fatal(err)
	}
	return c.ACR, c.AMR
}

func (e *env) wantACR(a *authz, r *resp, acr string, amr ...string) {
	e.t.Helper()
	gotACR, gotAMR := e.idClaims(a, a.callback(e.t, r))
	if gotACR != acr || !slices.Equal(gotAMR, amr) {
		e.t.Fatalf("ID token acr %q amr %v, want %q %v", gotACR, gotAMR, acr, amr)
	}
}
