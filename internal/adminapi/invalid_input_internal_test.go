package adminapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Text a store cannot hold (store.ErrInvalidInput: the backstop behind the
// HTTP edge's check for NUL and invalid UTF-8) is a 400 validation
// problem, not a 500.
func TestInvalidInputIs400(t *testing.T) {
	var p *httpx.Problem
	err := restapi.Problem(fmt.Errorf("list users: %w", store.ErrInvalidInput))
	if !errors.As(err, &p) || p.Status != 400 || p.Type != httpx.TypeValidation {
		t.Fatalf("got %v", err)
	}
}

// invalidRepo is an idempotency store that cannot hold the key.
type invalidRepo struct{ store.IdempotencyRepo }

func (invalidRepo) Begin(context.Context, *store.IdempotencyRecord) (*store.IdempotencyRecord, error) {
	return nil, fmt.Errorf("begin: %w", store.ErrInvalidInput)
}

// An Idempotency-Key the store cannot hold is a 400, and the request
// does not run.
func TestInvalidIdempotencyKeyIs400(t *testing.T) {
	m := &idempotency{repo: func() store.IdempotencyRepo { return invalidRepo{} }, now: time.Now}
	ran := false
	h := m.middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true }))
	req := httptest.NewRequest("POST", "/admin/v1/users", strings.NewReader(`{}`))
	req.Header.Set("Idempotency-Key", "k\xff")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 400 || ran || !strings.Contains(rec.Body.String(), httpx.TypeValidation) {
		t.Fatalf("%d %s (handler ran: %v)", rec.Code, rec.Body, ran)
	}
}
