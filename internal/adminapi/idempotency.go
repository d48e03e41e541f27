package adminapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Idempotency-Key support for POSTs that create (an IETF httpapi draft
// that Stripe and others popularised): the first response to a key is
// stored and replayed for retries with the same body; a retry with another
// body, or while the first is still running, gets 409.
//
// Stored bodies are sealed with the keyring: some carry a secret shown once
// (client secrets, API keys, webhook secrets), and a copy of the database
// must not reveal them during the record's 24 hours.
type idempotency struct {
	repo func() store.IdempotencyRepo
	now  func() time.Time
	keys *secret.Keyring
}

// sealPurpose is the keyring purpose of stored response bodies; the
// record's key is the associated data, so a body opens only in its row.
const sealPurpose = "idempotency-response"

const idempotencyTTL = 24 * time.Hour

// replayed response headers; others (request IDs, dates) belong to the retry.
var replayHeaders = []string{"Content-Type", "ETag", "Location"}

func (m *idempotency) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if r.Method != http.MethodPost || key == "" {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			httpx.WriteProblem(w, r, httpx.PayloadTooLarge(0).WithDetail("The request body could not be read."))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(body)
		owner := "bootstrap"
		if p := principalFrom(r.Context()); p != nil && p.UserID != "" {
			owner = "user:" + p.UserID
		} else if p != nil && p.KeyID != "" {
			owner = p.KeyID
		}
		scope := owner + " " + r.Method + " " + r.URL.Path + " " + key
		repo := m.repo()
		rec := &store.IdempotencyRecord{TenantID: "*", Key: scope, RequestHash: sum[:], CreatedAt: m.now()}
		prev, err := repo.Begin(r.Context(), rec)
		switch {
		case errors.Is(err, store.ErrConflict):
			m.replay(w, r, prev, scope, sum[:])
			return
		case errors.Is(err, store.ErrInvalidInput):
			httpx.WriteProblem(w, r, restapi.Problem(err))
			return
		case err != nil:
			httpx.WriteProblem(w, r, httpx.Internal(err))
			return
		}
		rw := &recorder{ResponseWriter: w}
		finished := false
		defer func() {
			if !finished { // panic or abort: free the key for a retry
				_ = repo.Abandon(context.WithoutCancel(r.Context()), "*", scope)
			}
		}()
		next.ServeHTTP(rw, r)
		ctx := context.WithoutCancel(r.Context())
		if rw.status >= 500 || rw.status == 0 {
			err = repo.Abandon(ctx, "*", scope)
		} else {
			hdr := map[string]string{}
			for _, h := range replayHeaders {
				if v := rw.Header().Get(h); v != "" {
					hdr[h] = v
				}
			}
			var sealed []byte
			if sealed, err = m.keys.Seal(sealPurpose, rw.body.Bytes(), []byte(scope)); err == nil {
				err = repo.Finish(ctx, "*", scope, rw.status, hdr, sealed)
			} else {
				err = errors.Join(err, repo.Abandon(ctx, "*", scope))
			}
		}
		finished = true
		if err != nil {
			httpx.Log(ctx).WarnContext(ctx, "idempotency record not saved", "err", err)
		}
	})
}

func (m *idempotency) replay(w http.ResponseWriter, r *http.Request, prev *store.IdempotencyRecord, scope string, sum []byte) {
	conflict := func(detail string) {
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict, httpx.TypeIdempotencyConflict, "Idempotency key conflict", detail))
	}
	switch {
	case prev == nil:
		conflict("The Idempotency-Key could not be checked; retry.")
	case !bytes.Equal(prev.RequestHash, sum):
		conflict("This Idempotency-Key was used with a different request body.")
	case prev.Status == 0:
		conflict("A request with this Idempotency-Key is still being processed.")
	default:
		body, err := m.keys.Open(sealPurpose, prev.Body, []byte(scope))
		if err != nil {
			// Tampered, or sealed under another key: nothing to replay.
			httpx.Log(r.Context()).WarnContext(r.Context(), "idempotency record does not open", "err", err)
			conflict("The response stored for this Idempotency-Key cannot be replayed.")
			return
		}
		for k, v := range prev.Header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.Status)
		_, _ = w.Write(body)
	}
}

// expire deletes records older than the TTL, hourly, until ctx ends.
func (m *idempotency) expire(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if _, err := m.repo().Expire(ctx, m.now().Add(-idempotencyTTL)); err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "idempotency expiry failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// recorder tees the response so it can be stored for replay.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
