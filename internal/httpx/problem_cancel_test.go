package httpx

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// A request the client cancelled is logged at info, not as an error; a real
// outage on a live request still is.
func TestWriteProblemClientCancelled(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cancel   bool
		err      error
		wantLvl  string
		wantText string
	}{
		{"cancelled by the client", true, fmt.Errorf("%w: %w", store.ErrUnavailable, context.Canceled), "level=INFO", "request cancelled by the client"},
		{"outage on a live request", false, fmt.Errorf("%w: %w", store.ErrUnavailable, context.Canceled), "level=ERROR", "request failed"},
		{"other failure after cancel", true, fmt.Errorf("boom"), "level=ERROR", "request failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, nil))
			ctx, cancel := context.WithCancel(WithLogger(context.Background(), log))
			defer cancel()
			if tc.cancel {
				cancel()
			}
			r := httptest.NewRequest("GET", "/x", nil).WithContext(ctx)
			w := httptest.NewRecorder()
			WriteProblem(w, r, tc.err)
			if w.Code < 500 {
				t.Fatalf("status %d", w.Code)
			}
			out := buf.String()
			if !strings.Contains(out, tc.wantLvl) || !strings.Contains(out, tc.wantText) {
				t.Fatalf("log %q, want %s %q", out, tc.wantLvl, tc.wantText)
			}
		})
	}
}
