package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1":                          "SELECT 1",
		"a = ? AND b = ?":                   "a = $1 AND b = $2",
		"x IN (?, ?, ?) LIMIT ?":            "x IN ($1, $2, $3) LIMIT $4",
		"attributes @> f(?::text, ?::text)": "attributes @> f($1::text, $2::text)",
		"ünï = ?":                           "ünï = $1",
	} {
		if got := rebind(in); got != want {
			t.Errorf("rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeLike(t *testing.T) {
	for in, want := range map[string]string{
		"plain":    "plain",
		"100%":     `100\%`,
		"a_b":      `a\_b`,
		`back\ess`: `back\\ess`,
		`%_\`:      `\%\_\\`,
	} {
		if got := EscapeLike(in); got != want {
			t.Errorf("EscapeLike(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidAttrKey(t *testing.T) {
	for _, k := range []string{"plan", "a.b", "with space", "ünïcode", "x-y_z:1", "' OR 1=1 --"} {
		if err := validAttrKey(k); err != nil {
			t.Errorf("validAttrKey(%q) = %v", k, err)
		}
	}
	long := string(make([]byte, 129))
	for _, k := range []string{"", `a"b`, `a\b`, "a\nb", "a\x7fb", long} {
		if err := validAttrKey(k); err == nil {
			t.Errorf("validAttrKey(%q) accepted", k)
		}
	}
}

var errBusy = errors.New("busy")

func retryCore() *core {
	return &core{d: Dialect{Classify: func(err error) ErrClass {
		if errors.Is(err, errBusy) {
			return ErrRetry
		}
		return ErrOther
	}}}
}

func TestRetry(t *testing.T) {
	c := retryCore()
	ctx := t.Context()

	calls := 0
	err := c.retry(ctx, func() error {
		calls++
		if calls < 3 {
			return errBusy
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("transient busy: err %v after %d calls, want success after 3", err, calls)
	}

	calls = 0
	err = c.retry(ctx, func() error { calls++; return errBusy })
	if !errors.Is(err, errBusy) || calls != retryAttempts {
		t.Fatalf("persistent busy: err %v after %d calls, want busy after %d", err, calls, retryAttempts)
	}

	calls = 0
	other := errors.New("other")
	err = c.retry(ctx, func() error { calls++; return other })
	if !errors.Is(err, other) || calls != 1 {
		t.Fatalf("non-retryable: err %v after %d calls, want 1 call", err, calls)
	}

	cctx, cancel := context.WithCancel(ctx)
	calls = 0
	start := time.Now()
	err = c.retry(cctx, func() error { calls++; cancel(); return errBusy })
	if !errors.Is(err, context.Canceled) || !errors.Is(err, errBusy) || calls != 1 || time.Since(start) > time.Second {
		t.Fatalf("cancelled: err %v after %d calls", err, calls)
	}
}
