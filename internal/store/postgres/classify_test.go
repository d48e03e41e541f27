package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gatehouse-iam/gatehouse/internal/store/sqlstore"
)

// Connection failures are ErrUnavailable (a 503 at the edge); statement
// errors and the caller's own deadline are not.
func TestClassify(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for name, tc := range map[string]struct {
		err  error
		want sqlstore.ErrClass
	}{
		"refused":            {fmt.Errorf("query: %w", refused), sqlstore.ErrUnavailable},
		"connect error":      {&pgconn.ConnectError{}, sqlstore.ErrUnavailable},
		"admin shutdown":     {&pgconn.PgError{Code: "57P01"}, sqlstore.ErrUnavailable},
		"cannot connect now": {&pgconn.PgError{Code: "57P03"}, sqlstore.ErrUnavailable},
		"too many conns":     {&pgconn.PgError{Code: "53300"}, sqlstore.ErrUnavailable},
		"connection failure": {&pgconn.PgError{Code: "08006"}, sqlstore.ErrUnavailable},
		"acquire bound":      {fmt.Errorf("%w: %w", errAcquireTimeout, context.DeadlineExceeded), sqlstore.ErrUnavailable},
		"caller deadline":    {context.DeadlineExceeded, sqlstore.ErrOther},
		"caller cancel":      {fmt.Errorf("q: %w", context.Canceled), sqlstore.ErrOther},
		"query canceled":     {&pgconn.PgError{Code: "57014"}, sqlstore.ErrOther},
		"unique":             {&pgconn.PgError{Code: "23505"}, sqlstore.ErrUnique},
		"serialization":      {&pgconn.PgError{Code: "40001"}, sqlstore.ErrRetry},
		"syntax":             {&pgconn.PgError{Code: "42601"}, sqlstore.ErrOther},
		"plain":              {errors.New("boom"), sqlstore.ErrOther},
	} {
		if got := classify(tc.err); got != tc.want {
			t.Errorf("%s: classify(%v) = %d, want %d", name, tc.err, got, tc.want)
		}
	}
}
