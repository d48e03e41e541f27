package restapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Admin actions land in the audit log with the acting key, and the events
// API lists them newest first, filtered and paged.
func TestAdminActionsAreAudited(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	kr, err := s.Admin.CreateAPIKeyWithResponse(ctx, nil, gen.APIKeyCreate{Name: "ops", Scopes: []gen.APIKeyScope{"users:write", "events:read"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	ops := s.ClientWithToken(t, kr.JSON201.Token)
	ur, err := ops.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "audit@example.com"})
	if err != nil || ur.JSON201 == nil {
		t.Fatalf("%v %s", err, ur.Body)
	}
	uid := ur.JSON201.ID
	if r, err := ops.DisableUserWithResponse(ctx, uid); err != nil || r.StatusCode() != 200 {
		t.Fatalf("disable: %v %s", err, r.Body)
	}
	if r, err := ops.DeleteUserWithResponse(ctx, uid); err != nil || r.StatusCode() != 204 {
		t.Fatalf("delete: %v %s", err, r.Body)
	}

	lr, err := ops.ListEventsWithResponse(ctx, &gen.ListEventsParams{UserID: &uid})
	if err != nil || lr.JSON200 == nil {
		t.Fatalf("%v %s", err, lr.Body)
	}
	var types []string
	for _, e := range lr.JSON200.Items {
		types = append(types, e.Type)
		if val(e.ActorID) != kr.JSON201.ID {
			t.Errorf("%s: actor %v, want the key %s", e.Type, val(e.ActorID), kr.JSON201.ID)
		}
	}
	// The delete erases the user (user.erased, by the same key), then is
	// recorded as the admin action.
	if got := strings.Join(types, " "); got != "admin.user.deleted user.erased admin.user.disabled admin.user.created" {
		t.Fatalf("events for the user, newest first: %s", got)
	}
	all, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{})
	if err != nil || all.JSON200 == nil || len(all.JSON200.Items) != 5 || all.JSON200.Items[4].Type != "admin.api_key.created" {
		t.Fatalf("all events: %v %s", err, all.Body)
	}
	// Each record links to the one before it.
	items := all.JSON200.Items
	for i := 0; i+1 < len(items); i++ {
		if items[i].PrevHash != items[i+1].Hash || items[i].Seq != items[i+1].Seq+1 {
			t.Fatalf("record %d does not link to %d", items[i].Seq, items[i+1].Seq)
		}
	}

	// One event per page, following the cursor.
	limit := 1
	var paged []string
	p := &gen.ListEventsParams{Limit: &limit, Type: strp("admin.user.disabled")}
	for {
		r, err := s.Admin.ListEventsWithResponse(ctx, p)
		if err != nil || r.JSON200 == nil {
			t.Fatalf("%v %s", err, r.Body)
		}
		for _, e := range r.JSON200.Items {
			paged = append(paged, e.ID)
		}
		next, err := r.JSON200.NextCursor.Get()
		if err != nil {
			break
		}
		p.Cursor = &next
	}
	if len(paged) != 1 || paged[0] != lr.JSON200.Items[2].ID {
		t.Fatalf("paged by type: %v", paged)
	}

	gr, err := s.Admin.GetEventWithResponse(ctx, paged[0])
	if err != nil || gr.JSON200 == nil || gr.JSON200.Type != "admin.user.disabled" || val(gr.JSON200.UserID) != uid {
		t.Fatalf("get: %v %s", err, gr.Body)
	}
	resp, body := do(t, s, "GET", "/admin/v1/events/no-such-event", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	resp, body = do(t, s, "GET", "/admin/v1/events?decision=maybe", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	resp, body = do(t, s, "GET", "/admin/v1/events?since=yesterday", testserver.AdminToken, "", "")
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")

	// users:write alone does not read the audit log.
	wr, err := s.Admin.CreateAPIKeyWithResponse(ctx, nil, gen.APIKeyCreate{Name: "writer", Scopes: []gen.APIKeyScope{"users:write"}})
	if err != nil || wr.JSON201 == nil {
		t.Fatalf("%v %s", err, wr.Body)
	}
	resp, body = do(t, s, "GET", "/admin/v1/events", wr.JSON201.Token, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
}

// A key of another tenant cannot read the default tenant's events.
func TestEventsTenantIsolation(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "acme"}); err != nil || r.StatusCode() != 201 {
		t.Fatalf("%v", err)
	}
	kr, err := s.Admin.CreateTenantAPIKeyWithResponse(ctx, "acme", nil, gen.APIKeyCreate{Name: "acme", Scopes: []gen.APIKeyScope{"admin"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	if r, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "d@example.com"}); err != nil || r.StatusCode() != 201 {
		t.Fatalf("%v", err)
	}
	all, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{})
	if err != nil || all.JSON200 == nil || len(all.JSON200.Items) != 1 {
		t.Fatalf("%v %s", err, all.Body)
	}
	for _, path := range []string{"/admin/v1/events", "/admin/v1/events/" + all.JSON200.Items[0].ID, "/admin/v1/webhooks"} {
		resp, body := do(t, s, "GET", path, kr.JSON201.Token, "", "")
		wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")
	}
}

// Recorded login events feed gatehouse_logins_total on /metrics.
func TestLoginCounters(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	def, err := s.App.Directory.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []events.Event{
		{TenantID: def.Tenant.ID, Type: events.LoginFailed, UserID: "u", Decision: "deny"},
		{TenantID: def.Tenant.ID, Type: events.LoginFailed, UserID: "u", Decision: "deny"},
		{TenantID: def.Tenant.ID, Type: events.LoginSucceeded, UserID: "u"},
	} {
		if err := s.App.Events.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`gatehouse_logins_total{decision="deny",outcome="failed"} 2`, `gatehouse_logins_total{decision="none",outcome="succeeded"} 1`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// Consent granted on the login, and sessions and consents the user ends
// through the account API, are in the audit log under the user.
func TestUserActionsAreAudited(t *testing.T) {
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true})
	uid := mkAccountUser(t, s, "", "ada@example.com")
	third := mkApp(t, s, "", "Third party", false)
	web := mkApp(t, s, "", "Account console", true)
	b := newUserAgent(t, s)
	tok := b.signIn(web, "ada@example.com", "openid account").AccessToken
	b.consentPage(third, "openid")

	resp, body := do(t, s, "DELETE", mePath("", "/consents/"+third.id), tok, "", "")
	if resp.StatusCode != 204 {
		t.Fatalf("withdraw consent: %d %v", resp.StatusCode, body)
	}
	resp, list := do(t, s, "GET", mePath("", "/sessions"), tok, "", "")
	items, _ := list["items"].([]any)
	if resp.StatusCode != 200 || len(items) == 0 {
		t.Fatalf("sessions: %d %v", resp.StatusCode, list)
	}
	sid := items[0].(map[string]any)["id"].(string)
	resp, body = do(t, s, "DELETE", mePath("", "/sessions/"+sid), tok, "", "")
	if resp.StatusCode != 204 {
		t.Fatalf("revoke session: %d %v", resp.StatusCode, body)
	}

	lr, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{UserID: &uid})
	if err != nil || lr.JSON200 == nil {
		t.Fatalf("%v %s", err, lr.Body)
	}
	seen := map[string]int{}
	for _, e := range lr.JSON200.Items {
		seen[e.Type]++
	}
	for _, want := range []string{"consent.granted", "consent.withdrawn", "session.revoked", "login.succeeded"} {
		if seen[want] == 0 {
			t.Errorf("no %s event for the user; saw %v", want, seen)
		}
	}
}
