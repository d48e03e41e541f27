package clustertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
)

// lease is how long a webhook delivery claimed by a worker stays its own
// (audit.Worker's default): a node killed holding a claim delays those
// deliveries by it.
const lease = time.Minute

// receipt is one webhook request the receiver got.
type receipt struct {
	eventID   string // the Gatehouse-Event-Id header
	payloadID string // the body's "id"
	eventType string
	at        time.Time
	sigErr    error
}

// receiver is a webhook endpoint on loopback that records every request
// as it arrives (before answering), then answers 204 after delay, or once
// released while held.
type receiver struct {
	url    string
	delay  time.Duration
	secret atomic.Pointer[string]

	mu       sync.Mutex
	receipts map[string][]receipt // by event ID
	held     chan struct{}        // closed by release; nil when not held
}

// hold keeps every request from now on unanswered until release, so that
// every node's webhook worker ends up waiting on one: a node killed then
// has sent deliveries it has not recorded.
func (r *receiver) hold() {
	r.mu.Lock()
	r.held = make(chan struct{})
	r.mu.Unlock()
}

func (r *receiver) release() {
	r.mu.Lock()
	close(r.held)
	r.held = nil
	r.mu.Unlock()
}

func newReceiver(t *testing.T, delay time.Duration) *receiver {
	r := &receiver{delay: delay, receipts: map[string][]receipt{}}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.url = srv.URL + "/hook"
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return // the sender died mid-request: nothing was delivered
	}
	rc := receipt{eventID: req.Header.Get(audit.HeaderEventID), eventType: req.Header.Get(audit.HeaderEventType), at: time.Now()}
	var p struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &p)
	rc.payloadID = p.ID
	if sec := r.secret.Load(); sec != nil {
		rc.sigErr = audit.VerifySignature(*sec, req.Header.Get(audit.HeaderSignature), body, time.Now(), 5*time.Minute)
	}
	r.mu.Lock()
	r.receipts[rc.eventID] = append(r.receipts[rc.eventID], rc)
	held := r.held
	r.mu.Unlock()
	if held != nil {
		select {
		case <-held:
		case <-req.Context().Done():
			return
		}
	}
	select {
	case <-time.After(r.delay):
		w.WriteHeader(http.StatusNoContent)
	case <-req.Context().Done():
	}
}

// checkWebhooks waits for the webhook's outbox to drain, then checks that
// every audit event recorded since the webhook was created was queued
// once, marked delivered, and received: once, or twice when the killed
// node sent it and died before recording the delivery, and another node
// sent it again after that claim's lease ended. That redelivery is what
// makes webhooks at-least-once; the event ID (Gatehouse-Event-Id and the
// body's "id") is the receiver's idempotency key and is the same on both.
func checkWebhooks(t *testing.T, conn *pgx.Conn, r *receiver, hookID string, killed time.Time) {
	t.Helper()
	ctx := t.Context()
	start := time.Now()
	for {
		var pending int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'pending'`,
			hookID).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Since(start) > 2*lease+30*time.Second {
			t.Fatalf("%d webhook deliveries still pending %v after the load", pending, time.Since(start).Round(time.Second))
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("webhook outbox drained %v after the load (%v after the kill)", time.Since(start).Round(100*time.Millisecond),
		time.Since(killed).Round(100*time.Millisecond))

	// The events that must reach the webhook: every one recorded since
	// (and including) its creation; it selects every type.
	want := map[string]string{} // event ID -> type
	rows, err := conn.Query(ctx, `SELECT e.id, e.type FROM audit_events e JOIN webhooks w ON w.tenant_id = e.tenant_id AND w.id = $1
		WHERE e.seq >= (SELECT c.seq FROM audit_events c WHERE c.tenant_id = w.tenant_id
			AND c.type = 'admin.webhook.created' AND c.data::jsonb->>'webhook_id' = $1)`, hookID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, typ string
		if err := rows.Scan(&id, &typ); err != nil {
			t.Fatal(err)
		}
		want[id] = typ
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	type row struct {
		status   string
		attempts int
	}
	queued := map[string]row{}
	rows, err = conn.Query(ctx, `SELECT event_id, status, attempts FROM webhook_deliveries WHERE webhook_id = $1`, hookID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var d row
		if err := rows.Scan(&id, &d.status, &d.attempts); err != nil {
			t.Fatal(err)
		}
		if _, dup := queued[id]; dup {
			t.Errorf("event %s queued twice for one webhook", id)
		}
		queued[id] = d
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	types := map[string]int{}
	var once, redelivered int
	for id, typ := range want {
		types[typ]++
		d, ok := queued[id]
		switch {
		case !ok:
			t.Errorf("event %s (%s) was not queued for the webhook", id, typ)
			continue
		case d.status != "delivered":
			t.Errorf("event %s (%s): delivery %s after %d attempts", id, typ, d.status, d.attempts)
		}
		got := r.receipts[id]
		switch {
		case len(got) == 0:
			t.Errorf("event %s (%s) marked %s but never received", id, typ, d.status)
		case len(got) == 1:
			once++
		case len(got) == 2 && got[0].at.Before(killed.Add(time.Second)) && got[1].at.Sub(got[0].at) >= lease-10*time.Second && d.attempts >= 2:
			// Sent by the killed node, which died before recording it;
			// sent again once its claim lapsed.
			redelivered++
		default:
			var ats []string
			for _, g := range got {
				ats = append(ats, g.at.Sub(killed).Round(time.Millisecond).String())
			}
			t.Errorf("event %s (%s) received %d times (at %v from the kill; %d attempts): a duplicate not explained by the killed node's lease",
				id, typ, len(got), ats, d.attempts)
		}
		for _, g := range got {
			if g.payloadID != id || g.eventType != typ || g.sigErr != nil {
				t.Errorf("event %s (%s): received with body id %q, type %q, signature error %v", id, typ, g.payloadID, g.eventType, g.sigErr)
			}
		}
	}
	for id := range r.receipts {
		if _, ok := want[id]; !ok {
			t.Errorf("received event %q, which is not in the audit log since the webhook was created", id)
		}
	}
	for id := range queued {
		if _, ok := want[id]; !ok {
			t.Errorf("delivery of event %q, which is not in the audit log since the webhook was created", id)
		}
	}
	t.Logf("webhook: %d events (%v); %d received once, %d twice across the killed node's lease", len(want), types, once, redelivered)
	if len(want) < 100 {
		t.Errorf("only %d events reached the webhook; the load should make hundreds", len(want))
	}
}
