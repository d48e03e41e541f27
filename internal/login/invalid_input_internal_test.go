package login

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Text a store cannot hold (store.ErrInvalidInput: the backstop behind the
// HTTP edge's check for NUL and invalid UTF-8) is a 400 on the pages and
// in the JSON API, not a 500.
func TestInvalidInputIs400(t *testing.T) {
	err := fmt.Errorf("load request: %w", store.ErrInvalidInput)
	var p *httpx.Problem
	if !errors.As(loginflow.Problem(err), &p) || p.Status != 400 || p.Type != httpx.TypeValidation {
		t.Fatalf("API: %v", loginflow.Problem(err))
	}
	rec := httptest.NewRecorder()
	New(Deps{}).PageError(rec, httptest.NewRequest("GET", "/login", nil), nil, err)
	if rec.Code != 400 {
		t.Fatalf("page: %d", rec.Code)
	}
}
