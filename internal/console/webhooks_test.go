package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
)

var webhookIDRe = regexp.MustCompile(`href="/console/webhooks/([^"]+)"`)

// Webhooks: create shows the signing secret once (the webhook's page and
// the list never do), the deliveries are listed with their status, the
// dashboard counts the pending ones; bad input is a 400 that writes
// nothing; a viewer gets no form and the server refuses their POST; a
// POST without the CSRF token is refused.
func TestWebhookPages(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e := newEnv(t, nil, database...)
		e.user("", "admin@example.com", directory.RoleConsoleAdmin)
		e.user("", "viewer@example.com", directory.RoleConsoleViewer)
		b := e.browser()
		b.signIn("", "admin@example.com", "")
		list := b.get("/console/webhooks")
		if list.status != 200 || !strings.Contains(list.body, `id="no-webhooks"`) || !strings.Contains(list.body, `id="create-webhook"`) {
			t.Fatalf("empty list: %d %.2000s", list.status, list.body)
		}
		token := csrfRe.FindStringSubmatch(list.body)[1]
		// Bad input: the API's validation, shown on the form, nothing made.
		for _, bad := range []string{"ftp://hooks.example/x", "http://hooks.example.com/not-loopback", "not a url"} {
			r := b.post("/console/webhooks", url.Values{"csrf": {token}, "url": {bad}})
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
				t.Errorf("url %q: %d", bad, r.status)
			}
		}
		// Without the CSRF token: refused.
		if r := b.post("/console/webhooks", url.Values{"url": {"http://127.0.0.1:9/hook"}}); r.status != http.StatusForbidden {
			t.Errorf("no CSRF token: %d", r.status)
		}
		if r := b.get("/console/webhooks"); !strings.Contains(r.body, `id="no-webhooks"`) {
			t.Fatal("a refused form made a webhook")
		}
		r := b.post("/console/webhooks", url.Values{"csrf": {token}, "url": {"http://127.0.0.1:9/hook"},
			"description": {"Audit sink"}, "event_types": {"admin.*, login.succeeded"}})
		m := secretRe.FindStringSubmatch(r.body)
		if r.status != 200 || m == nil || len(m[1]) < 16 {
			t.Fatalf("create: %d %.2000s", r.status, r.body)
		}
		secret := m[1]
		list = b.get("/console/webhooks")
		id := webhookIDRe.FindStringSubmatch(list.body)
		if id == nil || !strings.Contains(list.body, "admin.*, login.succeeded") || strings.Contains(list.body, secret) {
			t.Fatalf("list after create: %.2000s", list.body)
		}
		// An event for the webhook: a user is created through the API.
		if cr, err := e.srv.Admin.CreateUserWithBodyWithResponse(context.Background(), nil, "application/json",
			strings.NewReader(`{"email":"jane@example.com"}`)); err != nil || cr.StatusCode() != http.StatusCreated {
			t.Fatalf("create user: %v %s", err, cr.Body)
		}
		page := b.get("/console/webhooks/" + id[1])
		if page.status != 200 || strings.Contains(page.body, secret) || !strings.Contains(page.body, `id="deliveries"`) ||
			!strings.Contains(page.body, "<code>admin.user.created</code>") || strings.Contains(page.body, "&lt;nil&gt;") {
			t.Fatalf("webhook page: %d %.3000s", page.status, page.body)
		}
		if !regexp.MustCompile(`data-status="(pending|failed|delivered)"`).MatchString(page.body) {
			t.Error("delivery status missing")
		}
		dash := b.get("/console/")
		if !regexp.MustCompile(`data-backlog>(≥ )?\d+<`).MatchString(dash.body) {
			t.Errorf("dashboard backlog missing: %.3000s", dash.body)
		}
		if r := b.get("/console/webhooks/no-such-webhook"); r.status != http.StatusNotFound {
			t.Errorf("unknown webhook: %d", r.status)
		}

		// The viewer sees the list and deliveries, no form; the server
		// refuses their POST.
		v := e.browser()
		v.signIn("", "viewer@example.com", "")
		vl := v.get("/console/webhooks")
		if vl.status != 200 || strings.Contains(vl.body, `id="create-webhook"`) || !strings.Contains(vl.body, id[1]) {
			t.Fatalf("viewer list: %d", vl.status)
		}
		vt := csrfRe.FindStringSubmatch(vl.body)[1]
		if r := v.post("/console/webhooks", url.Values{"csrf": {vt}, "url": {"http://127.0.0.1:9/other"}}); r.status != http.StatusForbidden {
			t.Errorf("viewer create: %d", r.status)
		}
		if r := b.get("/console/webhooks"); strings.Count(r.body, `href="/console/webhooks/`) != 1 {
			t.Error("the viewer made a webhook")
		}
	})
}
