package sqlstore

import "testing"

// Statement spans are named by operation and table, never by values.
func TestDescribe(t *testing.T) {
	for q, want := range map[string]string{
		`SELECT ` + signingKeyCols + ` FROM signing_keys WHERE tenant_id = ?`:            "SELECT signing_keys",
		"\n\t\tinsert into users (id) VALUES (?)":                                        "INSERT users",
		`UPDATE mfa_factors SET data = ? WHERE tenant_id = ?`:                            "UPDATE mfa_factors",
		`DELETE FROM sessions WHERE expires_at < ?`:                                      "DELETE sessions",
		`WITH x AS (SELECT 1) SELECT * FROM "webhooks"`:                                  "WITH webhooks",
		`INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`: "INSERT settings",
		`PRAGMA integrity_check`:                                                         "PRAGMA",
		``:                                                                               "",
	} {
		if got := describe(q).name; got != want {
			t.Errorf("describe(%.40q) = %q, want %q", q, got, want)
		}
	}
}
