package httpx_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

func TestOutagesRewritesFailuresWhileDown(t *testing.T) {
	down := errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	for _, tc := range []struct {
		name    string
		status  int
		check   error
		want    int
		problem bool
	}{
		{"500 while down", 500, down, 503, true},
		{"502 while down", 502, down, 503, true},
		{"500 while up", 500, nil, 500, false},
		{"200 while down", 200, down, 200, false},
		{"404 while down", 404, down, 404, false},
		{"503 left alone", 503, down, 503, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := httpx.Outages(func(context.Context) error { return tc.check })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				fmt.Fprint(w, `{"error":"server_error","error_description":"`+down.Error()+`"}`)
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("POST", "/oauth/token", nil))
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
			body := rec.Body.String()
			if !tc.problem {
				if !strings.Contains(body, "server_error") {
					t.Fatalf("the handler's body was replaced: %s", body)
				}
				return
			}
			if rec.Header().Get("Content-Type") != "application/problem+json" || rec.Header().Get("Retry-After") == "" ||
				!strings.Contains(body, httpx.TypeUnavailable) || strings.Contains(body, "connection refused") {
				t.Fatalf("want the unavailable problem without the cause: %v %s", rec.Header(), body)
			}
		})
	}
}

func TestWriteProblemDatabaseUnavailable(t *testing.T) {
	err := fmt.Errorf("list users: %w", fmt.Errorf("%w (dial tcp: connection refused)", store.ErrUnavailable))
	for _, e := range []error{err, httpx.Internal(err)} {
		rec := httptest.NewRecorder()
		httpx.WriteProblem(rec, httptest.NewRequest("GET", "/admin/v1/users", nil), e)
		body := rec.Body.String()
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
			!strings.Contains(body, httpx.TypeUnavailable) || strings.Contains(body, "refused") {
			t.Fatalf("%v: %d %v %s", e, rec.Code, rec.Header(), body)
		}
	}
}
