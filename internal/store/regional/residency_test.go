package regional_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	openapi_types "github.com/oapi-codegen/runtime/types"
	_ "modernc.org/sqlite"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// person is a user whose identifiers must live only in their region.
type person struct {
	email, name, phone, region string
	id                         string
}

// scanner reads every text value of every table of one database.
type scanner func(t *testing.T) []string

// TestTwoRegions creates and signs in users of two regions and then reads
// every text column of every table of every database: each person's
// email, name and phone are found in their region's database and nowhere
// else, not in the main database, not in the other region's.
func TestTwoRegions(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		dbs := map[string]string{"main": filepath.Join(dir, "main.db"), "eu": filepath.Join(dir, "eu.db"), "us": filepath.Join(dir, "us.db")}
		env := map[string]string{
			"GATEHOUSE_DATABASE":       "sqlite:" + dbs["main"],
			"GATEHOUSE_REGIONS":        "eu=sqlite:" + dbs["eu"] + ";us=sqlite:" + dbs["us"],
			"GATEHOUSE_DEFAULT_REGION": "eu",
		}
		scanners := map[string]scanner{}
		for name, path := range dbs {
			scanners[name] = sqliteScanner(path)
		}
		twoRegions(t, env, scanners)
	})
	t.Run("postgres", func(t *testing.T) {
		main := pgtest.DatabaseURL(t, "gh_res_main")
		eu := pgtest.DatabaseURL(t, "gh_res_eu")
		us := pgtest.DatabaseURL(t, "gh_res_us")
		env := map[string]string{
			"GATEHOUSE_DATABASE":       main,
			"GATEHOUSE_REGIONS":        "eu=" + eu + ";us=" + us,
			"GATEHOUSE_DEFAULT_REGION": "eu",
		}
		twoRegions(t, env, map[string]scanner{"main": pgScanner(main), "eu": pgScanner(eu), "us": pgScanner(us)})
	})
}

func twoRegions(t *testing.T, env map[string]string, scan map[string]scanner) {
	s := testserver.New(t, testserver.Options{Env: env, LoopbackIssuer: true})
	ctx := t.Context()
	people := []*person{
		{email: "ada.lovelace@example.eu", name: "Adalinde Quistorp", phone: "+4930123456789", region: "eu"},
		{email: "bo.jackson@example.us", name: "Bowman Farraday", phone: "+14155550198", region: "us"},
		{email: "cy.default@example.eu", name: "Cyrilla Hochgesang", phone: "+33612345678"}, // the default: eu
	}
	const pw = "correct horse battery staple 42"
	for _, p := range people {
		in := gen.UserCreate{Email: openapiEmail(p.email), Name: &p.name, PhoneNumber: &p.phone,
			Password: restapi.Ptr(pw), EmailVerified: restapi.Ptr(true)}
		if p.region != "" {
			in.Region = restapi.Ptr(p.region)
		}
		r, err := s.Admin.CreateUserWithResponse(ctx, nil, in)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create %s: %v %s", p.email, err, r.Body)
		}
		if p.region == "" {
			p.region = "eu"
		}
		if got := restapi.Val(r.JSON201.Region); got != p.region {
			t.Fatalf("%s: region %q, want %q", p.email, got, p.region)
		}
		p.id = r.JSON201.ID
	}

	// Bad input changes nothing: an unknown region, and an email taken
	// in the other region.
	r, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "x@example.org", Region: restapi.Ptr("mars")})
	if err != nil || r.StatusCode() != http.StatusBadRequest || !strings.Contains(string(r.Body), "/region") {
		t.Fatalf("unknown region: %v %d %s", err, r.StatusCode(), r.Body)
	}
	r, err = s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: openapiEmail(strings.ToUpper(people[0].email)), Region: restapi.Ptr("us")})
	if err != nil || r.StatusCode() != http.StatusConflict {
		t.Fatalf("email of an eu user created in us: %v %d %s", err, r.StatusCode(), r.Body)
	}

	// Reads go to the right region: get, list, and the email filter.
	for _, p := range people {
		g, err := s.Admin.GetUserWithResponse(ctx, p.id)
		if err != nil || g.JSON200 == nil || restapi.Val(g.JSON200.Region) != p.region || string(g.JSON200.Email) != p.email {
			t.Fatalf("get %s: %v %s", p.email, err, g.Body)
		}
		l, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Email: restapi.Ptr(gen.EmailFilter(strings.ToUpper(p.email)))})
		if err != nil || l.JSON200 == nil || len(l.JSON200.Items) != 1 || l.JSON200.Items[0].ID != p.id {
			t.Fatalf("list by email %s: %v %s", p.email, err, l.Body)
		}
	}
	l, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Limit: restapi.Ptr(2)})
	if err != nil || l.JSON200 == nil || len(l.JSON200.Items) != 2 {
		t.Fatalf("first page: %v %s", err, l.Body)
	}
	next, _ := l.JSON200.NextCursor.Get()
	l2, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Limit: restapi.Ptr(2), Cursor: &next})
	if err != nil || l2.JSON200 == nil || len(l2.JSON200.Items) != 1 || l2.JSON200.Items[0].ID != people[2].id {
		t.Fatalf("second page: %v %s", err, l2.Body)
	}

	// A page of one region's users only still has a next page.
	q := gen.QueryFilter("example.eu")
	l, err = s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Q: &q, Limit: restapi.Ptr(1)})
	if err != nil || l.JSON200 == nil || len(l.JSON200.Items) != 1 || l.JSON200.Items[0].ID != people[0].id {
		t.Fatalf("eu-only first page: %v %s", err, l.Body)
	}
	next, _ = l.JSON200.NextCursor.Get()
	l2, err = s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Q: &q, Limit: restapi.Ptr(1), Cursor: &next})
	if err != nil || l2.JSON200 == nil || len(l2.JSON200.Items) != 1 || l2.JSON200.Items[0].ID != people[2].id {
		t.Fatalf("eu-only second page after %q: %v %s", next, err, l2.Body)
	}

	// Sign each in through /authorize, the login API and the token
	// endpoint: the access token names their region.
	for _, p := range people {
		at := s.SignIn(t, "", p.email, pw, "openid profile email phone offline_access")
		claims := apitest.VerifyWithJWKS(t, s.URL, at)
		if claims["region"] != p.region || claims["sub"] != p.id {
			t.Fatalf("%s: access token region %v sub %v", p.email, claims["region"], claims["sub"])
		}
	}

	// A federated (JIT) sign-in through an upstream OpenID provider: the
	// upstream's subject and the email it asserted live in the new
	// user's region only, as the user does.
	fedIssuer, atUpstream := testserver.ExampleOP(t, s.URL+"/login/connections/upstream/callback")
	raw, _ := json.Marshal(map[string]any{"id": "upstream", "type": "oidc", "display_name": "Upstream IdP", "issuer": fedIssuer,
		"client_id": "gatehouse-" + strings.TrimSuffix(strings.TrimPrefix(fedIssuer, "http://"), "/"), "client_secret": "s3cret"})
	cr, err := s.Admin.CreateConnectionWithBodyWithResponse(ctx, &gen.CreateConnectionParams{}, "application/json", bytes.NewReader(raw))
	if err != nil || cr.StatusCode() != http.StatusCreated {
		t.Fatalf("connection: %v %s", err, cr.Body)
	}
	fed := &person{email: testserver.ExampleOPEmail, region: "eu"}
	claims := apitest.VerifyWithJWKS(t, s.URL, s.FederatedSignIn(t, "", "upstream", "openid email", atUpstream))
	fed.id, _ = claims["sub"].(string)
	if claims["region"] != "eu" || fed.id == "" {
		t.Fatalf("federated sign-in: region %v sub %v", claims["region"], claims["sub"])
	}
	people = append(people, fed)
	where(t, scan, people)

	// Moving: refused moves change nothing; a move carries the user, who
	// then signs in from the new region, and leaves nothing behind.
	bo := people[1]
	m, err := s.Admin.MoveUserWithResponse(ctx, bo.id, gen.UserMove{Region: "us"})
	if err != nil || m.StatusCode() != http.StatusConflict {
		t.Fatalf("move to the own region: %v %d %s", err, m.StatusCode(), m.Body)
	}
	m, err = s.Admin.MoveUserWithResponse(ctx, bo.id, gen.UserMove{Region: "mars"})
	if err != nil || m.StatusCode() != http.StatusBadRequest || !strings.Contains(string(m.Body), "/region") {
		t.Fatalf("move to an unknown region: %v %d %s", err, m.StatusCode(), m.Body)
	}
	// Another tenant cannot name this tenant's user.
	if r, err := s.Admin.CreateTenantWithResponse(ctx, nil, gen.TenantCreate{Slug: "other"}); err != nil || r.JSON201 == nil {
		t.Fatalf("tenant: %v %s", err, r.Body)
	}
	mt, err := s.Admin.MoveTenantUserWithResponse(ctx, "other", bo.id, gen.UserMove{Region: "eu"})
	if err != nil || mt.StatusCode() != http.StatusNotFound {
		t.Fatalf("another tenant's move: %v %d %s", err, mt.StatusCode(), mt.Body)
	}
	where(t, scan, people)
	m, err = s.Admin.MoveUserWithResponse(ctx, bo.id, gen.UserMove{Region: "eu"})
	if err != nil || m.JSON200 == nil || restapi.Val(m.JSON200.Region) != "eu" || !m.JSON200.HasPassword ||
		string(m.JSON200.Email) != bo.email {
		t.Fatalf("move to eu: %v %d %s", err, m.StatusCode(), m.Body)
	}
	bo.region = "eu"
	if g, err := s.Admin.GetUserWithResponse(ctx, bo.id); err != nil || g.JSON200 == nil || restapi.Val(g.JSON200.Region) != "eu" {
		t.Fatalf("get after the move: %v %s", err, g.Body)
	}
	if at := s.SignIn(t, "", bo.email, pw, "openid"); apitest.VerifyWithJWKS(t, s.URL, at)["region"] != "eu" {
		t.Fatal("sign-in after the move: not an eu token")
	}
	where(t, scan, people)

	// A move carries the federated identity: the next federated sign-in
	// finds the same user, now in us.
	if m, err := s.Admin.MoveUserWithResponse(ctx, fed.id, gen.UserMove{Region: "us"}); err != nil || m.JSON200 == nil {
		t.Fatalf("move the federated user: %v %s", err, m.Body)
	}
	fed.region = "us"
	claims = apitest.VerifyWithJWKS(t, s.URL, s.FederatedSignIn(t, "", "upstream", "openid email", atUpstream))
	if claims["region"] != "us" || claims["sub"] != fed.id {
		t.Fatalf("federated sign-in after the move: region %v sub %v, want us %s", claims["region"], claims["sub"], fed.id)
	}
	if g, err := s.Admin.GetUserWithResponse(ctx, fed.id); err != nil || g.JSON200 == nil || g.JSON200.Identities == nil ||
		len(*g.JSON200.Identities) != 1 || restapi.Val(g.JSON200.Region) != "us" {
		t.Fatalf("the federated user after the move: %v %s", err, g.Body)
	}
	where(t, scan, people)
	ev, err := s.Admin.ListEventsWithResponse(ctx, &gen.ListEventsParams{Type: restapi.Ptr("admin.user.moved")})
	if err != nil || ev.JSON200 == nil || len(ev.JSON200.Items) != 2 {
		t.Fatalf("the move's audit event: %v %s", err, ev.Body)
	}
}

// where reads every database and checks that each person's identifiers
// are in their region's database and in no other.
func where(t *testing.T, scan map[string]scanner, people []*person) {
	t.Helper()
	texts := map[string]string{}
	for name, sc := range scan {
		texts[name] = strings.ToLower(strings.Join(sc(t), "\n"))
	}
	for _, p := range people {
		for _, v := range []string{p.email, p.name, p.phone} {
			if v == "" {
				continue
			}
			for db, all := range texts {
				found := strings.Contains(all, strings.ToLower(v))
				if want := db == p.region; found != want {
					t.Errorf("%q of a %s user: found in %s database = %v, want %v", v, p.region, db, found, want)
				}
			}
		}
	}
}

func openapiEmail(s string) openapi_types.Email { return openapi_types.Email(s) }

func sqliteScanner(path string) scanner {
	return func(t *testing.T) []string {
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tables := column(t, db, `SELECT name FROM sqlite_master WHERE type = 'table'`)
		var out []string
		for _, tb := range tables {
			cols := column(t, db, fmt.Sprintf(`SELECT name FROM pragma_table_info('%s')`, tb))
			for _, c := range cols {
				out = append(out, column(t, db, fmt.Sprintf(`SELECT CAST("%s" AS TEXT) FROM "%s" WHERE "%s" IS NOT NULL`, c, tb, c))...)
			}
		}
		return out
	}
}

func column(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v.String)
	}
	return out
}

func pgScanner(dsn string) scanner {
	return func(t *testing.T) []string {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, column_name`)
		if err != nil {
			t.Fatal(err)
		}
		type col struct{ table, column string }
		var cols []col
		for rows.Next() {
			var c col
			if err := rows.Scan(&c.table, &c.column); err != nil {
				t.Fatal(err)
			}
			cols = append(cols, c)
		}
		rows.Close()
		var out []string
		for _, c := range cols {
			q := fmt.Sprintf(`SELECT %s::text FROM %s WHERE %s IS NOT NULL`, pgx.Identifier{c.column}.Sanitize(),
				pgx.Identifier{c.table}.Sanitize(), pgx.Identifier{c.column}.Sanitize())
			rows, err := conn.Query(ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				out = append(out, v)
			}
			rows.Close()
		}
		return out
	}
}

// TestRegionDown stops one region's PostgreSQL server: that region's users
// get a 503 problem, the other region's users carry on.
func TestRegionDown(t *testing.T) {
	us := pgtest.StartCluster(t)
	dir := t.TempDir()
	s := testserver.New(t, testserver.Options{LoopbackIssuer: true, Env: map[string]string{
		"GATEHOUSE_DATABASE":       "sqlite:" + filepath.Join(dir, "main.db"),
		"GATEHOUSE_REGIONS":        "eu=sqlite:" + filepath.Join(dir, "eu.db") + ";us=" + us.DSN(),
		"GATEHOUSE_DEFAULT_REGION": "eu",
	}})
	ctx := t.Context()
	const pw = "correct horse battery staple 42"
	ids := map[string]string{}
	for _, region := range []string{"eu", "us"} {
		r, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: openapiEmail(region + "@example.org"),
			Password: restapi.Ptr(pw), EmailVerified: restapi.Ptr(true), Region: restapi.Ptr(region)})
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create %s: %v %s", region, err, r.Body)
		}
		ids[region] = r.JSON201.ID
	}
	us.Stop()

	g, err := s.Admin.GetUserWithResponse(ctx, ids["us"])
	if err != nil || g.StatusCode() != http.StatusServiceUnavailable || !strings.Contains(string(g.Body), "problem") {
		t.Fatalf("us user with us down: %v %d %s", err, g.StatusCode(), g.Body)
	}
	if g, err = s.Admin.GetUserWithResponse(ctx, ids["eu"]); err != nil || g.JSON200 == nil {
		t.Fatalf("eu user with us down: %v %d %s", err, g.StatusCode(), g.Body)
	}
	if at := s.SignIn(t, "", "eu@example.org", pw, "openid"); apitest.VerifyWithJWKS(t, s.URL, at)["region"] != "eu" {
		t.Fatal("eu sign-in with us down: no eu token")
	}
	// A new user is placed in eu while us is down.
	r, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: "later@example.org"})
	if err != nil || r.JSON201 == nil || restapi.Val(r.JSON201.Region) != "eu" {
		t.Fatalf("create in eu with us down: %v %s", err, r.Body)
	}
}
