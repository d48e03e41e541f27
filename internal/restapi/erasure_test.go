package restapi_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// Erasure (issue 15) on both engines: after DELETE /v1/me and the Admin
// API's delete, no table of the database holds the person's email or
// name anywhere (every column of every row, text and blob), the audit
// events about them are still there and read as erased, the chain
// verifies, and user.erased was recorded and queued for webhooks.

func engineServer(t *testing.T, engine string) *testserver.Server {
	t.Helper()
	opts := testserver.Options{LoopbackIssuer: true}
	if engine == "postgres" {
		opts.Env = map[string]string{"GATEHOUSE_DATABASE": pgtest.SchemaURL(t, "gh_erase")}
	}
	return testserver.New(t, opts)
}

// scanDatabase returns "table.column" for every value in the database
// that contains one of needles (case-insensitive).
func scanDatabase(t *testing.T, s *testserver.Server, needles ...string) []string {
	t.Helper()
	db := s.App.DB.(interface{ WriteDB() *sql.DB }).WriteDB()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if s.App.DB.Dialect() == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := db.QueryContext(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 30 {
		t.Fatalf("only %d tables found: %v", len(tables), tables)
	}
	var found []string
	for _, tb := range tables {
		rows, err := db.QueryContext(t.Context(), `SELECT * FROM "`+tb+`"`)
		if err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", tb, err)
			}
			for i, v := range vals {
				var b []byte
				switch v := v.(type) {
				case []byte:
					b = v
				case string:
					b = []byte(v)
				default:
					b = fmt.Append(nil, v)
				}
				for _, n := range needles {
					if bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(n))) {
						found = append(found, tb+"."+cols[i])
					}
				}
			}
		}
		rows.Close()
	}
	return found
}

func TestErasure(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			s := engineServer(t, engine)
			adm := testserver.AdminToken
			ctx := t.Context()
			st, tid := exportTenantStore(t, s, "")
			if resp, body := do(t, s, "POST", "/admin/v1/webhooks", adm, "application/json",
				`{"url":"https://hooks.example.com/gh"}`); resp.StatusCode != 201 {
				t.Fatalf("webhook: %d %v", resp.StatusCode, body)
			}
			if resp, body := do(t, s, "POST", purposesPath("", ""), adm, "application/json",
				`{"id":"newsletter","name":"Newsletter","legal_basis":"consent"}`); resp.StatusCode != 201 {
				t.Fatalf("purpose: %d %v", resp.StatusCode, body)
			}
			web := mkApp(t, s, "", "Account console", true)

			// Two people with everything a person leaves behind: profile,
			// password, session and tokens, a consent decision with its
			// receipt, an export, and audit events with personal fields.
			type person struct{ id, email, name, token string }
			people := []*person{
				{email: "erin.erasure@example.com", name: "Zebedee-Erin"},
				{email: "fred.forgotten@example.com", name: "Quixley-Fred"},
			}
			for _, p := range people {
				p.id = mkAccountUser(t, s, "", p.email)
				if resp, body := do(t, s, "PATCH", "/admin/v1/users/"+p.id, adm, "application/merge-patch+json",
					`{"given_name":"`+p.name+`","family_name":"`+p.name+`"}`); resp.StatusCode != 200 {
					t.Fatalf("name: %d %v", resp.StatusCode, body)
				}
				p.token = newUserAgent(t, s).signIn(web, p.email, "openid account offline_access").AccessToken
				if resp, body := do(t, s, "PUT", mePath("", "/privacy/purposes/newsletter"), p.token, "application/json",
					`{"granted":true}`); resp.StatusCode != 200 {
					t.Fatalf("grant: %d %v", resp.StatusCode, body)
				}
				if resp, body := do(t, s, "POST", mePath("", "/export"), p.token, "", ""); resp.StatusCode != 202 {
					t.Fatalf("export: %d %v", resp.StatusCode, body)
				}
				// An event whose data names the person (as sign-in and
				// federation events may).
				if err := s.App.Events.Record(ctx, events.Event{TenantID: tid, Type: "login.failed", UserID: p.id,
					IP: "198.51.100.7", UserAgent: "Agent " + p.name, Data: map[string]any{"identifier": p.email,
						"name": p.name, "reason": "password"}}); err != nil {
					t.Fatal(err)
				}
			}
			s.App.Privacy.WaitExports()
			if found := scanDatabase(t, s, people[0].email, people[0].name); len(found) == 0 {
				t.Fatal("the scan finds nothing before the erasure: it would prove nothing after it")
			}

			// Stored sealed; read opened, in the Admin API and the export.
			recs, _, err := st.Audit().List(ctx, tid, store.AuditFilter{UserID: people[0].id, Type: "login.failed"}, store.Page{})
			if err != nil || len(recs) != 1 {
				t.Fatalf("events: %v %d", err, len(recs))
			}
			if strings.Contains(recs[0].Data, people[0].email) || !strings.HasPrefix(recs[0].IP, "ghs1:") {
				t.Fatalf("stored unsealed: %+v", recs[0])
			}
			resp, body := do(t, s, "GET", "/admin/v1/events/"+recs[0].ID, adm, "", "")
			if resp.StatusCode != 200 || body["ip"] != "198.51.100.7" || body["data"].(map[string]any)["identifier"] != people[0].email ||
				body["subject_erased"] != nil {
				t.Fatalf("event before erasure: %d %v", resp.StatusCode, body)
			}

			// Erin erases herself; Fred is erased by an administrator.
			if resp, body := do(t, s, "DELETE", mePath("", ""), people[0].token, "application/json",
				`{"current_password":"`+accountPassword+`"}`); resp.StatusCode != 204 {
				t.Fatalf("delete me: %d %v", resp.StatusCode, body)
			}
			if resp, body := do(t, s, "DELETE", "/admin/v1/users/"+people[1].id, adm, "", ""); resp.StatusCode != 204 {
				t.Fatalf("admin delete: %d %v", resp.StatusCode, body)
			}
			if resp, _ := do(t, s, "DELETE", "/admin/v1/users/"+people[1].id, adm, "", ""); resp.StatusCode != 404 {
				t.Fatalf("second delete: %d", resp.StatusCode)
			}

			// An invited person, who never signed in: the pending
			// invitation goes with them.
			if resp, body := do(t, s, "POST", "/admin/v1/invitations", adm, "application/json",
				`{"email":"gina.invited@example.com","given_name":"Yarrow-Gina"}`); resp.StatusCode != 201 {
				t.Fatalf("invite: %d %v", resp.StatusCode, body)
			}
			resp, body = do(t, s, "GET", "/admin/v1/users?email=gina.invited@example.com", adm, "", "")
			if items, _ := body["items"].([]any); resp.StatusCode != 200 || len(items) != 1 {
				t.Fatalf("invited user: %d %v", resp.StatusCode, body)
			}
			gina := body["items"].([]any)[0].(map[string]any)["id"].(string)
			if found := scanDatabase(t, s, "gina.invited@example.com"); len(found) < 2 {
				t.Fatalf("the invitation is not stored as expected: %v", found)
			}
			if resp, body := do(t, s, "DELETE", "/admin/v1/users/"+gina, adm, "", ""); resp.StatusCode != 204 {
				t.Fatalf("delete invited: %d %v", resp.StatusCode, body)
			}
			if found := scanDatabase(t, s, "gina.invited@example.com", "Yarrow-Gina"); len(found) > 0 {
				t.Errorf("the invited person is still in %v", found)
			}
			resp, body = do(t, s, "GET", "/admin/v1/invitations", adm, "", "")
			if items, _ := body["items"].([]any); resp.StatusCode != 200 || len(items) != 0 {
				t.Errorf("invitations after erasure: %d %v", resp.StatusCode, body)
			}

			for _, p := range people {
				if found := scanDatabase(t, s, p.email, p.name); len(found) > 0 {
					t.Errorf("%s still found in %v", p.email, found)
				}
				// The access token no longer works.
				if resp, _ := do(t, s, "GET", mePath("", ""), p.token, "", ""); resp.StatusCode != 401 {
					t.Errorf("token of an erased person: %d", resp.StatusCode)
				}
				// The events stay, as evidence, and read as erased.
				resp, body := do(t, s, "GET", "/admin/v1/events?user_id="+p.id, adm, "", "")
				if resp.StatusCode != 200 {
					t.Fatalf("events: %d %v", resp.StatusCode, body)
				}
				var types []string
				erasedSeen := false
				for _, it := range body["items"].([]any) {
					e := it.(map[string]any)
					types = append(types, e["type"].(string))
					if e["type"] == "login.failed" {
						d := e["data"].(map[string]any)
						if e["subject_erased"] != true || e["ip"] != audit.Erased || e["user_agent"] != audit.Erased ||
							d["identifier"] != audit.Erased || d["name"] != audit.Erased || d["reason"] != "password" {
							t.Errorf("erased event reads %v", e)
						}
						erasedSeen = true
					}
				}
				if !erasedSeen || !strings.Contains(strings.Join(types, ","), "user.erased") {
					t.Errorf("events of %s: %v", p.email, types)
				}
			}
			// user.erased went to the webhook subscribers, with nothing personal.
			var payload []byte
			if err := s.App.DB.(interface{ WriteDB() *sql.DB }).WriteDB().QueryRowContext(ctx,
				rebindFor(s, `SELECT payload FROM webhook_deliveries WHERE event_type = ? AND user_id = ?`), "user.erased", people[1].id).
				Scan(&payload); err != nil {
				t.Fatalf("user.erased delivery: %v", err)
			}
			var pl map[string]any
			if err := json.Unmarshal(payload, &pl); err != nil || pl["data"].(map[string]any)["by"] != "admin" {
				t.Fatalf("user.erased payload %s", payload)
			}

			rep, err := audit.Verify(ctx, s.App.DB)
			if err != nil || rep.Break != nil {
				t.Fatalf("audit verify after erasure: %v %v", err, rep.Break)
			}
		})
	}
}

// rebindFor turns ? placeholders into $n on PostgreSQL.
func rebindFor(s *testserver.Server, q string) string {
	if s.App.DB.Dialect() != "postgres" {
		return q
	}
	n := 0
	var b strings.Builder
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
