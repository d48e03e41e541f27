package rekey_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/clock"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/rekey"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

const (
	keyA = "rekey-test-master-key-A-0123456789abcdef"
	keyB = "rekey-test-master-key-B-0123456789abcdef"
	keyC = "rekey-test-master-key-C-0123456789abcdef"
)

// world is what the test creates under key A: one of every secret
// Gatehouse seals or keys a hash of.
type world struct {
	db                       string
	clk                      *clock.Fake // the MFA service's; each check advances it a minute (a TOTP code works once)
	adminToken, apiKey       string
	clientID, clientSecret   string
	userID                   string
	totpSecret, enrolSecret  string
	enrolID                  string
	recovery                 []string
	device                   string
	smsSecret                string
	webhookID, webhookSecret string
}

func open(t *testing.T, w *world, key, old string) (*app.App, error) {
	t.Helper()
	env := map[string]string{
		"GATEHOUSE_DATABASE":       w.db,
		"GATEHOUSE_DATA_DIR":       t.TempDir(),
		"GATEHOUSE_SECRET_KEY":     key,
		"GATEHOUSE_SECRET_KEY_OLD": old,
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return app.Open(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Migrate: true, Now: w.clk.Now})
}

func mustOpen(t *testing.T, w *world, key, old string) *app.App {
	t.Helper()
	a, err := open(t, w, key, old)
	if err != nil {
		t.Fatalf("open with key %.22s (old %.22s): %v", key, old, err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

type scope struct {
	sc *tenancy.Tenant
	tg mfa.Target
	u  *identity.User
}

func resolve(t *testing.T, a *app.App, w *world) scope {
	t.Helper()
	ctx := t.Context()
	sc, err := a.Directory.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	s := scope{sc: sc, tg: mfa.Target{Tenant: sc.Tenant, Store: sc.Store, Issuer: "http://localhost:8080"}}
	if w.userID != "" {
		if s.u, err = sc.Store.Users().Get(ctx, sc.Tenant.ID, w.userID); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// create makes the world under key A.
func create(t *testing.T, dbURL string) *world {
	ctx := t.Context()
	w := &world{db: dbURL, clk: clock.NewFake(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))}
	a := mustOpen(t, w, keyA, "")
	auth, generated, err := a.Directory.Bootstrap(ctx, "")
	if err != nil || generated == "" || auth == nil {
		t.Fatalf("bootstrap: %q %v", generated, err)
	}
	w.adminToken = generated
	s := resolve(t, a, w)
	u := &identity.User{Email: "ada@example.org", EmailVerified: true}
	if err := a.Directory.CreateUser(ctx, s.sc, u, nil); err != nil {
		t.Fatal(err)
	}
	w.userID, s.u = u.ID, u
	c := &oauth.Client{ClientName: "Billing", GrantTypes: []string{"client_credentials"}, TokenEndpointAuthMethod: "client_secret_basic"}
	if w.clientSecret, err = a.Directory.CreateClient(ctx, s.sc, c); err != nil {
		t.Fatal(err)
	}
	w.clientID = c.ID
	if _, w.apiKey, err = a.Directory.CreateAPIKey(ctx, s.sc, "ops", []string{"admin"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.SigningKeys.JWKS(ctx, s.sc.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	w.webhookID, w.webhookSecret = "wh-rekey", audit.NewSecret()
	sealed, err := audit.SealSecret(a.Keyring, s.sc.Tenant.ID, w.webhookID, w.webhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.sc.Store.Webhooks().Create(ctx, &store.Webhook{TenantID: s.sc.Tenant.ID, ID: w.webhookID,
		URL: "https://hooks.example.org/in", SecretSealed: sealed, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	connSealed, err := federation.SealSecrets(a.Keyring, s.sc.Tenant.ID, "corp", federation.Secrets{BindPassword: "bind-pw"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.sc.Store.Connections().Create(ctx, &store.Connection{TenantID: s.sc.Tenant.ID, ID: "corp", Type: "ldap",
		DisplayName: "Corp", SecretsSealed: connSealed}); err != nil {
		t.Fatal(err)
	}
	enrol, err := a.MFA.BeginTOTP(ctx, s.tg, u)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(enrol.Secret, w.clk.Advance(time.Minute))
	if _, err := a.MFA.ConfirmTOTP(ctx, s.tg, u, enrol.ID, code, "phone"); err != nil {
		t.Fatal(err)
	}
	w.totpSecret = enrol.Secret
	// A second enrolment stays pending across the rotation.
	pending, err := a.MFA.BeginTOTP(ctx, s.tg, u)
	if err != nil {
		t.Fatal(err)
	}
	w.enrolID, w.enrolSecret = pending.ID, pending.Secret
	if w.recovery, err = a.MFA.GenerateRecoveryCodes(ctx, s.tg, u); err != nil {
		t.Fatal(err)
	}
	if w.device, _, err = a.MFA.RememberDevice(ctx, s.tg, u.ID, 30); err != nil {
		t.Fatal(err)
	}
	w.smsSecret = a.MFA.SMSWebhookSecret(s.sc.Tenant.ID)
	// An event about the user: its address is sealed with the user's data
	// key (crypto-shredding), itself sealed with the master key.
	if err := a.Events.Record(ctx, events.Event{TenantID: s.sc.Tenant.ID, Type: "login.failed", UserID: u.ID, IP: "192.0.2.77"}); err != nil {
		t.Fatal(err)
	}
	check(t, a, w, "under key A")
	return w
}

// check proves that every secret of the world still works with a.
func check(t *testing.T, a *app.App, w *world, when string) {
	t.Helper()
	ctx := t.Context()
	s := resolve(t, a, w)
	auth, generated, err := a.Directory.Bootstrap(ctx, "")
	if err != nil || generated != "" {
		t.Fatalf("%s: bootstrap: %q %v", when, generated, err)
	}
	for name, token := range map[string]string{"admin token": w.adminToken, "API key": w.apiKey} {
		if _, err := auth.Authenticate(ctx, token); err != nil {
			t.Errorf("%s: the %s is refused: %v", when, name, err)
		}
	}
	c, err := s.sc.Store.Clients().Get(ctx, s.sc.Tenant.ID, w.clientID)
	if err != nil || !a.Directory.VerifyClientSecret(c, w.clientSecret) {
		t.Errorf("%s: the client secret is refused (%v)", when, err)
	}
	k, err := a.SigningKeys.Active(ctx, s.sc.Tenant.ID, keys.ES256)
	if err != nil {
		t.Errorf("%s: signing key: %v", when, err)
	} else if _, err := k.SignJWT(true, []byte(`{"sub":"x"}`)); err != nil {
		t.Errorf("%s: signing: %v", when, err)
	}
	if _, err := a.SigningKeys.Active(ctx, s.sc.Tenant.ID, keys.RS256); err != nil {
		t.Errorf("%s: RS256 key: %v", when, err)
	}
	hook, err := s.sc.Store.Webhooks().Get(ctx, s.sc.Tenant.ID, w.webhookID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := audit.OpenSecret(a.Keyring, hook); err != nil || got != w.webhookSecret {
		t.Errorf("%s: webhook secret: %v", when, err)
	}
	conn, err := s.sc.Store.Connections().Get(ctx, s.sc.Tenant.ID, "corp")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := federation.OpenSecrets(a.Keyring, conn); err != nil || got.BindPassword != "bind-pw" {
		t.Errorf("%s: connection secrets: %v", when, err)
	}
	code, _ := totp.GenerateCode(w.totpSecret, w.clk.Advance(time.Minute))
	if _, err := a.MFA.VerifyCode(ctx, s.tg, s.u, code); err != nil {
		t.Errorf("%s: TOTP code refused: %v", when, err)
	}
	if len(w.recovery) == 0 {
		t.Fatal("out of recovery codes")
	}
	if _, err := a.MFA.VerifyCode(ctx, s.tg, s.u, w.recovery[0]); err != nil {
		t.Errorf("%s: recovery code refused: %v", when, err)
	}
	w.recovery = w.recovery[1:]
	if !a.MFA.DeviceRemembered(ctx, s.tg, w.userID, w.device) {
		t.Errorf("%s: the remembered device is forgotten", when)
	}
	if got := a.MFA.SMSWebhookSecret(s.sc.Tenant.ID); got != w.smsSecret {
		t.Errorf("%s: the SMS webhook secret changed", when)
	}
	evs, _, err := s.sc.Store.Audit().List(ctx, s.sc.Tenant.ID, store.AuditFilter{UserID: w.userID, Type: "login.failed"}, store.Page{})
	if err != nil || len(evs) != 1 {
		t.Fatalf("%s: events: %v %d", when, err, len(evs))
	}
	if erased, err := audit.OpenRecords(ctx, a.Keyring, s.sc.Store, evs); err != nil || erased[0] || evs[0].IP != "192.0.2.77" {
		t.Errorf("%s: the sealed address does not open: %v %v %q", when, err, erased, evs[0].IP)
	}
}

func rotate(t *testing.T, a *app.App, dryRun bool) *rekey.Report {
	t.Helper()
	rep, err := rekey.Rotate(t.Context(), a.DB, a.Keyring, dryRun)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func counts(rep *rekey.Report) map[store.SealedKind][2]int {
	out := map[store.SealedKind][2]int{}
	for _, c := range rep.Counts {
		out[c.Kind] = [2]int{c.Resealed, c.Current}
	}
	return out
}

// Key A is replaced by B: with A as the previous key everything works
// before and after the rotation; once rotated, B alone opens everything,
// every credential still authenticates, and A alone opens nothing; a
// second rotation to C carries the same credentials on.
func TestRotation(t *testing.T) {
	for _, engine := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "gatehouse.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.SchemaURL(t, "gh_rekey") }},
	} {
		t.Run(engine.name, func(t *testing.T) {
			t.Parallel()
			testRotation(t, engine.url(t))
		})
	}
}

func testRotation(t *testing.T, dbURL string) {
	w := create(t, dbURL)

	// Without the old key and before a rotation, what A sealed is lost:
	// this is what GATEHOUSE_SECRET_KEY_OLD and the rotation are for.
	bOnly := mustOpen(t, w, keyB, "")
	s := resolve(t, bOnly, w)
	hook, _ := s.sc.Store.Webhooks().Get(t.Context(), s.sc.Tenant.ID, w.webhookID)
	if _, err := audit.OpenSecret(bOnly.Keyring, hook); err == nil {
		t.Fatal("B alone opened a secret sealed under A")
	}
	c, _ := s.sc.Store.Clients().Get(t.Context(), s.sc.Tenant.ID, w.clientID)
	if bOnly.Directory.VerifyClientSecret(c, w.clientSecret) {
		t.Fatal("B alone verified a client secret hashed under A before any rotation")
	}
	_ = bOnly.Close()

	ba := mustOpen(t, w, keyB, keyA)
	check(t, ba, w, "under B with A as previous key")

	dry := rotate(t, ba, true)
	if dry.Done || !dry.CarriedStored {
		t.Fatalf("dry run: %+v", dry)
	}
	s = resolve(t, ba, w)
	signingKeys, err := s.sc.Store.SigningKeys().List(t.Context(), s.sc.Tenant.ID)
	if err != nil || len(signingKeys) < 2 {
		t.Fatalf("signing keys: %d %v", len(signingKeys), err)
	}
	rep := rotate(t, ba, false)
	want := map[store.SealedKind][2]int{
		store.SealedSigningKeys:          {len(signingKeys), 0},
		store.SealedWebhookSecrets:       {1, 0},
		store.SealedMFAFactors:           {1, 1}, // the TOTP factor; recovery codes seal nothing
		store.SealedMFAChallenges:        {2, 0}, // the pending enrolment, and the confirmed one (kept until purged)
		store.SealedIdempotencyResponses: {0, 0}, // TestRotationKeepsIdempotentReplays has one
		store.SealedConnectionSecrets:    {1, 0},
		store.SealedSAMLCerts:            {0, 0},
		store.SealedUserDataKeys:         {1, 0},
	}
	if got := counts(rep); !rep.Done || !rep.CarriedStored || len(got) != len(want) {
		t.Fatalf("rotation: %+v", rep)
	} else {
		for kind, n := range want {
			if got[kind] != n {
				t.Errorf("%s: resealed/current = %v, want %v", kind, got[kind], n)
			}
		}
	}
	if dry := counts(dry); dry[store.SealedSigningKeys] != want[store.SealedSigningKeys] {
		t.Errorf("the dry run counted %v signing keys to reseal, the rotation %v", dry[store.SealedSigningKeys], want[store.SealedSigningKeys])
	}
	again := rotate(t, ba, false)
	for _, c := range again.Counts {
		if c.Resealed != 0 || len(c.Failed) != 0 {
			t.Errorf("a second run resealed again: %+v", c)
		}
	}
	if !again.Done || again.CarriedStored {
		t.Errorf("second run: %+v", again)
	}
	check(t, ba, w, "under B with A, after the rotation")
	_ = ba.Close()

	b := mustOpen(t, w, keyB, "")
	check(t, b, w, "under B alone")
	s = resolve(t, b, w)
	code, _ := totp.GenerateCode(w.enrolSecret, w.clk.Advance(time.Minute))
	if _, err := b.MFA.ConfirmTOTP(t.Context(), s.tg, s.u, w.enrolID, code, "tablet"); err != nil {
		t.Errorf("the enrolment pending during the rotation cannot be confirmed: %v", err)
	}
	_ = b.Close()

	// The old key is of no use any more: it opens nothing (and the
	// process refuses to start with it rather than hash under it).
	if a, err := open(t, w, keyA, ""); !errors.Is(err, rekey.ErrWrongKey) {
		if a != nil {
			_ = a.Close()
		}
		t.Fatalf("open under the retired key A: %v, want ErrWrongKey", err)
	}

	cb := mustOpen(t, w, keyC, keyB)
	if rep := rotate(t, cb, false); !rep.Done || !rep.CarriedStored {
		t.Fatalf("second rotation: %+v", rep)
	}
	_ = cb.Close()
	check(t, mustOpen(t, w, keyC, ""), w, "under C alone after a second rotation")
}

// A value sealed under no configured key is reported, not skipped, and
// the rotation is not done.
func TestRotationReportsForeignValues(t *testing.T) {
	w := create(t, "sqlite:"+filepath.Join(t.TempDir(), "gatehouse.db"))
	c := mustOpen(t, w, keyC, "")
	s := resolve(t, c, w)
	foreign, _ := audit.SealSecret(c.Keyring, s.sc.Tenant.ID, "wh-foreign", "whsec_x")
	if err := s.sc.Store.Webhooks().Create(t.Context(), &store.Webhook{TenantID: s.sc.Tenant.ID, ID: "wh-foreign",
		URL: "https://hooks.example.org/other", SecretSealed: foreign, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	ba := mustOpen(t, w, keyB, keyA)
	rep := rotate(t, ba, false)
	if rep.Done {
		t.Fatal("rotation done with a value no key opens")
	}
	for _, c := range rep.Counts {
		if c.Kind == store.SealedWebhookSecrets && (len(c.Failed) != 1 || c.Failed[0] != s.sc.Tenant.ID+"/wh-foreign") {
			t.Fatalf("failed webhooks: %v", c.Failed)
		}
	}
}

// An Admin API response stored for Idempotency-Key replays (sealed, as it
// can carry a client secret) replays under the new key after the rotation;
// without the rotation it no longer opens once the old key is gone.
func TestRotationKeepsIdempotentReplays(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "gatehouse.db")
	create := func(t *testing.T, key string) (int, string) {
		s := testserver.New(t, testserver.Options{Env: map[string]string{"GATEHOUSE_DATABASE": db, "GATEHOUSE_SECRET_KEY": key}})
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/admin/v1/clients",
			strings.NewReader(`{"client_name":"Billing","grant_types":["client_credentials"],"scope":"invoices:read"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
		req.Header.Set("Idempotency-Key", "create-billing-1")
		resp, err := s.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	var first string
	t.Run("under A", func(t *testing.T) {
		var code int
		if code, first = create(t, keyA); code != http.StatusCreated || !strings.Contains(first, "client_secret") {
			t.Fatalf("%d %s", code, first)
		}
	})
	t.Run("under B, not rotated", func(t *testing.T) {
		if code, body := create(t, keyB); code != http.StatusConflict {
			t.Fatalf("a response sealed under A replayed under B alone: %d %s", code, body)
		}
	})
	t.Run("rotate", func(t *testing.T) {
		a := mustOpen(t, &world{db: db, clk: clock.NewFake(time.Now())}, keyB, keyA)
		rep := rotate(t, a, false)
		if c := counts(rep)[store.SealedIdempotencyResponses]; !rep.Done || c[0] != 1 {
			t.Fatalf("rotation: %+v", rep.Counts)
		}
	})
	t.Run("under B, rotated", func(t *testing.T) {
		if code, body := create(t, keyB); code != http.StatusCreated || body != first {
			t.Fatalf("replay after the rotation: %d %s\nwant the first response %s", code, body, first)
		}
	})
}
