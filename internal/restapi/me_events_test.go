package restapi_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// The account API records password.changed and user.deleted through the
// onboarding service's recorder, with the tenant, the user and the IP.
func TestMeRecordsEvents(t *testing.T) {
	var mu sync.Mutex
	var got []events.Event
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true, AccountEvents: events.Func(func(_ context.Context, e events.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e)
		return nil
	})})
	ada := mkAccountUser(t, s, "", "ada@example.com")
	web := mkApp(t, s, "", "Account console", true)
	const next = "violet-kettle-harbour-7"
	tok := newUserAgent(t, s).signIn(web, "ada@example.com", "openid account").AccessToken
	if resp, body := do(t, s, "POST", mePath("", "/password"), tok, "application/json",
		`{"current_password":"`+accountPassword+`","new_password":"`+next+`"}`); resp.StatusCode != 204 {
		t.Fatalf("change password: %d %v", resp.StatusCode, body)
	}
	bob := mkAccountUser(t, s, "", "bob@example.com")
	tok = newUserAgent(t, s).signIn(web, "bob@example.com", "openid account").AccessToken
	if resp, body := do(t, s, "DELETE", mePath("", ""), tok, "application/json", `{"current_password":"`+accountPassword+`"}`); resp.StatusCode != 204 {
		t.Fatalf("delete me: %d %v", resp.StatusCode, body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Type != events.PasswordChanged || got[1].Type != events.UserDeleted {
		t.Fatalf("events = %+v", got)
	}
	def := mustScope(t, s, "")
	for i, e := range got {
		if e.UserID != []string{ada, bob}[i] || e.TenantID != def.Tenant.ID || e.IP != "127.0.0.1" {
			t.Errorf("event %+v", e)
		}
	}
}
