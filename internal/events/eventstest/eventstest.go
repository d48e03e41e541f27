// Package eventstest records events in memory for tests.
package eventstest

import (
	"context"
	"sync"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/events"
)

// Log is an events.Recorder that keeps every event, safe for concurrent
// use.
type Log struct {
	mu sync.Mutex
	ev []events.Event
}

var _ events.Recorder = (*Log)(nil)

// Record keeps e.
func (l *Log) Record(_ context.Context, e events.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ev = append(l.ev, e)
	return nil
}

// All returns the recorded events, oldest first.
func (l *Log) All() []events.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]events.Event(nil), l.ev...)
}

// Types returns the recorded events' types, oldest first.
func (l *Log) Types() []string {
	var out []string
	for _, e := range l.All() {
		out = append(out, e.Type)
	}
	return out
}

// Last returns the newest event; none fails the test.
func (l *Log) Last(t testing.TB) events.Event {
	t.Helper()
	all := l.All()
	if len(all) == 0 {
		t.Fatal("no event recorded")
	}
	return all[len(all)-1]
}
