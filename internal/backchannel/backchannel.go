// Package backchannel delivers OIDC Back-Channel Logout 1.0 logout
// tokens. When a browser session ends (tokens.Service.OnSessionLogout),
// Notifier turns the clients that had tokens in it into rows of a durable
// outbox (store.LogoutRepo), one per client with a
// backchannel_logout_uri; Worker POSTs each row's logout token to its
// client, retrying with backoff while the client is down, and gives up
// (status failed, the last error kept) after MaxAge. Rows survive a
// restart, and any number of workers on one database share them under
// leases, as the webhook outbox does (internal/audit/worker.go).
package backchannel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// Tenants finds a tenant, with its store and issuer, by ID
// (directory.Service).
type Tenants interface {
	Resolve(ctx context.Context, tenant string) (*tenancy.Tenant, error)
}

// SAMLLogouts signs the SAML outbox's LogoutRequests and hears how each
// attempt went (protocol/saml.Handler: the audit trail and metrics).
type SAMLLogouts interface {
	// SOAPLogout signs d's LogoutRequest for its service provider's SOAP
	// SingleLogoutService. An error wrapping ErrGone: it never can be.
	SOAPLogout(ctx context.Context, t *tenancy.Tenant, d *store.SAMLLogoutDelivery) (*samlidp.SOAPLogout, error)
	// SOAPLogoutFinished is told the outcome of each attempt.
	SOAPLogoutFinished(ctx context.Context, t *tenancy.Tenant, d *store.SAMLLogoutDelivery, res store.DeliveryResult)
}

// Worker delivers the logout outbox: OIDC logout tokens and, when SAML
// is set, SAML LogoutRequests over SOAP (the SAML outbox), under the same
// leases, retries, timeout and HTTP client.
type Worker struct {
	Store   store.Store // claims rows of every tenant
	Tenants Tenants
	Tokens  *tokens.Service
	// SAML sends the SAML outbox; nil leaves it alone. Set it before Run.
	SAML SAMLLogouts
	Log  *slog.Logger
	// Client sends the requests; nil means one that does not follow
	// redirects (a redirect is a failed attempt, as for webhooks).
	Client *http.Client
	Now    func() time.Time

	Poll       time.Duration // idle wait between claims; default 1s
	Lease      time.Duration // default 1m; longer than Timeout
	Timeout    time.Duration // per request; default 10s
	Batch      int           // rows per claim; default 20
	MinBackoff time.Duration // first retry after about this; default 2s
	MaxBackoff time.Duration // retries never wait longer; default 10m
	MaxAge     time.Duration // give up on a row this old; default 24h

	once sync.Once
	kick chan struct{}
}

func (w *Worker) defaults() {
	w.once.Do(func() {
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
		setDefault(&w.MinBackoff, 2*time.Second)
		setDefault(&w.MaxBackoff, 10*time.Minute)
		setDefault(&w.MaxAge, 24*time.Hour)
		if w.Batch <= 0 {
			w.Batch = 20
		}
		w.kick = make(chan struct{}, 1)
	})
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// Kick asks the worker to claim now rather than at its next poll: a
// session just ended on this node.
func (w *Worker) Kick() {
	w.defaults()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends; attempts in flight then are finished and
// recorded.
func (w *Worker) Run(ctx context.Context) {
	w.defaults()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("back-channel logout: claim failed", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		t := time.NewTimer(w.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of each outbox, attempts each row
// concurrently (each is for one client or SP and one session) and
// reports how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	ds, err := w.Store.Logouts().Claim(ctx, w.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, err
	}
	var sds []store.SAMLLogoutDelivery
	if w.SAML != nil {
		if sds, err = w.Store.Logouts().ClaimSAML(ctx, w.Now(), w.Lease, w.Batch); err != nil {
			w.Log.Warn("back-channel logout: claiming SAML deliveries failed", "err", err)
		}
	}
	run := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for i := range ds {
		wg.Go(func() { w.attempt(run, &ds[i]) })
	}
	for i := range sds {
		wg.Go(func() { w.attemptSAML(run, &sds[i]) })
	}
	wg.Wait()
	return len(ds) + len(sds), nil
}

// ErrGone marks an attempt that can never succeed (the client lost its
// backchannel_logout_uri, the SP its SOAP SingleLogoutService, the tenant
// is gone; an SP answered with a LogoutResponse that is refused): the row
// fails at once.
var ErrGone = errors.New("gone")

func (w *Worker) attempt(ctx context.Context, d *store.LogoutDelivery) {
	log := w.Log.With("tenant_id", d.TenantID, "client_id", d.ClientID, "delivery", d.ID, "attempt", d.Attempts)
	res := w.result(w.send(ctx, d), d.Attempts, d.CreatedAt, log)
	if err := w.Store.Logouts().Finish(ctx, d.TenantID, d.ID, d.LeaseToken, res); err != nil {
		log.Warn("back-channel logout: recording the outcome failed; the row is retried when its lease ends", "err", err)
	}
}

// result is the outcome of an attempt that ended with sendErr: delivered,
// retried after a backoff, or failed (ErrGone, or the row is MaxAge old).
func (w *Worker) result(sendErr error, attempts int, created time.Time, log *slog.Logger) store.DeliveryResult {
	now := w.Now()
	res := store.DeliveryResult{Status: store.DeliveryDelivered, At: now}
	if sendErr == nil {
		return res
	}
	res.Error = truncate(sendErr.Error(), 500)
	res.Status, res.NextAttemptAt = store.DeliveryPending, now.Add(w.backoff(attempts))
	if errors.Is(sendErr, ErrGone) || now.Sub(created) >= w.MaxAge {
		res.Status = store.DeliveryFailed
	}
	if res.Status == store.DeliveryFailed {
		log.Warn("back-channel logout: gave up", "err", res.Error)
	} else {
		log.Info("back-channel logout: attempt failed; will retry", "err", res.Error, "next_attempt_at", res.NextAttemptAt)
	}
	return res
}

// attemptSAML sends one SAML LogoutRequest and records the outcome.
func (w *Worker) attemptSAML(ctx context.Context, d *store.SAMLLogoutDelivery) {
	log := w.Log.With("tenant_id", d.TenantID, "sp_id", d.SPID, "delivery", d.ID, "attempt", d.Attempts)
	t, sendErr := w.tenant(ctx, d.TenantID)
	if sendErr == nil {
		sendErr = w.sendSAML(ctx, t, d)
	}
	res := w.result(sendErr, d.Attempts, d.CreatedAt, log)
	if err := w.Store.Logouts().FinishSAML(ctx, d.TenantID, d.ID, d.LeaseToken, res); err != nil {
		log.Warn("back-channel logout: recording the outcome failed; the row is retried when its lease ends", "err", err)
		return
	}
	if t != nil {
		w.SAML.SOAPLogoutFinished(ctx, t, d, res)
	}
}

// sendSAML POSTs a freshly signed LogoutRequest in a SOAP envelope to the
// SP's SOAP SingleLogoutService and checks the LogoutResponse it answers
// with. An answer that is refused fails the row (ErrGone): the SP said
// something, and saying the same again will not change it.
func (w *Worker) sendSAML(ctx context.Context, t *tenancy.Tenant, d *store.SAMLLogoutDelivery) error {
	l, err := w.SAML.SOAPLogout(ctx, t, d)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.URL, bytes.NewReader(l.Envelope))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", samlidp.SOAPContentType)
	req.Header.Set("SOAPAction", samlidp.SOAPAction)
	req.Header.Set("User-Agent", "Gatehouse-Logout/1")
	resp, err := w.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, samlidp.MaxSOAPResponse+1))
	if err != nil {
		return err
	}
	// A SOAP fault comes with HTTP 500 (SOAP 1.1 §6.2): read it, unless
	// the answer is not XML at all.
	if resp.StatusCode/100 != 2 && !(resp.StatusCode == http.StatusInternalServerError && bytes.Contains(body, []byte("Fault"))) {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if err := l.Check(body); err != nil {
		return fmt.Errorf("%w: %w", ErrGone, err)
	}
	return nil
}

// tenant resolves a row's tenant; a tenant gone fails the row.
func (w *Worker) tenant(ctx context.Context, id string) (*tenancy.Tenant, error) {
	t, err := w.Tenants.Resolve(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("tenant: %w", ErrGone)
	}
	if err != nil {
		return nil, fmt.Errorf("load tenant: %w", err)
	}
	return t, nil
}

// send signs a fresh logout token (same jti) and POSTs it (§2.5).
func (w *Worker) send(ctx context.Context, d *store.LogoutDelivery) error {
	t, err := w.tenant(ctx, d.TenantID)
	if err != nil {
		return err
	}
	c, err := t.Store.Clients().Get(ctx, t.ID, d.ClientID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("client: %w", ErrGone)
	}
	if err != nil {
		return fmt.Errorf("load client: %w", err)
	}
	if c.BackchannelLogoutURI == "" {
		return fmt.Errorf("backchannel_logout_uri removed: %w", ErrGone)
	}
	token, err := w.Tokens.SignLogoutToken(ctx, t, c, d.SessionID, d.UserID, d.ID)
	if err != nil {
		return fmt.Errorf("sign logout token: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	body := url.Values{"logout_token": {token}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BackchannelLogoutURI, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Gatehouse-Logout/1")
	resp, err := w.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	// §2.8: 200 (or 204) on success; anything else is a failure, retried.
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// backoff is exponential in the attempt number, capped, with jitter in
// [d/2, d).
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

// Notifier enqueues the logout of ended sessions: its SessionsEnded is
// the tokens service's OnSessionLogout.
type Notifier struct {
	Worker *Worker // kicked after an enqueue; may be nil
	Log    *slog.Logger
	Now    func() time.Time
}

var _ tokens.SessionsEnded = (*Notifier)(nil).SessionsEnded

// SessionsEnded enqueues one delivery per client with a
// backchannel_logout_uri that had tokens in each session. A failure is
// logged: the session has ended all the same.
func (n *Notifier) SessionsEnded(ctx context.Context, t *tenancy.Tenant, _ string, sessionIDs []string) {
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	queued := 0
	for _, sid := range sessionIDs {
		ds, err := t.Store.Logouts().EndSession(ctx, t.ID, sid, now().UTC())
		if err != nil {
			if n.Log != nil {
				n.Log.WarnContext(ctx, "back-channel logout: enqueuing failed", "tenant_id", t.ID, "err", err)
			}
			continue
		}
		queued += len(ds)
	}
	if queued > 0 && n.Worker != nil {
		n.Worker.Kick()
	}
}
