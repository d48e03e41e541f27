package restapi_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

func TestWebhooksAPI(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	types := []string{"login.*"}
	cr, err := s.Admin.CreateWebhookWithResponse(ctx, nil, gen.WebhookCreate{URL: "https://hooks.example.com/gh", EventTypes: &types})
	if err != nil || cr.JSON201 == nil {
		t.Fatalf("%v %s", err, cr.Body)
	}
	w := cr.JSON201
	if !strings.HasPrefix(w.Secret, "whsec_") || !w.Enabled || cr.HTTPResponse.Header.Get("Location") != "/admin/v1/webhooks/"+w.ID {
		t.Fatalf("created: %+v %v", w, cr.HTTPResponse.Header)
	}
	gr, err := s.Admin.GetWebhookWithResponse(ctx, w.ID)
	if err != nil || gr.JSON200 == nil || strings.Contains(string(gr.Body), w.Secret) || gr.HTTPResponse.Header.Get("ETag") != `"1"` {
		t.Fatalf("get: %v %s", err, gr.Body)
	}

	for _, bad := range []string{"http://hooks.example.com/", "ftp://127.0.0.1/", "https://user:pw@hooks.example.com/", "http://10.0.0.1/"} {
		resp, body := do(t, s, "POST", "/admin/v1/webhooks", testserver.AdminToken, "application/json", `{"url":"`+bad+`"}`)
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	}
	resp, body := do(t, s, "POST", "/admin/v1/webhooks", testserver.AdminToken, "application/json", `{"url":"https://x.example.com/","event_types":["Login Failed"]}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
	local, err := s.Admin.CreateWebhookWithResponse(ctx, nil, gen.WebhookCreate{URL: "http://127.0.0.1:9/hook", Enabled: new(false)})
	if err != nil || local.JSON201 == nil || local.JSON201.Enabled {
		t.Fatalf("loopback http: %v %s", err, local.Body)
	}

	// Only matching events of enabled webhooks are queued.
	def, err := s.App.Directory.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{events.LoginFailed, events.PasswordChanged} {
		if err := s.App.Events.Record(ctx, events.Event{TenantID: def.Tenant.ID, Type: typ, UserID: "u1"}); err != nil {
			t.Fatal(err)
		}
	}
	dr, err := s.Admin.ListWebhookDeliveriesWithResponse(ctx, w.ID, nil)
	if err != nil || dr.JSON200 == nil || len(dr.JSON200.Items) != 1 {
		t.Fatalf("deliveries: %v %s", err, dr.Body)
	}
	d := dr.JSON200.Items[0]
	if d.EventType != events.LoginFailed || d.Status != "pending" || d.Attempts != 0 || !d.NextAttemptAt.IsSpecified() || val(d.UserID) != "u1" {
		t.Fatalf("delivery %+v", d)
	}
	if r, _ := s.Admin.ListWebhookDeliveriesWithResponse(ctx, local.JSON201.ID, nil); r.JSON200 == nil || len(r.JSON200.Items) != 0 {
		t.Fatalf("disabled webhook got deliveries: %s", r.Body)
	}

	// Merge patch with If-Match.
	stale := `"7"`
	resp, body = do(t, s, "PATCH", "/admin/v1/webhooks/"+w.ID, testserver.AdminToken, "application/merge-patch+json", `{"enabled":false}`, "If-Match", stale)
	wantProblem(t, resp, body, 412, "urn:gatehouse:problem:precondition-failed")
	resp, body = do(t, s, "PATCH", "/admin/v1/webhooks/"+w.ID, testserver.AdminToken, "application/merge-patch+json", `{"enabled":false,"description":"paused"}`, "If-Match", `"1"`)
	if resp.StatusCode != 200 || body["enabled"] != false || body["description"] != "paused" || resp.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/webhooks/"+w.ID, testserver.AdminToken, "application/json", `{"url":"http://example.com/"}`)
	wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")

	lr, err := s.Admin.ListWebhooksWithResponse(ctx, nil)
	if err != nil || lr.JSON200 == nil || len(lr.JSON200.Items) != 2 {
		t.Fatalf("list: %v %s", err, lr.Body)
	}

	// Scopes: webhooks:read reads, and does not write.
	kr, err := s.Admin.CreateAPIKeyWithResponse(ctx, nil, gen.APIKeyCreate{Name: "r", Scopes: []gen.APIKeyScope{"webhooks:read"}})
	if err != nil || kr.JSON201 == nil {
		t.Fatalf("%v %s", err, kr.Body)
	}
	if resp, _ := do(t, s, "GET", "/admin/v1/webhooks/"+w.ID+"/deliveries", kr.JSON201.Token, "", ""); resp.StatusCode != 200 {
		t.Fatalf("reader: %d", resp.StatusCode)
	}
	resp, body = do(t, s, "DELETE", "/admin/v1/webhooks/"+w.ID, kr.JSON201.Token, "", "")
	wantProblem(t, resp, body, 403, "urn:gatehouse:problem:forbidden")

	if r, err := s.Admin.DeleteWebhookWithResponse(ctx, w.ID); err != nil || r.StatusCode() != 204 {
		t.Fatalf("delete: %v", err)
	}
	for _, path := range []string{"/admin/v1/webhooks/" + w.ID, "/admin/v1/webhooks/" + w.ID + "/deliveries"} {
		resp, body := do(t, s, "GET", path, testserver.AdminToken, "", "")
		wantProblem(t, resp, body, 404, "urn:gatehouse:problem:not-found")
	}
	er, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{Type: strp("admin.webhook.deleted")})
	if err != nil || er.JSON200 == nil || len(er.JSON200.Items) != 1 {
		t.Fatalf("webhook deletion not audited: %v %s", err, er.Body)
	}
}
