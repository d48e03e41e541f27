package sqlstore

import (
	"context"
	"errors"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/trace"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// span starts a client span for statement q, named by its operation and
// table ("SELECT clients"), inside a traced request only. The statement
// text is the parameterised SQL: argument values are never recorded.
func (c *core) span(ctx context.Context, q string) (context.Context, trace.Span) {
	if !telemetry.Recording(ctx) {
		return telemetry.Start(ctx, "") // does nothing; describe is not free
	}
	d := describe(q)
	system := c.d.Name
	if system == "postgres" {
		system = "postgresql"
	}
	return telemetry.StartClient(ctx, d.name, "db.system.name", system, "db.operation.name", d.op,
		"db.collection.name", d.table, "db.query.text", q)
}

// endSpan ends a statement's span; not found is an answer, not a failure.
func endSpan(span trace.Span, err error) {
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	telemetry.End(span, err)
}

type description struct{ op, table, name string }

// described caches describe per statement: statements are constants.
var described sync.Map

// describe finds a statement's operation (its first keyword) and the
// table it works on (after FROM, INTO or UPDATE).
func describe(q string) description {
	if v, ok := described.Load(q); ok {
		return v.(description)
	}
	fields := strings.Fields(q)
	d := description{}
	if len(fields) > 0 {
		d.op = strings.ToUpper(fields[0])
	}
	after := map[string]string{"SELECT": "FROM", "WITH": "FROM", "DELETE": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE"}[d.op]
	for i := 0; after != "" && i+1 < len(fields); i++ {
		if strings.EqualFold(fields[i], after) {
			d.table = strings.TrimFunc(fields[i+1], func(r rune) bool {
				return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
			})
			break
		}
	}
	d.name = strings.TrimSpace(d.op + " " + d.table)
	described.Store(q, d)
	return d
}
