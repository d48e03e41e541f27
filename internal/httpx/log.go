package httpx

import (
	"context"
	"io"
	"log/slog"
	"net/http"
)

// contextHandler adds the request ID from the context to every record, so
// any slog.*Context call inside a request is correlated without plumbing.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// NewLogger builds the process logger in the given format (text or json).
func NewLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(contextHandler{h})
}

type loggerKey struct{}

// WithLogger returns ctx carrying log; Log reads it back.
func WithLogger(ctx context.Context, log *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, log)
}

// Log returns the request's logger (the process logger, which adds the
// request ID), or slog's default outside a request.
func Log(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	if st := stateFrom(ctx); st != nil && st.log != nil {
		return st.log
	}
	return slog.Default()
}

// Logging puts log into every request's context.
func Logging(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r, st := withState(r, func(st *reqState) bool { return st.log == nil })
			st.log = log
			next.ServeHTTP(w, r)
		})
	}
}
