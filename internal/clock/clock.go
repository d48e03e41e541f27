// Package clock holds the one fake clock the tests share. Services take
// their clock as a func() time.Time (a Now field); a test hands them
// Fake.Now and moves time on with Advance.
package clock

import (
	"sync"
	"time"
)

// Fake is a settable clock, safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a clock that reads t until advanced.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the clock's time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d and returns the new time.
func (c *Fake) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}
