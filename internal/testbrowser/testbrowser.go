// Package testbrowser starts a headless Chromium for end-to-end tests
// (chromedp). Without Chromium installed the test is skipped, except in CI
// (CI set), which must run it.
package testbrowser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path is where Debian's chromium package installs the browser.
const Path = "/usr/bin/chromium"

// New starts a browser with a fresh profile and returns its context, which
// ends after d or with the test.
func New(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(Path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium not installed: %v (CI must run the browser tests: apt-get install -y chromium)", err)
		}
		t.Skip("chromium not installed: " + err.Error())
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser now, so failures say so
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// Text returns the text of the first element matching the CSS selector,
// once it is visible.
func Text(t testing.TB, ctx context.Context, selector string) string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(selector))); err != nil {
		t.Fatalf("waiting for %s: %v", selector, err)
	}
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("text of %s: %v", selector, err)
	}
	return s
}

// WaitText waits until the text of the element matching the CSS selector
// contains want, for up to 30 seconds, and fails the test otherwise.
func WaitText(t testing.TB, ctx context.Context, selector, want string) {
	t.Helper()
	js := `(document.querySelector(` + strconv.Quote(selector) + `) || {}).textContent || ""`
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err == nil && strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("%s says %q (%v), want %q", selector, got, err, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Screenshot saves a full-page PNG of the current page, at a viewport of
// width × height, as dir/name-width.png. Right after a navigation the new
// document may not be laid out yet (Chromium: "Cannot take screenshot with
// 0 width"): it waits for the body and tries again briefly.
func Screenshot(t testing.TB, ctx context.Context, dir, name string, width, height int64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	var png []byte
	var err error
	for range 10 {
		if err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("body"))); err == nil {
			if png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
