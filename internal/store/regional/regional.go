// Package regional keeps each user's personal data in their region's
// database (data residency, GDPR chapter V). Router is a store.Store over
// one main database and several regional ones:
//
//   - the main database holds the directory (tenants, clients, APIs, keys,
//     configuration), a pseudonymous skeleton row per user (its ID and
//     timestamps only, so that role assignments, memberships and other
//     directory rows keep their foreign keys), and the user directory: a
//     keyed hash of each identifier (ID, email, username) → region;
//   - a region's database holds the user's row and everything about them:
//     password, second factors, sessions, refresh and opaque tokens, OAuth
//     consents, verifications, risk history, privacy decisions and ledger,
//     exports, federated identities and the data key that seals audit
//     events about them.
//
// Users created before regions were configured are held in full in the
// main database with no directory entry until Migrate moves them
// (legacy.go); meanwhile lookups by user reach them there (mainRegion).
//
// A regional row that references the directory (a token's client, a user's
// tenant) needs that row to exist in the region's database: Router copies
// it there the first time (a stub; reads always go to the main database).
//
// Lookups by user go to one region. Lookups by an opaque key (a session,
// a token hash, a challenge ID) ask each region in turn; a region that is
// down only fails the request when no other region had the row.
package regional

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/maypok86/otter/v2"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// ErrUnknownRegion is returned for a region name that is not configured.
var ErrUnknownRegion = errors.New("regional: region not configured")

// Region is one regional database.
type Region struct {
	Name  string
	Store store.Store
}

// beginner is a store that can open a transaction the caller ends
// (sqlstore.Store.Begin).
type beginner interface {
	Begin(ctx context.Context) (store.Store, func(commit bool) error, error)
}

// Router routes each repository call to the main or a regional database.
type Router struct {
	store.Store // main: the directory and the skeletons

	shared *shared
	tx     *txState // non-nil inside InTx
}

// shared is the state every Router of one set of databases shares,
// transaction-bound ones included.
type shared struct {
	main    store.Store
	regions map[string]store.Store
	names   []string // declaration order: fan-out order
	def     string
	mac     func(data []byte) []byte
	where   *otter.Cache[string, string] // tenant/user -> region
	stubs   sync.Map                     // region/tenant[/client] -> struct{}
}

// txState holds the transactions of one InTx: the main one, and one per
// region opened when the work first touches it.
type txState struct {
	mu   sync.Mutex
	open map[string]store.Store
	ends []func(commit bool) error
}

// New returns a Router. mac is the keyed hash of identifiers (a carried
// keyring purpose, so that master-key rotation does not orphan users);
// def names the region of users whom no rule places elsewhere.
func New(main store.Store, regions []Region, def string, mac func([]byte) []byte) (*Router, error) {
	if _, ok := main.(store.DirectoryStore); !ok {
		return nil, errors.New("regional: the main store has no user directory")
	}
	sh := &shared{main: main, regions: map[string]store.Store{}, def: def, mac: mac,
		// The expiry bounds how long another node's move stays unseen here;
		// a user not found in the cached region is looked up again anyway.
		where: otter.Must(&otter.Options[string, string]{MaximumSize: 100_000,
			ExpiryCalculator: otter.ExpiryWriting[string, string](time.Minute)})}
	for _, r := range regions {
		if _, ok := r.Store.(beginner); !ok {
			return nil, fmt.Errorf("regional: region %q cannot open transactions", r.Name)
		}
		if _, dup := sh.regions[r.Name]; dup {
			return nil, fmt.Errorf("regional: region %q declared twice", r.Name)
		}
		sh.regions[r.Name] = r.Store
		sh.names = append(sh.names, r.Name)
	}
	if _, ok := sh.regions[def]; !ok {
		return nil, fmt.Errorf("regional: default region %q: %w", def, ErrUnknownRegion)
	}
	return &Router{Store: main, shared: sh}, nil
}

// Regions lists the configured region names in declaration order.
func (r *Router) Regions() []string { return append([]string(nil), r.shared.names...) }

// Default is the default region's name.
func (r *Router) Default() string { return r.shared.def }

// Has reports whether name is a configured region.
func (r *Router) Has(name string) bool { _, ok := r.shared.regions[name]; return ok }

// RegionStore returns a region's own store (tests, the move command).
func (r *Router) RegionStore(name string) store.Store { return r.shared.regions[name] }

// Main returns the main database's store.
func (r *Router) Main() store.Store { return r.shared.main }

// InTx runs fn in a transaction of the main database; a region's
// transaction is opened when fn first touches the region. Regions commit
// first, then the main database: a failure between the two can leave a
// regional row without its directory entry, which no lookup reaches.
func (r *Router) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	if r.tx != nil {
		return fn(r)
	}
	return r.Store.InTx(ctx, func(mtx store.Store) error {
		st := &txState{open: map[string]store.Store{}}
		inner := &Router{Store: mtx, shared: r.shared, tx: st}
		err := fn(inner)
		st.mu.Lock()
		defer st.mu.Unlock()
		for _, end := range st.ends {
			if cerr := end(err == nil); cerr != nil && err == nil {
				err = cerr
			}
		}
		return err
	})
}

// mainRegion is where a legacy user's data is: a user created before
// GATEHOUSE_REGIONS was set, held in full in the main database with no
// directory entry until `gatehouse regions migrate` (Migrate) moves them.
// Such users keep working meanwhile: lookups by user reach the main
// database, and lookups by an opaque key ask it after the regions.
const mainRegion = ""

// places are the regions in declaration order, then the main database
// (legacy users' rows): the fan-out order.
func (r *Router) places() []string { return append(r.Regions(), mainRegion) }

// region returns the store of a region (the main database for
// mainRegion), transaction-bound inside InTx.
func (r *Router) region(ctx context.Context, name string) (store.Store, error) {
	if name == mainRegion {
		return r.Store, nil
	}
	s, ok := r.shared.regions[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownRegion, name)
	}
	if r.tx == nil {
		return s, nil
	}
	r.tx.mu.Lock()
	defer r.tx.mu.Unlock()
	if t, ok := r.tx.open[name]; ok {
		return t, nil
	}
	t, end, err := s.(beginner).Begin(ctx)
	if err != nil {
		return nil, err
	}
	r.tx.open[name] = t
	r.tx.ends = append(r.tx.ends, end)
	return t, nil
}

func (r *Router) dir() store.UserDirectoryRepo {
	return r.Store.(store.DirectoryStore).UserDirectory()
}

// key is the directory key of one identifier.
func (r *Router) key(tenantID, kind, value string) []byte {
	return r.shared.mac([]byte(kind + "\x00" + tenantID + "\x00" + value))
}

func cacheKey(tenantID, userID string) string { return tenantID + "/" + userID }

// regionOf returns the region holding a user. ErrNotFound for a user the
// directory does not know.
func (r *Router) regionOf(ctx context.Context, tenantID, userID string) (string, error) {
	if userID == "" {
		return "", store.ErrNotFound
	}
	if name, ok := r.shared.where.GetIfPresent(cacheKey(tenantID, userID)); ok {
		return name, nil
	}
	e, err := r.dir().Lookup(ctx, tenantID, store.DirectoryID, r.key(tenantID, store.DirectoryID, userID))
	if errors.Is(err, store.ErrNotFound) {
		// A legacy user (not cached: a migration moves them).
		if _, err := r.Store.Users().Get(ctx, tenantID, userID); err != nil {
			return "", err
		}
		return mainRegion, nil
	}
	if err != nil {
		return "", err
	}
	if r.tx == nil { // a transaction's entry may still roll back
		r.shared.where.Set(cacheKey(tenantID, userID), e.Region)
	}
	return e.Region, nil
}

// forUser returns the store holding a user's data.
func (r *Router) forUser(ctx context.Context, tenantID, userID string) (store.Store, error) {
	name, err := r.regionOf(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	return r.region(ctx, name)
}

// forUserStub is forUser, with the tenant's row (and the client's, if
// clientID is set) copied into the region first.
func (r *Router) forUserStub(ctx context.Context, tenantID, userID, clientID string) (store.Store, error) {
	name, err := r.regionOf(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	s, err := r.region(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := r.stub(ctx, name, s, tenantID, clientID); err != nil {
		return nil, err
	}
	return s, nil
}

// stub copies the tenant's row and optionally a client's into a region.
// The copies only satisfy the region's foreign keys: nothing reads them.
func (r *Router) stub(ctx context.Context, name string, s store.Store, tenantID, clientID string) error {
	tk := name + "/" + tenantID
	if _, ok := r.shared.stubs.Load(tk); !ok {
		t, err := r.Store.Tenants().Get(ctx, tenantID)
		if err != nil {
			return err
		}
		if _, err := s.Tenants().Get(ctx, tenantID); errors.Is(err, store.ErrNotFound) {
			if err := s.Tenants().Create(ctx, t); err != nil && !errors.Is(err, store.ErrConflict) {
				return err
			}
		} else if err != nil {
			return err
		}
		if r.tx == nil {
			r.shared.stubs.Store(tk, struct{}{})
		}
	}
	if clientID == "" {
		return nil
	}
	ck := tk + "/" + clientID
	if _, ok := r.shared.stubs.Load(ck); ok {
		return nil
	}
	if _, err := s.Clients().Get(ctx, tenantID, clientID); errors.Is(err, store.ErrNotFound) {
		c, err := r.Store.Clients().Get(ctx, tenantID, clientID)
		if err != nil {
			return err
		}
		if err := s.Clients().Create(ctx, tenantID, c); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
	} else if err != nil {
		return err
	}
	if r.tx == nil {
		r.shared.stubs.Store(ck, struct{}{})
	}
	return nil
}

// all returns every region's store, transaction-bound inside InTx.
func (r *Router) all(ctx context.Context) ([]store.Store, error) {
	out := make([]store.Store, 0, len(r.shared.names))
	for _, n := range r.shared.names {
		s, err := r.region(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// find asks each region for a row, in declaration order, then the main
// database (legacy users), and returns the first found with its place's
// name. ErrNotFound if none has it; ErrUnavailable if none had it and a
// region could not answer.
func find[T any](ctx context.Context, r *Router, fn func(s store.Store) (T, error)) (T, string, error) {
	var zero T
	var down error
	for _, n := range r.places() {
		s, err := r.region(ctx, n)
		if err == nil {
			var v T
			if v, err = fn(s); err == nil {
				return v, n, nil
			}
		}
		switch {
		case errors.Is(err, store.ErrNotFound):
		case errors.Is(err, store.ErrUnavailable):
			down = err
		default:
			return zero, n, err
		}
	}
	if down != nil {
		return zero, "", down
	}
	return zero, "", store.ErrNotFound
}

// each runs fn on every region and the main database (legacy users) and
// sums the counts. A region that fails fails the call: these are
// maintenance and "everywhere" revocations.
func each(ctx context.Context, r *Router, fn func(s store.Store) (int64, error)) (int64, error) {
	var total int64
	stores, err := r.all(ctx)
	if err != nil {
		return 0, err
	}
	stores = append(stores, r.Store)
	var errs []error
	for _, s := range stores {
		n, err := fn(s)
		total += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

// placeUser chooses a new user's region: the one set on u (the Admin API's
// region field, a residency policy), else the default.
func (r *Router) placeUser(u *identity.User) (string, error) {
	if u.Region == "" {
		return r.shared.def, nil
	}
	if _, ok := r.shared.regions[u.Region]; !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownRegion, u.Region)
	}
	return u.Region, nil
}

// forget drops a user's cached region (deleted or moved).
func (r *Router) forget(tenantID, userID string) {
	r.shared.where.Invalidate(cacheKey(tenantID, userID))
}

// Close closes the regional databases; the main one is the caller's.
func (r *Router) Close() error {
	var errs []error
	for _, n := range r.shared.names {
		errs = append(errs, r.shared.regions[n].Close())
	}
	return errors.Join(errs...)
}

// Ready is the main database's readiness only: a region that is down
// fails its own users' requests (503), not the node.

var _ store.Store = (*Router)(nil)
