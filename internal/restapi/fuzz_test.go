package restapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// validCursorID is what a cursor may carry (cursor.go's rule, restated).
var validCursorID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// FuzzDecodeCursor: DecodeCursor never panics, accepts only IDs of the
// documented shape, and agrees with EncodeCursor in both directions. The
// input is tried as a cursor and, when it is a valid ID, as an ID.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{
		restapi.EncodeCursor("01936a00-0000-7000-8000-000000000000"),
		restapi.EncodeCursor("a"),
		restapi.EncodeCursor(strings.Repeat("Z", 64)),
		restapi.EncodeCursor(strings.Repeat("Z", 65)), // ID too long
		restapi.EncodeCursor(""),                      // no ID
		restapi.EncodeCursor("a/b"),                   // ID outside the charset
		restapi.EncodeCursor("a\x00"),
		"",
		"bm9wZQ",   // base64url("nope"): no version prefix
		"YzE6YQ==", // padded
		"YzE6YR",   // non-zero trailing bits
		"YzE6YQ\n",
		"YzE+YQ", // standard-alphabet character
		"c1:a",   // not encoded
		"!!!!",
		"\x00\xff",
		strings.Repeat("A", 128),
		strings.Repeat("A", 129),
		strings.Repeat("YzE6", 10000),
		"01936a00-0000-7000-8000-000000000000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, c string) {
		id, err := restapi.DecodeCursor(c)
		if err != nil {
			if id != "" {
				t.Fatalf("DecodeCursor(%q) = %q with error %v", c, id, err)
			}
		} else {
			if !validCursorID.MatchString(id) {
				t.Fatalf("DecodeCursor(%q) = %q: not a valid ID", c, id)
			}
			again := restapi.EncodeCursor(id)
			if id2, err := restapi.DecodeCursor(again); err != nil || id2 != id {
				t.Fatalf("cursor %q -> ID %q -> cursor %q -> %q, %v", c, id, again, id2, err)
			}
		}
		if validCursorID.MatchString(c) {
			enc := restapi.EncodeCursor(c)
			if got, err := restapi.DecodeCursor(enc); err != nil || got != c {
				t.Fatalf("ID %q -> cursor %q -> %q, %v", c, enc, got, err)
			}
		}
	})
}

// FuzzCreateUserBody posts arbitrary bodies as application/json to
// POST /admin/v1/users. The server must never answer 5xx, every response
// must match the contract, and a request that is not a 201 must write
// nothing. Each 201's user is deleted again, so the tenant is empty
// before every input.
func FuzzCreateUserBody(f *testing.F) {
	deep := func(n int, open, close string) string {
		return strings.Repeat(open, n) + strings.Repeat(close, n)
	}
	for _, s := range []string{
		`{"email":"fuzz@example.com"}`,
		`{"email":"Full@Example.com","password":"correct horse battery","email_verified":true,"username":"full.user",
		  "phone_number":"+14155550123","phone_number_verified":true,"name":"Full User","given_name":"Full",
		  "family_name":"User","middle_name":"M","nickname":"fu","preferred_username":"fu","profile":"https://example.com/fu",
		  "picture":"https://example.com/fu.png","website":"https://example.com","gender":"other","birthdate":"1990-04-01",
		  "zoneinfo":"Europe/Paris","locale":"en-US","address":{"formatted":"1 Main St\nTown","country":"FR"},
		  "attributes":{"plan":"pro","n":1,"nested":{"a":[1,2,3]}},"disabled":false}`,
		// Malformed JSON and non-objects.
		``, `{`, `{"email":`, `{"email":"a@example.com",}`, `null`, `[]`, `"a@example.com"`, `1`, `true`,
		`{"email":"a@example.com"} {}`, `{"email":"a@example.com"}x`,
		"\xef\xbb\xbf{\"email\":\"bom@example.com\"}",
		// Unknown fields and wrong types.
		`{"email":"a@example.com","bogus":1}`, `{"email":"a@example.com","id":"01936a00-0000-7000-8000-000000000000"}`,
		`{"email":1}`, `{"email":null}`, `{"email":["a@example.com"]}`, `{"email":{"x":1}}`,
		`{"email":"a@example.com","email_verified":"yes"}`, `{"email":"a@example.com","email_verified":1}`,
		`{"email":"a@example.com","attributes":[1]}`, `{"email":"a@example.com","attributes":"x"}`,
		`{"email":"a@example.com","password":""}`, `{"email":"a@example.com","password":null}`,
		`{"email":"a@example.com","address":[]}`, `{"email":"a@example.com","address":{"bogus":1}}`,
		// Duplicate keys.
		`{"email":"a@example.com","email":"b@example.com"}`, `{"email":"a@example.com","email":1}`,
		// Deep nesting.
		`{"email":"a@example.com","attributes":{"x":` + deep(10000, "[", "]") + `}}`,
		`{"email":"a@example.com","attributes":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}`,
		deep(20000, "[", "]"), deep(20000, `{"a":`, "}"),
		// Huge strings.
		`{"email":"` + strings.Repeat("a", 5000) + `@example.com"}`,
		`{"email":"a@example.com","given_name":"` + strings.Repeat("g", 5000) + `"}`,
		`{"email":"a@example.com","password":"` + strings.Repeat("p", 1025) + `"}`,
		`{"email":"a@example.com","password":"` + strings.Repeat("p", 1024) + `"}`,
		`{"email":"a@example.com","attributes":{"` + strings.Repeat("k", 70000) + `":1}}`, // over MaxAttributesSize
		// Unicode and odd emails.
		`{"email":"ü@exämple.com"}`, `{"email":"jöhn@example.com"}`, `{"email":"a@xn--exmple-cua.com"}`,
		`{"email":"ａ＠example.com"}`, `{"email":"a@example.com\u202e"}`, `{"email":"\u0000@example.com"}`,
		`{"email":"a\u0000b@example.com"}`, `{"email":"a@example.com\u0000"}`, `{"email":"\ud800@example.com"}`,
		`{"email":"A@EXAMPLE.COM "}`, `{"email":" a@example.com"}`, `{"email":"a@@example.com"}`,
		`{"email":"\"quoted\"@example.com"}`, `{"email":"a@[127.0.0.1]"}`, `{"email":"a@localhost"}`,
		`{"email":"` + strings.Repeat("a", 64) + `@` + strings.Repeat("b", 251) + `.com"}`,
		"{\"email\":\"a@example.com\",\"given_name\":\"\xff\xfe\"}",
		"{\"email\":\"a@example.com\"}\x00",
		"{\"email\":\"a\x00@example.com\"}",
		// Other formats at their edges.
		`{"email":"a@example.com","username":""}`, `{"email":"a@example.com","username":"has space"}`,
		`{"email":"a@example.com","birthdate":"2023-02-30"}`, `{"email":"a@example.com","birthdate":"0000"}`,
		`{"email":"a@example.com","zoneinfo":"Not/AZone"}`, `{"email":"a@example.com","locale":"xx-YYYYYYYY"}`,
		`{"email":"a@example.com","picture":"javascript:alert(1)"}`, `{"email":"a@example.com","profile":"::"}`,
		`{"email":"a@example.com","phone_number":"+10000000"}`,
		// Attributes with odd values.
		`{"email":"a@example.com","attributes":{"":1}}`, `{"email":"a@example.com","attributes":{"a":null}}`,
		`{"email":"a@example.com","attributes":{"big":1e400}}`, `{"email":"a@example.com","attributes":{"neg":-0}}`,
		`{"email":"a@example.com","attributes":{"n":123456789012345678901234567890}}`,
		`{"email":"a@example.com","attributes":{"$ref":"#"}}`, `{"email":"a@example.com","attributes":{"a\u0000b":"\u0000"}}`,
		`{"email":"a@example.com","attributes":{"__proto__":{"x":1}}}`, `{"email":"a@example.com","attributes":null}`,
		`{"email":"a@example.com","attributes":{"a":1,"a":2}}`,
		// U+0000 in attributes: PostgreSQL's jsonb cannot store it
		// (SQLSTATE 22P05); SQLite can. In a key, nested (and in a value:
		// testdata/fuzz/FuzzCreateUserBody/postgres-nul-in-attribute).
		`{"email":"a@example.com","attributes":{"\u0000":1}}`,
		`{"email":"a@example.com","attributes":{"a":[{"b":"x\u0000"}]}}`,
	} {
		f.Add([]byte(s))
	}

	// One server per engine, shared by all inputs: SQLite always, and
	// PostgreSQL too when it is configured, which also checks that both
	// engines answer every input alike.
	targets := []*fuzzTarget{newFuzzTarget(f, "sqlite", nil)}
	if os.Getenv(pgtest.DSNEnv) != "" {
		targets = append(targets, newFuzzTarget(f, "postgres", map[string]string{"GATEHOUSE_DATABASE": pgtest.SchemaURL(f, "gh_fuzz")}))
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		statuses := make([]int, len(targets))
		for i, tg := range targets {
			statuses[i] = tg.createUser(t, body)
		}
		if len(statuses) == 2 && statuses[0] != statuses[1] {
			t.Errorf("sqlite answered %d, postgres %d for body %q", statuses[0], statuses[1], clip(body))
		}
	})
}

type fuzzTarget struct {
	engine string
	s      *testserver.Server
	sc     *tenancy.Tenant
}

func newFuzzTarget(f *testing.F, engine string, env map[string]string) *fuzzTarget {
	if env == nil {
		env = map[string]string{}
	}
	env["GATEHOUSE_LOG_LEVEL"] = "warn"
	s := testserver.New(f, testserver.Options{Env: env})
	sc, err := s.App.Directory.Resolve(f.Context(), "")
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzTarget{engine: engine, s: s, sc: sc}
}

// createUser posts body, checks the outcome and returns the status.
func (tg *fuzzTarget) createUser(t *testing.T, body []byte) int {
	t.Helper()
	// A contract-checking client per input, so mismatches are reported
	// against this input (tg.s.HTTP would report to the *testing.F).
	client := apitest.Client(t)
	req, err := http.NewRequest(http.MethodPost, tg.s.URL+"/admin/v1/users", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testserver.AdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode >= 500 {
		t.Fatalf("%s: status %d for body %q:\n%s\nlogs:\n%s", tg.engine, resp.StatusCode, clip(body), got, tail(tg.s.Logs.String()))
	}

	users := tg.sc.Store.Users()
	after, _, err := users.List(t.Context(), tg.sc.Tenant.ID, store.UserFilter{}, store.Page{Limit: store.MaxLimit}.Norm())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated {
		if len(after) != 0 {
			t.Fatalf("%s: status %d, but %d user(s) were written for body %q", tg.engine, resp.StatusCode, len(after), clip(body))
		}
		return resp.StatusCode
	}
	var created struct{ ID string }
	if err := json.Unmarshal(got, &created); err != nil {
		t.Fatal(err)
	}
	if len(after) != 1 || after[0].ID != created.ID {
		t.Fatalf("%s: 201 with id %q, but the tenant has %d user(s)", tg.engine, created.ID, len(after))
	}
	if err := users.Delete(t.Context(), tg.sc.Tenant.ID, created.ID); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// tail keeps the end of the server log, where the failing request is.
func tail(logs string) string {
	if len(logs) > 4000 {
		return "..." + logs[len(logs)-4000:]
	}
	return logs
}
