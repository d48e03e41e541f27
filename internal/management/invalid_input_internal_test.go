package management

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Text a store cannot hold (store.ErrInvalidInput: the backstop behind the
// HTTP edge's check for NUL and invalid UTF-8) is a 400 validation
// problem, not a 500.
func TestInvalidInputIs400(t *testing.T) {
	var p *httpx.Problem
	err := toProblem(fmt.Errorf("list users: %w", store.ErrInvalidInput))
	if !errors.As(err, &p) || p.Status != 400 || p.Type != httpx.TypeValidation {
		t.Fatalf("got %v", err)
	}
}
