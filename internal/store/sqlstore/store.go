// Package sqlstore implements the store interfaces once, as hand-written
// parameterised SQL on database/sql, for every engine. The engine packages
// (internal/store/sqlite, internal/store/postgres) open the connections and
// supply a Dialect with the few places where the engines differ.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/pressly/goose/v3"

	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// Config assembles a Store from connections an engine package opened.
type Config struct {
	Dialect Dialect
	// Write runs every write and every transaction. SQLite needs exactly
	// one connection here (the single writer).
	Write *sql.DB
	// Read serves reads outside transactions; nil means Write.
	Read *sql.DB
	// Now is the clock for CreatedAt/UpdatedAt defaults; nil means time.Now.
	Now func() time.Time
	// OnClose runs after the DB handles are closed (e.g. closing a pgxpool).
	OnClose func() error
}

// Store is one database with all repositories. Its zero value is not
// usable; engine packages build it with New.
type Store struct {
	c  *core
	tx *sql.Tx // set on the Store handed to an InTx callback
	// unprepared are the statements a transaction ran without a cached
	// prepared statement, to prepare once it is over.
	unprepared []string
}

// core is shared by a Store and the transaction-bound Stores derived from it.
type core struct {
	d         Dialect
	write     *sql.DB
	read      *sql.DB
	now       func() time.Time
	onClose   func() error
	migrator  *goose.Provider
	rebound   sync.Map // query -> query with $n placeholders
	stmts     sync.Map // stmtKey -> *sql.Stmt, if Dialect.CacheStatements
	closeOnce sync.Once
}

// New builds a Store. It does not touch the database: call Migrate (or
// check Ready) before use.
func New(cfg Config) (*Store, error) {
	if err := cfg.Dialect.validate(); err != nil {
		return nil, err
	}
	if cfg.Write == nil {
		return nil, errors.New("sqlstore: Config.Write is nil")
	}
	c := &core{d: cfg.Dialect, write: cfg.Write, read: cfg.Read, now: cfg.Now, onClose: cfg.OnClose}
	if c.read == nil {
		c.read = c.write
	}
	if c.now == nil {
		c.now = time.Now
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if cfg.Dialect.Locker != nil {
		opts = append(opts, goose.WithSessionLocker(cfg.Dialect.Locker))
	}
	p, err := goose.NewProvider(cfg.Dialect.Goose, c.write, cfg.Dialect.Migrations, opts...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: load %s migrations: %w", cfg.Dialect.Name, err)
	}
	c.migrator = p
	return &Store{c: c}, nil
}

// Interface guards.
var (
	_ store.Store           = (*Store)(nil)
	_ store.TenantRepo      = (*tenantRepo)(nil)
	_ store.UserRepo        = (*userRepo)(nil)
	_ store.PasswordRepo    = (*passwordRepo)(nil)
	_ store.ClientRepo      = (*clientRepo)(nil)
	_ store.APIKeyRepo      = (*apiKeyRepo)(nil)
	_ store.IdempotencyRepo = (*idempotencyRepo)(nil)
	_ store.SettingsRepo    = (*settingsRepo)(nil)

	_ store.AuthRequestRepo         = (*authRequestRepo)(nil)
	_ store.SessionRepo             = (*sessionRepo)(nil)
	_ store.ConsentRepo             = (*consentRepo)(nil)
	_ store.RefreshTokenRepo        = (*refreshTokenRepo)(nil)
	_ store.DeviceAuthorizationRepo = (*deviceAuthorizationRepo)(nil)
	_ store.PushedRequestRepo       = (*pushedRequestRepo)(nil)
	_ store.SigningKeyRepo          = (*signingKeyRepo)(nil)
	_ store.RevocationRepo          = (*revocationRepo)(nil)
	_ store.OpaqueTokenRepo         = (*opaqueTokenRepo)(nil)
	_ store.ClientAssertionRepo     = (*clientAssertionRepo)(nil)
	_ store.DPoPProofRepo           = (*dpopProofRepo)(nil)
	_ store.AuditRepo               = (*auditRepo)(nil)
	_ store.WebhookRepo             = (*webhookRepo)(nil)
	_ store.APIRepo                 = (*apiRepo)(nil)
	_ store.RoleRepo                = (*roleRepo)(nil)
)

// The repositories are the Store under another method set, so handing one
// out allocates nothing and it shares the Store's transaction, if any.
func (s *Store) Tenants() store.TenantRepo          { return (*tenantRepo)(s) }
func (s *Store) Users() store.UserRepo              { return (*userRepo)(s) }
func (s *Store) Passwords() store.PasswordRepo      { return (*passwordRepo)(s) }
func (s *Store) Clients() store.ClientRepo          { return (*clientRepo)(s) }
func (s *Store) APIKeys() store.APIKeyRepo          { return (*apiKeyRepo)(s) }
func (s *Store) Idempotency() store.IdempotencyRepo { return (*idempotencyRepo)(s) }
func (s *Store) Settings() store.SettingsRepo       { return (*settingsRepo)(s) }
func (s *Store) Dialect() string                    { return s.c.d.Name }

func (s *Store) AuthRequests() store.AuthRequestRepo   { return (*authRequestRepo)(s) }
func (s *Store) Sessions() store.SessionRepo           { return (*sessionRepo)(s) }
func (s *Store) Consents() store.ConsentRepo           { return (*consentRepo)(s) }
func (s *Store) RefreshTokens() store.RefreshTokenRepo { return (*refreshTokenRepo)(s) }
func (s *Store) DeviceAuthorizations() store.DeviceAuthorizationRepo {
	return (*deviceAuthorizationRepo)(s)
}
func (s *Store) PushedRequests() store.PushedRequestRepo { return (*pushedRequestRepo)(s) }
func (s *Store) SigningKeys() store.SigningKeyRepo       { return (*signingKeyRepo)(s) }
func (s *Store) Revocations() store.RevocationRepo       { return (*revocationRepo)(s) }
func (s *Store) OpaqueTokens() store.OpaqueTokenRepo     { return (*opaqueTokenRepo)(s) }
func (s *Store) ClientAssertions() store.ClientAssertionRepo {
	return (*clientAssertionRepo)(s)
}

// DPoPProofs is the replay cache of DPoP proofs (dpopproofs.go).
func (s *Store) DPoPProofs() store.DPoPProofRepo { return (*dpopProofRepo)(s) }

func (s *Store) Verifications() store.VerificationRepo { return (*verificationRepo)(s) }
func (s *Store) Audit() store.AuditRepo                { return (*auditRepo)(s) }
func (s *Store) Webhooks() store.WebhookRepo           { return (*webhookRepo)(s) }
func (s *Store) MailTemplates() store.MailTemplateRepo { return (*mailTemplateRepo)(s) }
func (s *Store) APIs() store.APIRepo                   { return (*apiRepo)(s) }
func (s *Store) Roles() store.RoleRepo                 { return (*roleRepo)(s) }

// WriteDB returns the handle that runs writes and transactions, for
// libraries that need their own access to the same database (e.g. a job
// queue's transactional outbox). On SQLite it is the single writer.
func (s *Store) WriteDB() *sql.DB { return s.c.write }

// InTx runs fn in one transaction, committing if it returns nil. Inside a
// transaction it joins the outer one (no savepoints). The transaction is
// retried from the start on SQLITE_BUSY or a PostgreSQL serialisation
// failure or deadlock, so fn may run more than once and must not have side
// effects outside the transaction. fn must use the Store it is given: on
// SQLite a write through the outer Store waits for the single writer that
// fn itself holds. If a call inside fn fails, return its error: PostgreSQL
// aborts the transaction at the first failed statement.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	return s.inTx(ctx, func(tx *Store) error { return fn(tx) })
}

// Close closes the database handles. On a transaction-bound Store it does
// nothing: the transaction ends when the InTx callback returns.
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	var err error
	s.c.closeOnce.Do(func() {
		var errs []error
		s.c.stmts.Range(func(_, v any) bool {
			errs = append(errs, v.(*sql.Stmt).Close())
			return true
		})
		// The goose provider holds nothing but Write (its Close would close
		// Write), so closing the handles is enough.
		errs = append(errs, s.c.write.Close())
		if s.c.read != s.c.write {
			errs = append(errs, s.c.read.Close())
		}
		if s.c.onClose != nil {
			errs = append(errs, s.c.onClose())
		}
		err = errors.Join(errs...)
	})
	return err
}

// now returns the store clock in the precision the columns keep.
func (s *Store) now() time.Time { return norm(s.c.now()) }

// norm truncates to what both engines store (microseconds) and drops the
// location and monotonic reading, so stored and returned values compare equal.
func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := norm(*t)
	return &n
}

// newID returns a UUIDv7: time-ordered, so ORDER BY id is creation order.
func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("store: generate id: %w", err)
	}
	return id.String(), nil
}

// stamp fills the defaults of a row about to be created.
func (s *Store) stamp(id *string, created, updated *time.Time, version *int64) error {
	if *id == "" {
		v, err := newID()
		if err != nil {
			return err
		}
		*id = v
	}
	if created.IsZero() {
		*created = s.now()
	} else {
		*created = norm(*created)
	}
	if updated != nil {
		if updated.IsZero() {
			*updated = *created
		} else {
			*updated = norm(*updated)
		}
	}
	if version != nil && *version <= 0 {
		*version = 1
	}
	return nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.c.read
}

func (s *Store) writer() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.c.write
}

// sql returns q in the dialect's placeholder syntax, caching the rewrite.
func (s *Store) sql(q string) string {
	if !s.c.d.Numbered {
		return q
	}
	if v, ok := s.c.rebound.Load(q); ok {
		return v.(string)
	}
	r := rebind(q)
	s.c.rebound.Store(q, r)
	return r
}

type stmtKey struct {
	db *sql.DB
	q  string
}

// prepared returns a statement cached per handle, or nil when the dialect
// does not cache. Inside a transaction, which runs on the writer, the
// writer's cached statement is bound to it (database/sql reuses it on the
// transaction's connection); a statement not cached yet runs unprepared
// and is prepared when the transaction is over (inTx): preparing on the
// writer from within its own transaction would wait for the connection
// the transaction holds.
func (s *Store) prepared(ctx context.Context, db *sql.DB, q string) *sql.Stmt {
	if !s.c.d.CacheStatements {
		return nil
	}
	if s.tx != nil {
		if v, ok := s.c.stmts.Load(stmtKey{s.c.write, q}); ok {
			return s.tx.StmtContext(ctx, v.(*sql.Stmt))
		}
		s.unprepared = append(s.unprepared, q)
		return nil
	}
	key := stmtKey{db, q}
	if v, ok := s.c.stmts.Load(key); ok {
		return v.(*sql.Stmt)
	}
	st, err := db.PrepareContext(ctx, s.sql(q))
	if err != nil {
		return nil // run it unprepared; that reports the error
	}
	if v, loaded := s.c.stmts.LoadOrStore(key, st); loaded {
		_ = st.Close()
		return v.(*sql.Stmt)
	}
	return st
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	ctx, span := s.c.span(ctx, q)
	defer span.End()
	if st := s.prepared(ctx, s.c.read, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.reader().QueryRowContext(ctx, s.sql(q), args...)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (rows *sql.Rows, err error) {
	ctx, span := s.c.span(ctx, q)
	defer func() { endSpan(span, err) }()
	if st := s.prepared(ctx, s.c.read, q); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = s.reader().QueryContext(ctx, s.sql(q), args...)
	}
	return rows, s.c.mapErr(err)
}

// exec runs one write statement and returns the rows it affected. Outside a
// transaction a busy/serialisation failure is retried here; inside one, the
// whole transaction is retried by inTx instead.
func (s *Store) exec(ctx context.Context, q string, args ...any) (n int64, err error) {
	ctx, span := s.c.span(ctx, q)
	defer func() { endSpan(span, err) }()
	run := func() error {
		var (
			res sql.Result
			err error
		)
		if st := s.prepared(ctx, s.c.write, q); st != nil {
			res, err = st.ExecContext(ctx, args...)
		} else {
			res, err = s.writer().ExecContext(ctx, s.sql(q), args...)
		}
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}
	if s.tx != nil {
		err = run()
	} else {
		err = s.c.retry(ctx, run)
	}
	return n, s.c.mapErr(err)
}

// writeRow runs one write statement that returns a row (INSERT, UPDATE or
// DELETE ... RETURNING, which both engines support) and hands the row to
// scan. Retries and error mapping are as for exec; no row is ErrNotFound.
// SQLite applies the whole statement at its first step, so reading only
// the first row never leaves the write half done.
func (s *Store) writeRow(ctx context.Context, scan func(scanner) error, q string, args ...any) (err error) {
	ctx, span := s.c.span(ctx, q)
	defer func() { endSpan(span, err) }()
	run := func() error {
		if st := s.prepared(ctx, s.c.write, q); st != nil {
			return scan(st.QueryRowContext(ctx, args...))
		}
		return scan(s.writer().QueryRowContext(ctx, s.sql(q), args...))
	}
	if s.tx != nil {
		return s.c.mapErr(run())
	}
	return s.c.mapErr(s.c.retry(ctx, run))
}

// inTx runs fn in the caller's transaction if there is one, else in a new
// transaction, retried on busy/serialisation failures.
func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) (err error) {
	if s.tx != nil {
		return fn(s)
	}
	ctx, span := telemetry.Start(ctx, "transaction")
	defer func() { endSpan(span, err) }()
	return s.c.retry(ctx, func() error {
		tx, err := s.c.write.BeginTx(ctx, nil)
		if err != nil {
			return s.c.mapErr(err)
		}
		// Rolls back on error or panic; after Commit it is a no-op.
		defer func() { _ = tx.Rollback() }()
		txs := &Store{c: s.c, tx: tx}
		if err := fn(txs); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return s.c.mapErr(err)
		}
		for _, q := range txs.unprepared {
			s.prepared(ctx, s.c.write, q)
		}
		return nil
	})
}

const (
	retryAttempts = 5
	retryBase     = 5 * time.Millisecond
)

// retry runs fn until it succeeds, fails for a reason other than a busy
// database or a serialisation failure, or has failed retryAttempts times.
// The backoff is short and jittered: SQLite's busy_timeout already waited,
// and PostgreSQL conflicts clear as soon as the other transaction ends.
func (c *core) retry(ctx context.Context, fn func() error) error {
	wait := retryBase
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || attempt == retryAttempts || c.d.Classify(err) != ErrRetry {
			return err
		}
		t := time.NewTimer(wait/2 + rand.N(wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

// Begin starts a transaction that the caller ends with End, for a caller
// that joins several databases in one unit of work (data residency opens
// a region's transaction only when the work first touches that region).
// Inside an InTx callback it returns the same transaction, which End
// leaves alone.
func (s *Store) Begin(ctx context.Context) (store.Store, func(commit bool) error, error) {
	if s.tx != nil {
		return s, func(bool) error { return nil }, nil
	}
	tx, err := s.c.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, s.c.mapErr(err)
	}
	txs := &Store{c: s.c, tx: tx}
	return txs, func(commit bool) error {
		if !commit {
			_ = tx.Rollback()
			return nil
		}
		if err := tx.Commit(); err != nil {
			return s.c.mapErr(err)
		}
		for _, q := range txs.unprepared {
			s.prepared(ctx, s.c.write, q)
		}
		return nil
	}, nil
}
