package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
)

// receiver is a webhook endpoint on a fixed loopback address that can be
// stopped and started again, keeping what it received.
type receiver struct {
	addr, secret string
	mu           sync.Mutex
	got          []audit.Payload
	bad          []string
	srv          *http.Server
}

func (r *receiver) start(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var p audit.Payload
		err := audit.VerifySignature(r.secret, req.Header.Get(audit.HeaderSignature), body, time.Now(), 5*time.Minute)
		if err == nil {
			err = json.Unmarshal(body, &p)
		}
		if err == nil && (req.Header.Get(audit.HeaderEventID) != p.ID || req.Header.Get(audit.HeaderEventType) != p.Type) {
			err = errors.New("event headers do not match the body")
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil {
			r.bad = append(r.bad, err.Error())
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.got = append(r.got, p)
		w.WriteHeader(http.StatusNoContent)
	})}
	go func() { _ = r.srv.Serve(ln) }()
}

func (r *receiver) stop() { _ = r.srv.Shutdown(context.Background()) }

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func openWebhookApp(t *testing.T, env map[string]string) *app.App {
	t.Helper()
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(t.Context(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	// Fast retries; production defaults are seconds to an hour.
	w := a.Webhooks
	w.Poll, w.MinBackoff, w.MaxBackoff, w.Lease, w.Timeout = 10*time.Millisecond, 20*time.Millisecond, 100*time.Millisecond, 5*time.Second, 2*time.Second
	return a
}

// runWorker starts the app's delivery worker; the returned func stops it
// and waits for attempts in flight.
func runWorker(a *app.App) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Webhooks.Run(ctx) }()
	return func() { cancel(); <-done }
}

// Webhook deliveries survive a receiver that is down at first and a
// restart of both Gatehouse and the receiver: every event arrives exactly
// once, in order per user, with a valid signature.
func TestWebhookDeliverySurvivesRestarts(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{
				"GATEHOUSE_DATABASE":   "sqlite:" + filepath.Join(dir, "g.db"),
				"GATEHOUSE_DATA_DIR":   dir,
				"GATEHOUSE_SECRET_KEY": "webhook-test-key-0123456789abcdef0123",
			}
			if engine == "postgres" {
				env["GATEHOUSE_DATABASE"] = pgtest.SchemaURL(t, "gh_app")
			}
			testDeliverySurvivesRestarts(t, env)
		})
	}
}

func testDeliverySurvivesRestarts(t *testing.T, env map[string]string) {
	ctx := t.Context()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rcv := &receiver{addr: ln.Addr().String(), secret: audit.NewSecret()}
	_ = ln.Close() // the receiver is down at first

	a := openWebhookApp(t, env)
	tn, err := a.Directory.EnsureDefaultTenant(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hook := &store.Webhook{TenantID: tn.ID, ID: uuid.Must(uuid.NewV7()).String(), URL: "http://" + rcv.addr + "/hook", Enabled: true}
	if hook.SecretSealed, err = audit.SealSecret(a.Keyring, tn.ID, hook.ID, rcv.secret); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.Webhooks().Create(ctx, hook); err != nil {
		t.Fatal(err)
	}
	var sent []events.Event
	record := func(a *app.App, n int) {
		for range n {
			e := events.Event{ID: uuid.Must(uuid.NewV7()).String(), TenantID: tn.ID, Type: events.LoginFailed,
				UserID: fmt.Sprintf("user-%d", len(sent)%3), IP: "192.0.2.1"}
			if err := a.Events.Record(ctx, e); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, e)
		}
	}
	deliveries := func(a *app.App) []store.Delivery {
		ds, _, err := a.DB.Webhooks().Deliveries(ctx, tn.ID, hook.ID, store.Page{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}

	record(a, 6)
	stop := runWorker(a)
	waitFor(t, "the heads of the user queues were retried", func() bool {
		n := 0
		for _, d := range deliveries(a) {
			if d.Attempts >= 2 && d.LastError != "" {
				n++
			}
		}
		return n >= 3
	})
	rcv.start(t)
	waitFor(t, "some events arrived", func() bool { return rcv.count() >= 3 })
	stop()
	record(a, 6) // queued while no worker runs
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	rcv.stop()

	a = openWebhookApp(t, env)
	defer a.Close()
	stop = runWorker(a)
	defer stop()
	rcv.start(t)
	defer rcv.stop()
	waitFor(t, "every event arrived", func() bool { return rcv.count() >= len(sent) })
	stop()

	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.bad) > 0 {
		t.Fatalf("receiver refused requests: %v", rcv.bad)
	}
	got := map[string][]string{}
	seen := map[string]bool{}
	for _, p := range rcv.got {
		if seen[p.ID] {
			t.Fatalf("event %s delivered twice", p.ID)
		}
		seen[p.ID] = true
		got[p.UserID] = append(got[p.UserID], p.ID)
	}
	want := map[string][]string{}
	for _, e := range sent {
		want[e.UserID] = append(want[e.UserID], e.ID)
	}
	for u, ids := range want {
		if !slices.Equal(got[u], ids) {
			t.Errorf("%s: received %v, want %v in this order", u, got[u], ids)
		}
	}
	for _, d := range deliveries(a) {
		if d.Status != store.DeliveryDelivered || d.DeliveredAt == nil {
			t.Errorf("delivery %s: %s", d.ID, d.Status)
		}
	}
	if rep, err := audit.Verify(ctx, a.DB); err != nil || rep.Break != nil || rep.Records != int64(len(sent)) {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}
