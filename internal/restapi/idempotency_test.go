package restapi_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// A response replayed for an Idempotency-Key is kept sealed: a copy of the
// database taken within the record's 24 hours does not reveal the client
// secret it carries (before, the body was stored as sent), and the retry
// still gets the same secret.
func TestIdempotencyRecordsKeepSecretsSealed(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			opts := testserver.Options{}
			if engine == "postgres" {
				opts.Env = map[string]string{"GATEHOUSE_DATABASE": pgtest.SchemaURL(t, "gh_idem")}
			}
			s := testserver.New(t, opts)
			body := `{"client_name":"Backend","grant_types":["client_credentials"],"token_endpoint_auth_method":"client_secret_basic"}`
			r1, b1 := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json", body, "Idempotency-Key", "sealed-1")
			secret, _ := b1["client_secret"].(string)
			if r1.StatusCode != 201 || secret == "" {
				t.Fatalf("create: %d %v", r1.StatusCode, b1)
			}
			rows := rawRows(t, s, "idempotency_records")
			if len(rows) != 1 {
				t.Fatalf("%d idempotency records, want 1", len(rows))
			}
			for col, v := range rows[0] {
				if bytes.Contains(v, []byte(secret)) {
					t.Errorf("column %s holds the client secret: %q", col, v)
				}
			}
			r2, b2 := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json", body, "Idempotency-Key", "sealed-1")
			if r2.StatusCode != 201 || r2.Header.Get("Idempotent-Replayed") != "true" ||
				b2["client_secret"] != secret || b2["client_id"] != b1["client_id"] {
				t.Fatalf("replay: %d %q %v", r2.StatusCode, r2.Header.Get("Idempotent-Replayed"), b2)
			}

			// A sealed body copied into another key's record opens there
			// no more: the retry gets a conflict, not the secret.
			other := `{"client_name":"Other","grant_types":["client_credentials"]}`
			if r, b := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json", other, "Idempotency-Key", "sealed-2"); r.StatusCode != 201 {
				t.Fatalf("second client: %d %v", r.StatusCode, b)
			}
			q := "UPDATE idempotency_records SET body = ? WHERE idem_key LIKE ?"
			if engine == "postgres" {
				q = "UPDATE idempotency_records SET body = $1 WHERE idem_key LIKE $2"
			}
			if _, err := writeDB(s).ExecContext(t.Context(), q, rows[0]["body"], "% sealed-2"); err != nil {
				t.Fatal(err)
			}
			r3, b3 := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json", other, "Idempotency-Key", "sealed-2")
			wantProblem(t, r3, b3, 409, "urn:gatehouse:problem:idempotency-conflict")
		})
	}
}

// rawRows reads every column of every row of table as the driver returns
// it, bypassing the store.
func rawRows(t *testing.T, s *testserver.Server, table string) []map[string][]byte {
	t.Helper()
	rows, err := writeDB(s).QueryContext(t.Context(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string][]byte
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string][]byte{}
		for i, v := range vals {
			switch v := v.(type) {
			case []byte:
				row[cols[i]] = v
			case string:
				row[cols[i]] = []byte(v)
			default:
				row[cols[i]] = fmt.Append(nil, v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func writeDB(s *testserver.Server) *sql.DB {
	return s.App.DB.(interface{ WriteDB() *sql.DB }).WriteDB()
}
