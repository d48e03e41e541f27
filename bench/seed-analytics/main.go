// Command seed-analytics fills a Gatehouse database with a large tenant
// for the analytics and user-search benchmarks (docs/benchmarks.md §38),
// and measures those Admin API calls' server time in process.
//
//	go run ./bench/seed-analytics -db sqlite:/tmp/an/gatehouse.db -seed -measure
//	go run ./bench/seed-analytics -db 'postgres://…&search_path=bench' -seed -measure
//
// -seed creates -users users (Users().Create in transactions of 5,000)
// and -events audit events (login.succeeded/failed/challenged/denied,
// user.registered, mfa.added) spread over the last -days days, bulk
// inserted as a valid hash chain, plus -tokens token issuances; every
// event also goes through the real analytics Collector, flushed every
// 50,000 events, so the rollups are what production would keep.
// -measure runs the dashboard (the six metrics, last 30 days, by day) and
// user searches through the real handler stack -n times and prints the
// median and the worst.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse-iam/gatehouse/internal/app"
	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The app installs its own slog default, which the log package follows:
// report on stderr directly.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "seed-analytics: "+format+"\n", args...)
	os.Exit(1)
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

const adminToken = "bench-admin-token-0123456789abcdef"

func main() {
	db := flag.String("db", "", "GATEHOUSE_DATABASE (sqlite:PATH or a postgres:// URL)")
	seed := flag.Bool("seed", false, "seed users and events")
	measure := flag.Bool("measure", false, "measure the dashboard and user search")
	users := flag.Int("users", 100_000, "users to create")
	nEvents := flag.Int("events", 1_000_000, "audit events to create")
	tokens := flag.Int("tokens", 200_000, "token issuances to count")
	days := flag.Int("days", 30, "spread events over this many days, up to now")
	n := flag.Int("n", 20, "measured repetitions")
	flag.Parse()
	if *db == "" {
		fatalf("-db is required")
	}
	dir, err := os.MkdirTemp("", "seed-analytics")
	if err != nil {
		fatalf("%v", err)
	}
	defer os.RemoveAll(dir)
	env := map[string]string{
		"GATEHOUSE_DATABASE":    *db,
		"GATEHOUSE_DATA_DIR":    dir,
		"GATEHOUSE_ADMIN_TOKEN": adminToken,
		"GATEHOUSE_SECRET_KEY":  "bench-secret-key-0123456789abcdef0123456789",
		"GATEHOUSE_LOG_LEVEL":   "error",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		fatalf("%v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{Migrate: true})
	if err != nil {
		fatalf("%v", err)
	}
	defer func() { cancel(); _ = a.Close() }()
	auth, _, err := a.Directory.Bootstrap(ctx, adminToken)
	if err != nil {
		fatalf("%v", err)
	}
	tn, err := a.Directory.Stores.Control().Tenants().GetBySlug(ctx, "default")
	if err != nil {
		fatalf("%v", err)
	}
	if *seed {
		seedAll(ctx, a, tn, *users, *nEvents, *tokens, *days)
	}
	if *measure {
		hs, err := a.Handlers(ctx, auth)
		if err != nil {
			fatalf("%v", err)
		}
		run(hs.Main, *n)
	}
}

func seedAll(ctx context.Context, a *app.App, tn *identity.Tenant, nUsers, nEvents, nTokens, days int) {
	s := a.DB
	t0 := time.Now()
	ids := make([]string, 0, nUsers)
	for len(ids) < nUsers {
		err := s.InTx(ctx, func(tx store.Store) error {
			for i := 0; i < 5000 && len(ids) < nUsers; i++ {
				k := len(ids)
				u := &identity.User{Email: fmt.Sprintf("user%06d@example%d.com", k, k%50), EmailVerified: true,
					Username: fmt.Sprintf("user%06d", k),
					Profile:  identity.Profile{GivenName: "Given" + fmt.Sprint(k%997), FamilyName: "Family" + fmt.Sprint(k%1009)}}
				if err := tx.Users().Create(ctx, tn.ID, u); err != nil {
					return err
				}
				ids = append(ids, u.ID)
			}
			return nil
		})
		if err != nil {
			fatalf("users: %v", err)
		}
	}
	logf("users: %d in %v", len(ids), time.Since(t0).Round(time.Millisecond))

	t0 = time.Now()
	heads, err := s.Audit().Heads(ctx)
	if err != nil {
		fatalf("%v", err)
	}
	var seq int64
	prev := []byte{}
	for _, h := range heads {
		if h.TenantID == tn.ID {
			seq, prev = h.Seq, h.Hash
		}
	}
	w := s.(interface{ WriteDB() *sql.DB }).WriteDB()
	pg := s.Dialect() == "postgres"
	ts := func(t time.Time) any {
		if pg {
			return t
		}
		return t.UnixMicro()
	}
	col := a.Analytics
	end := time.Now().UTC().Truncate(time.Microsecond)
	begin := end.Add(-time.Duration(days) * 24 * time.Hour)
	step := end.Sub(begin) / time.Duration(nEvents)
	r := rand.New(rand.NewPCG(1, 2))
	const batch = 500
	clients := make([]string, 20)
	for i := range clients {
		clients[i] = fmt.Sprintf("client-%02d", i)
	}
	var flushed time.Duration
	for done := 0; done < nEvents; {
		var q strings.Builder
		q.WriteString(`INSERT INTO audit_events (tenant_id, id, seq, time, type, user_id, ip, decision, reasons, data, prev_hash, hash) VALUES `)
		var args []any
		for i := 0; i < batch && done < nEvents; i++ {
			e := event(r, tn.ID, ids, begin.Add(time.Duration(done)*step))
			id, _ := uuid.NewV7()
			seq++
			rec := store.AuditRecord{TenantID: tn.ID, ID: id.String(), Seq: seq, Time: e.Time, Type: e.Type, UserID: e.UserID,
				IP: e.IP, Decision: e.Decision, Reasons: jsonList(e.Reasons), Data: jsonData(e.Data), PrevHash: prev}
			rec.Hash = rec.ChainHash()
			prev = rec.Hash
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, rec.TenantID, rec.ID, rec.Seq, ts(rec.Time), rec.Type, rec.UserID, rec.IP, rec.Decision,
				rec.Reasons, rec.Data, rec.PrevHash, rec.Hash)
			col.Observe(&e)
			done++
		}
		if _, err := w.ExecContext(ctx, rebind(q.String(), pg), args...); err != nil {
			fatalf("audit insert: %v", err)
		}
		if done%50_000 == 0 || done == nEvents {
			f0 := time.Now()
			if err := col.Flush(ctx); err != nil {
				fatalf("flush: %v", err)
			}
			flushed += time.Since(f0)
		}
	}
	if _, err := w.ExecContext(ctx, rebind(`INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, pg), tn.ID, seq, prev); err != nil {
		fatalf("audit head: %v", err)
	}
	logf("audit events: %d in %v (analytics flushes %v of it)", nEvents, time.Since(t0).Round(time.Millisecond), flushed.Round(time.Millisecond))
	t0 = time.Now()
	grants := []string{"client_credentials", "client_credentials", "client_credentials", "authorization_code", "authorization_code", "refresh_token"}
	tstep := end.Sub(begin) / time.Duration(max(nTokens, 1))
	for i := range nTokens {
		col.TokenIssued(tn.ID, clients[r.IntN(len(clients))], grants[r.IntN(len(grants))], begin.Add(time.Duration(i)*tstep))
	}
	if err := col.Flush(ctx); err != nil {
		fatalf("flush: %v", err)
	}
	logf("token issuances: %d in %v", nTokens, time.Since(t0).Round(time.Millisecond))
}

// event draws one audit event: 55% successful sign-ins, 15% failed, 3%
// challenged, 1% denied, 20% sign-ups, 6% MFA enrolments.
func event(r *rand.Rand, tenant string, ids []string, at time.Time) events.Event {
	e := events.Event{TenantID: tenant, Time: at, UserID: ids[r.IntN(len(ids))],
		IP: fmt.Sprintf("203.0.%d.%d", r.IntN(256), r.IntN(256))}
	x := r.IntN(100)
	switch {
	case x < 55:
		e.Type, e.Decision = events.LoginSucceeded, "allow"
		e.Data = map[string]any{"amr": []string{"pwd"}}
		if r.IntN(10) == 0 {
			e.Data = map[string]any{"connection": "google"}
		}
	case x < 70:
		e.Type, e.Decision = events.LoginFailed, "allow"
		e.Data = map[string]any{"reason": "credentials"}
	case x < 73:
		e.Type, e.Decision, e.Reasons = events.LoginChallenged, "challenge", []string{[]string{"new_device", "new_country", "impossible_travel"}[r.IntN(3)]}
	case x < 74:
		e.Type, e.Decision, e.Reasons = events.LoginDenied, "deny", []string{"ip_velocity"}
		e.Data = map[string]any{"reason": "risk"}
	case x < 94:
		e.Type = events.UserRegistered
	default:
		e.Type = events.MFAAdded
		e.Data = map[string]any{"factor_type": []string{"totp", "webauthn", "recovery_codes", "sms"}[r.IntN(4)]}
	}
	return e
}

func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	return `["` + strings.Join(l, `","`) + `"]`
}

func jsonData(m map[string]any) string {
	if len(m) == 0 {
		return "{}"
	}
	var parts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}) {
		switch v := m[k].(type) {
		case string:
			parts = append(parts, fmt.Sprintf("%q:%q", k, v))
		case []string:
			parts = append(parts, fmt.Sprintf("%q:%s", k, jsonList(v)))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// rebind numbers ? placeholders for PostgreSQL.
func rebind(q string, pg bool) string {
	if !pg {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func run(h http.Handler, n int) {
	now := time.Now().UTC()
	from := now.Add(-30 * 24 * time.Hour).Format(time.RFC3339)
	to := now.Format(time.RFC3339)
	var dashboard []string
	for _, m := range []string{"signups", "signins", "active_users", "mfa_adoption", "risk_decisions", "token_issuance"} {
		dashboard = append(dashboard, "/admin/v1/analytics/"+m+"?interval=day&from="+from+"&to="+to)
	}
	call := func(path string) time.Duration {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		rec := httptest.NewRecorder()
		t := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(t)
		if rec.Code != 200 {
			fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return d
	}
	report := func(name string, paths []string) {
		for _, p := range paths { // warm up
			call(p)
		}
		var ds []time.Duration
		for range n {
			var total time.Duration
			for _, p := range paths {
				total += call(p)
			}
			ds = append(ds, total)
		}
		slices.Sort(ds)
		fmt.Printf("RESULT %-40s n=%d median=%v max=%v\n", name, n, ds[len(ds)/2].Round(10*time.Microsecond), ds[len(ds)-1].Round(10*time.Microsecond))
	}
	report("dashboard (6 metrics, 30 days, by day)", dashboard)
	for _, m := range []string{"signins", "active_users", "token_issuance"} {
		report("  "+m, []string{"/admin/v1/analytics/" + m + "?interval=day&from=" + from + "&to=" + to})
	}
	report("users?q=user04217 (one match)", []string{"/admin/v1/users?q=user04217"})
	report("users?q=example7.com (2% match)", []string{"/admin/v1/users?q=example7.com"})
	report("users?q=nobody (no match)", []string{"/admin/v1/users?q=nobody"})
	report("users?q=family1008 (name, ~99 matches)", []string{"/admin/v1/users?q=family1008"})
	report("users?q=example (every user)", []string{"/admin/v1/users?q=example"})
	report("users?q=ab (two letters: scan)", []string{"/admin/v1/users?q=ab"})
	report("users?email=user099999@example49.com", []string{"/admin/v1/users?email=user099999@example49.com"})
}
