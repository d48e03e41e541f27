package audit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Worker delivers the webhook outbox. Any number of workers, in one or
// several processes, may run on one database: each claims rows under a
// lease, so a row is worked on by one worker at a time, and a row whose
// worker died is claimed again when its lease ends.
type Worker struct {
	Store   store.Store
	Keyring *secret.Keyring
	Log     *slog.Logger
	// Client sends the requests; nil means one that does not follow
	// redirects (a redirect is a failed attempt).
	Client *http.Client
	Now    func() time.Time

	Poll       time.Duration // idle wait between claims; default 1s
	Lease      time.Duration // default 1m; longer than Timeout
	Timeout    time.Duration // per request; default 10s
	Batch      int           // rows per claim; default 20
	MinBackoff time.Duration // first retry after about this; default 5s
	MaxBackoff time.Duration // retries never wait longer; default 1h
	MaxAge     time.Duration // give up on a row this old; default 72h
}

func (w *Worker) defaults() {
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Client == nil {
		w.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	setDefault(&w.Poll, time.Second)
	setDefault(&w.Lease, time.Minute)
	setDefault(&w.Timeout, 10*time.Second)
	setDefault(&w.MinBackoff, 5*time.Second)
	setDefault(&w.MaxBackoff, time.Hour)
	setDefault(&w.MaxAge, 72*time.Hour)
	if w.Batch <= 0 {
		w.Batch = 20
	}
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// Run delivers until ctx ends. Attempts in flight when ctx ends are
// finished and recorded, so a clean stop never delivers a row twice.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("webhook delivery: claim failed", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		t := time.NewTimer(w.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// RunOnce claims one batch and attempts each row, and reports how many it
// claimed. Rows of one batch belong to different (webhook, user) queues,
// so they are sent concurrently.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	ds, err := w.Store.Webhooks().Claim(ctx, w.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, err
	}
	// Started attempts run to completion even if ctx ends meanwhile.
	run := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for i := range ds {
		wg.Go(func() { w.attempt(run, &ds[i]) })
	}
	wg.Wait()
	return len(ds), nil
}

func (w *Worker) attempt(ctx context.Context, d *store.Delivery) {
	log := w.Log.With("delivery", d.ID, "webhook", d.WebhookID, "event", d.EventID, "attempt", d.Attempts)
	sendErr := w.send(ctx, d)
	now := w.Now()
	res := store.DeliveryResult{Status: store.DeliveryDelivered, At: now}
	if sendErr != nil {
		res.Error = truncate(sendErr.Error(), 500)
		res.Status, res.NextAttemptAt = store.DeliveryPending, now.Add(w.backoff(d.Attempts))
		if now.Sub(d.CreatedAt) >= w.MaxAge {
			res.Status = store.DeliveryFailed
		}
		log.Info("webhook delivery failed", "err", res.Error, "status", res.Status)
	}
	if err := w.Store.Webhooks().Finish(ctx, d.TenantID, d.ID, d.LeaseToken, res); err != nil {
		log.Warn("webhook delivery: recording the outcome failed; the row is retried when its lease ends", "err", err)
	}
}

func (w *Worker) send(ctx context.Context, d *store.Delivery) error {
	hook, err := w.Store.Webhooks().Get(ctx, d.TenantID, d.WebhookID)
	if err != nil {
		return fmt.Errorf("load webhook: %w", err)
	}
	sec, err := OpenSecret(w.Keyring, hook)
	if err != nil {
		return fmt.Errorf("open webhook secret: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Gatehouse-Webhooks/1")
	req.Header.Set(HeaderSignature, Sign(sec, w.Now(), d.Payload))
	req.Header.Set(HeaderEventID, d.EventID)
	req.Header.Set(HeaderEventType, d.EventType)
	resp, err := w.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// backoff is exponential in the attempt number, capped, with jitter in
// [d/2, d) so that many failing rows do not retry in lockstep.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.MinBackoff
	for i := 1; i < attempts && d < w.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
