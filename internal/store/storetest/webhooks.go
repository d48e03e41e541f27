package storetest

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var webhookTests = []test{
	{"WebhookCRUD", testWebhookCRUD},
	{"WebhookIsolation", testWebhookIsolation},
	{"OutboxOrderPerUser", testOutboxOrderPerUser},
	{"OutboxLease", testOutboxLease},
	{"OutboxConcurrentClaims", testOutboxConcurrentClaims},
	{"OutboxConcurrentWorkers", testOutboxConcurrentWorkers},
	{"OutboxDisabledAndDeleted", testOutboxDisabledAndDeleted},
}

func mkWebhook(t testing.TB, s store.Store, tenantID string) *store.Webhook {
	t.Helper()
	w := &store.Webhook{TenantID: tenantID, URL: "https://hooks.example.org/" + uniq("w"), SecretSealed: []byte("sealed"),
		Enabled: true, EventTypes: []string{"login.*"}}
	must(t, s.Webhooks().Create(t.Context(), w))
	return w
}

func enqueue(t testing.TB, s store.Store, w *store.Webhook, userID string) *store.Delivery {
	t.Helper()
	d := &store.Delivery{TenantID: w.TenantID, WebhookID: w.ID, EventID: uniq("e"), EventType: "login.failed",
		UserID: userID, Payload: []byte(`{}`)}
	must(t, s.Webhooks().Enqueue(t.Context(), d))
	return d
}

func claimIDs(t testing.TB, s store.Store, now time.Time) ([]string, []store.Delivery) {
	t.Helper()
	ds, err := s.Webhooks().Claim(t.Context(), now, time.Minute, 100)
	must(t, err)
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	sort.Strings(ids)
	return ids, ds
}

func testWebhookCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	w := mkWebhook(t, s, tn.ID)
	got, err := s.Webhooks().Get(ctx, tn.ID, w.ID)
	must(t, err)
	equal(t, *got, *w, "Get")
	up, err := s.Webhooks().Update(ctx, tn.ID, w.ID, w.Version, func(x *store.Webhook) error {
		x.Enabled, x.EventTypes = false, nil
		return nil
	})
	must(t, err)
	equal(t, up.Version, w.Version+1, "version bumped")
	_, err = s.Webhooks().Update(ctx, tn.ID, w.ID, w.Version, func(*store.Webhook) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "stale If-Match")
	on, err := s.Webhooks().Enabled(ctx, tn.ID)
	must(t, err)
	equal(t, len(on), 0, "no enabled webhooks")
	items, next, err := s.Webhooks().List(ctx, tn.ID, store.Page{})
	must(t, err)
	equal(t, len(items), 1, "listed")
	equal(t, next, "", "one page")
	must(t, s.Webhooks().Delete(ctx, tn.ID, w.ID))
	wantErr(t, s.Webhooks().Delete(ctx, tn.ID, w.ID), store.ErrNotFound, "second Delete")
}

func testWebhookIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	w := mkWebhook(t, s, a.ID)
	d := enqueue(t, s, w, "u1")
	_, err := s.Webhooks().Get(ctx, b.ID, w.ID)
	wantErr(t, err, store.ErrNotFound, "Get from another tenant")
	_, err = s.Webhooks().Update(ctx, b.ID, w.ID, 0, func(*store.Webhook) error { return nil })
	wantErr(t, err, store.ErrNotFound, "Update from another tenant")
	wantErr(t, s.Webhooks().Delete(ctx, b.ID, w.ID), store.ErrNotFound, "Delete from another tenant")
	ds, _, err := s.Webhooks().Deliveries(ctx, b.ID, w.ID, store.Page{})
	must(t, err)
	equal(t, len(ds), 0, "deliveries from another tenant")
	err = s.Webhooks().Enqueue(ctx, &store.Delivery{TenantID: b.ID, WebhookID: w.ID, EventID: "e", Payload: []byte("{}")})
	wantErr(t, err, store.ErrNotFound, "Enqueue for another tenant's webhook")
	_, claimed := claimIDs(t, s, time.Now())
	wantErr(t, s.Webhooks().Finish(ctx, b.ID, d.ID, claimed[0].LeaseToken, store.DeliveryResult{Status: store.DeliveryDelivered, At: time.Now()}),
		store.ErrNotFound, "Finish from another tenant")
}

func testOutboxOrderPerUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	w := mkWebhook(t, s, tn.ID)
	a1, a2 := enqueue(t, s, w, "alice"), enqueue(t, s, w, "alice")
	b1 := enqueue(t, s, w, "bob")
	n1, n2 := enqueue(t, s, w, ""), enqueue(t, s, w, "")
	now := time.Now()
	got, ds := claimIDs(t, s, now)
	equal(t, got, []string{a1.ID, b1.ID, n1.ID, n2.ID}, "first claim: the head of each user, and unordered rows")
	for _, d := range ds {
		equal(t, d.Attempts, 1, "attempts counted on claim")
		res := store.DeliveryResult{Status: store.DeliveryDelivered, At: now}
		if d.ID == a1.ID {
			// A failed attempt keeps a2 waiting behind a1.
			res = store.DeliveryResult{Status: store.DeliveryPending, Error: "503", NextAttemptAt: now.Add(time.Hour), At: now}
		}
		must(t, s.Webhooks().Finish(ctx, tn.ID, d.ID, d.LeaseToken, res))
	}
	got, _ = claimIDs(t, s, now.Add(2*time.Minute))
	equal(t, len(got), 0, "a2 waits for a1")
	got, ds = claimIDs(t, s, now.Add(2*time.Hour))
	equal(t, got, []string{a1.ID}, "a1 due again")
	must(t, s.Webhooks().Finish(ctx, tn.ID, a1.ID, ds[0].LeaseToken, store.DeliveryResult{Status: store.DeliveryDelivered, At: now}))
	got, _ = claimIDs(t, s, now.Add(2*time.Hour))
	equal(t, got, []string{a2.ID}, "a2 after a1")
	list, _, err := s.Webhooks().Deliveries(ctx, tn.ID, w.ID, store.Page{Limit: 10})
	must(t, err)
	equal(t, len(list), 5, "deliveries listed")
	equal(t, list[len(list)-1].ID, a1.ID, "newest first")
	for _, d := range list {
		if d.ID == a1.ID && (d.Status != store.DeliveryDelivered || d.Attempts != 2 || d.DeliveredAt == nil || d.LastError != "") {
			t.Fatalf("a1 = %+v", d)
		}
	}
}

func testOutboxLease(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	w := mkWebhook(t, s, tn.ID)
	d := enqueue(t, s, w, "u")
	now := time.Now()
	_, first := claimIDs(t, s, now)
	got, _ := claimIDs(t, s, now.Add(30*time.Second))
	equal(t, len(got), 0, "leased row not claimed again")
	got, second := claimIDs(t, s, now.Add(2*time.Minute))
	equal(t, got, []string{d.ID}, "claimed again after the lease ended")
	wantErr(t, s.Webhooks().Finish(ctx, tn.ID, d.ID, first[0].LeaseToken, store.DeliveryResult{Status: store.DeliveryDelivered, At: now}),
		store.ErrNotFound, "Finish with a lapsed lease")
	must(t, s.Webhooks().Finish(ctx, tn.ID, d.ID, second[0].LeaseToken, store.DeliveryResult{Status: store.DeliveryFailed, Error: "too old", At: now}))
	got, _ = claimIDs(t, s, now.Add(time.Hour))
	equal(t, len(got), 0, "failed rows are not claimed")
}

func testOutboxConcurrentClaims(t *testing.T, s store.Store) {
	tn := mkTenant(t, s)
	w := mkWebhook(t, s, tn.ID)
	const n = 40
	for range n {
		enqueue(t, s, w, "")
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				ds, err := s.Webhooks().Claim(t.Context(), time.Now(), time.Hour, 3)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, d := range ds {
					seen[d.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	equal(t, len(seen), n, "every row claimed")
	for id, c := range seen {
		if c != 1 {
			t.Fatalf("%s claimed %d times", id, c)
		}
	}
}

// testOutboxConcurrentWorkers runs several lease takers as nodes do:
// claim, deliver, finish, claim again. No row is ever held by two of them
// at once, no two rows of one user are in flight at once, each user's rows
// finish in order, and every row is finished exactly once.
func testOutboxConcurrentWorkers(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	w := mkWebhook(t, s, tn.ID)
	const n = 60
	users := []string{"", "", "u1", "u2", "u3"}
	order := map[string][]string{} // user -> row IDs in creation order
	for i := range n {
		d := enqueue(t, s, w, users[i%len(users)])
		if d.UserID != "" {
			order[d.UserID] = append(order[d.UserID], d.ID)
		}
	}
	var mu sync.Mutex
	inFlight := map[string]bool{} // row ID
	userBusy := map[string]bool{} // user with a row in flight
	finished := map[string]int{}  // row ID -> times finished
	done := map[string][]string{} // user -> row IDs in finishing order
	deadline := time.Now().Add(30 * time.Second)
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				mu.Lock()
				all := len(finished) == n
				mu.Unlock()
				if all {
					return
				}
				ds, err := s.Webhooks().Claim(ctx, time.Now(), time.Hour, 4)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, d := range ds {
					if inFlight[d.ID] {
						t.Errorf("row %s claimed while another taker holds it", d.ID)
					}
					if d.UserID != "" && userBusy[d.UserID] {
						t.Errorf("row %s of user %s claimed while another row of the user is in flight", d.ID, d.UserID)
					}
					inFlight[d.ID], userBusy[d.UserID] = true, d.UserID != ""
				}
				mu.Unlock()
				for _, d := range ds {
					time.Sleep(time.Millisecond) // the delivery
					mu.Lock()
					delete(inFlight, d.ID)
					if d.UserID != "" {
						userBusy[d.UserID] = false
						done[d.UserID] = append(done[d.UserID], d.ID)
					}
					finished[d.ID]++
					mu.Unlock()
					if err := s.Webhooks().Finish(ctx, tn.ID, d.ID, d.LeaseToken,
						store.DeliveryResult{Status: store.DeliveryDelivered, At: time.Now()}); err != nil {
						t.Errorf("finish %s: %v", d.ID, err)
					}
				}
				if len(ds) == 0 {
					time.Sleep(2 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	equal(t, len(finished), n, "every row delivered")
	for id, c := range finished {
		if c != 1 {
			t.Errorf("row %s delivered %d times", id, c)
		}
	}
	for u, ids := range order {
		equal(t, done[u], ids, "user "+u+"'s rows delivered in order")
	}
}

func testOutboxDisabledAndDeleted(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	w := mkWebhook(t, s, tn.ID)
	enqueue(t, s, w, "u")
	_, err := s.Webhooks().Update(ctx, tn.ID, w.ID, 0, func(x *store.Webhook) error { x.Enabled = false; return nil })
	must(t, err)
	got, _ := claimIDs(t, s, time.Now())
	equal(t, len(got), 0, "disabled webhooks are not delivered")
	must(t, s.Webhooks().Delete(ctx, tn.ID, w.ID))
	ds, _, err := s.Webhooks().Deliveries(ctx, tn.ID, w.ID, store.Page{})
	must(t, err)
	equal(t, len(ds), 0, "deliveries deleted with the webhook")
}
