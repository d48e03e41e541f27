package regional_test

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
	"github.com/gatehouse-iam/gatehouse/internal/cli"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store/pgtest"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// TestRegionsMigrate: users created and signed in before GATEHOUSE_REGIONS
// was set are moved into a region by `gatehouse regions migrate`
// (counted by --dry-run, idempotent), sign in again from there, and leave
// no email, name or phone in the main database.
func TestRegionsMigrate(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		dbs := map[string]string{"main": filepath.Join(dir, "main.db"), "eu": filepath.Join(dir, "eu.db"), "us": filepath.Join(dir, "us.db")}
		scanners := map[string]scanner{}
		for name, path := range dbs {
			scanners[name] = sqliteScanner(path)
		}
		regionsMigrate(t, map[string]string{"main": "sqlite:" + dbs["main"], "eu": "sqlite:" + dbs["eu"], "us": "sqlite:" + dbs["us"]}, scanners)
	})
	t.Run("postgres", func(t *testing.T) {
		urls := map[string]string{}
		scanners := map[string]scanner{}
		for _, n := range []string{"main", "eu", "us"} {
			urls[n] = pgtest.DatabaseURL(t, "gh_mig_"+n)
			scanners[n] = pgScanner(urls[n])
		}
		regionsMigrate(t, urls, scanners)
	})
}

func regionsMigrate(t *testing.T, urls map[string]string, scan map[string]scanner) {
	const pw = "correct horse battery staple 42"
	people := []*person{
		{email: "old.timer@example.eu", name: "Ottilie Brandenburger", phone: "+4930987654321", region: "main"},
		{email: "early.bird@example.eu", name: "Evander Kittredge", phone: "+33698765432", region: "main"},
	}
	single := map[string]string{"GATEHOUSE_DATABASE": urls["main"]}
	t.Run("before", func(t *testing.T) {
		s := testserver.New(t, testserver.Options{Env: single, LoopbackIssuer: true})
		for _, p := range people {
			r, err := s.Admin.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: openapiEmail(p.email), Name: &p.name,
				PhoneNumber: &p.phone, Password: restapi.Ptr(pw), EmailVerified: restapi.Ptr(true)})
			if err != nil || r.JSON201 == nil {
				t.Fatalf("create %s: %v %s", p.email, err, r.Body)
			}
			p.id = r.JSON201.ID
			s.SignIn(t, "", p.email, pw, "openid profile email phone offline_access")
		}
	})
	if t.Failed() {
		return
	}
	where(t, map[string]scanner{"main": scan["main"]}, people) // all in the main database (the regions do not exist yet)

	env := map[string]string{
		"GATEHOUSE_DATABASE":       urls["main"],
		"GATEHOUSE_REGIONS":        "eu=" + urls["eu"] + ";us=" + urls["us"],
		"GATEHOUSE_DEFAULT_REGION": "eu",
		"GATEHOUSE_SECRET_KEY":     "test-secret-key-0123456789abcdef0123456789",
	}
	gatehouse := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := cli.Main(args, &out, &errb, func(k string) string { return env[k] })
		return code, out.String(), errb.String()
	}
	if code, out, errs := gatehouse("regions", "migrate"); code == 0 || !strings.Contains(errs, "migrate up") {
		t.Fatalf("regions not migrated yet: %d %s %s", code, out, errs)
	}
	if code, out, errs := gatehouse("migrate", "up"); code != 0 {
		t.Fatalf("migrate up: %d %s %s", code, out, errs)
	}
	// Regions switched on, not migrated yet: the users keep working from
	// the main database, and their email stays theirs.
	t.Run("during", func(t *testing.T) {
		s := testserver.New(t, testserver.Options{Env: env, LoopbackIssuer: true})
		ctx := t.Context()
		for _, p := range people {
			g, err := s.Admin.GetUserWithResponse(ctx, p.id)
			if err != nil || g.JSON200 == nil || string(g.JSON200.Email) != p.email || !g.JSON200.HasPassword || g.JSON200.Region != nil {
				t.Fatalf("get %s before the migration: %v %s", p.email, err, g.Body)
			}
			l, err := s.Admin.ListUsersWithResponse(ctx, &gen.ListUsersParams{Email: restapi.Ptr(gen.EmailFilter(p.email))})
			if err != nil || l.JSON200 == nil || len(l.JSON200.Items) != 1 || l.JSON200.Items[0].ID != p.id {
				t.Fatalf("list by email %s: %v %s", p.email, err, l.Body)
			}
			at := s.SignIn(t, "", p.email, pw, "openid")
			if c := apitest.VerifyWithJWKS(t, s.URL, at); c["sub"] != p.id {
				t.Fatalf("%s: sub %v", p.email, c["sub"])
			}
		}
		r, err := s.Admin.CreateUserWithResponse(ctx, nil, gen.UserCreate{Email: openapiEmail(strings.ToUpper(people[0].email))})
		if err != nil || r.StatusCode() != http.StatusConflict {
			t.Fatalf("a legacy user's email in a region: %v %d %s", err, r.StatusCode(), r.Body)
		}
		// One page of one: the listing merges the regions' users and the
		// legacy ones, in ID order.
		var seen []string
		params := &gen.ListUsersParams{Limit: restapi.Ptr(1)}
		for {
			l, err := s.Admin.ListUsersWithResponse(ctx, params)
			if err != nil || l.JSON200 == nil {
				t.Fatalf("list: %v %s", err, l.Body)
			}
			for _, u := range l.JSON200.Items {
				seen = append(seen, u.ID)
			}
			next, _ := l.JSON200.NextCursor.Get()
			if next == "" {
				break
			}
			params.Cursor = &next
		}
		if len(seen) != len(people) || seen[0] > seen[1] {
			t.Fatalf("listed %v, want the %d legacy users in ID order", seen, len(people))
		}
	})
	if t.Failed() {
		return
	}
	if code, out, errs := gatehouse("regions", "migrate", "--region", "mars"); code == 0 || !strings.Contains(errs, "mars") {
		t.Fatalf("an unknown region: %d %s %s", code, out, errs)
	}
	if code, out, errs := gatehouse("regions", "migrate", "--tenant", "nope"); code == 0 || !strings.Contains(errs, "nope") {
		t.Fatalf("an unknown tenant: %d %s %s", code, out, errs)
	}
	if code, out, errs := gatehouse("regions", "migrate", "--dry-run"); code != 0 || !strings.Contains(out, "2 users to move to eu") {
		t.Fatalf("dry run: %d %s %s", code, out, errs)
	}
	where(t, scan, people) // the dry run changed nothing (and the regions exist now, migrated)
	if code, out, errs := gatehouse("regions", "migrate", "--tenant", "default"); code != 0 || !strings.Contains(out, "2 users moved to eu") {
		t.Fatalf("migrate: %d %s %s", code, out, errs)
	}
	if code, out, errs := gatehouse("regions", "migrate"); code != 0 || !strings.Contains(out, "0 users moved to eu") {
		t.Fatalf("migrate again: %d %s %s", code, out, errs)
	}
	for _, p := range people {
		p.region = "eu"
	}
	where(t, scan, people)

	s := testserver.New(t, testserver.Options{Env: env, LoopbackIssuer: true})
	for _, p := range people {
		g, err := s.Admin.GetUserWithResponse(t.Context(), p.id)
		if err != nil || g.JSON200 == nil || restapi.Val(g.JSON200.Region) != "eu" || string(g.JSON200.Email) != p.email ||
			!g.JSON200.HasPassword || restapi.Val(g.JSON200.Name) != p.name {
			t.Fatalf("get %s after the migration: %v %s", p.email, err, g.Body)
		}
		at := s.SignIn(t, "", p.email, pw, "openid")
		if c := apitest.VerifyWithJWKS(t, s.URL, at); c["region"] != "eu" || c["sub"] != p.id {
			t.Fatalf("%s: region %v sub %v", p.email, c["region"], c["sub"])
		}
	}
	// A new user may not take a migrated user's email.
	r, err := s.Admin.CreateUserWithResponse(t.Context(), nil, gen.UserCreate{Email: openapiEmail(people[0].email), Region: restapi.Ptr("us")})
	if err != nil || r.StatusCode() != http.StatusConflict {
		t.Fatalf("a migrated user's email again: %v %d %s", err, r.StatusCode(), r.Body)
	}
}
