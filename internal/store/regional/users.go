package regional

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Users routes users by the directory.
func (r *Router) Users() store.UserRepo { return users{r} }

// Passwords routes passwords to their user's region.
func (r *Router) Passwords() store.PasswordRepo { return passwords{r} }

type users struct{ r *Router }

// entries are the directory rows of a user.
func (r *Router) entries(tenantID, region string, u *identity.User) []store.DirectoryEntry {
	out := []store.DirectoryEntry{{TenantID: tenantID, Kind: store.DirectoryID,
		Key: r.key(tenantID, store.DirectoryID, u.ID), UserID: u.ID, Region: region}}
	if e := strings.ToLower(u.Email); e != "" {
		out = append(out, store.DirectoryEntry{TenantID: tenantID, Kind: store.DirectoryEmail,
			Key: r.key(tenantID, store.DirectoryEmail, e), UserID: u.ID, Region: region})
	}
	if n := strings.ToLower(u.Username); n != "" {
		out = append(out, store.DirectoryEntry{TenantID: tenantID, Kind: store.DirectoryUsername,
			Key: r.key(tenantID, store.DirectoryUsername, n), UserID: u.ID, Region: region})
	}
	return out
}

// Create writes the user in their region, a skeleton row and the
// directory entries in the main database, in one unit of work.
func (x users) Create(ctx context.Context, tenantID string, u *identity.User) error {
	name, err := x.r.placeUser(u)
	if err != nil {
		return err
	}
	return x.r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		// A legacy user (main database, no directory entry) holds their
		// email and username as well.
		if err := r.legacyHolds(ctx, tenantID, u); err != nil {
			return err
		}
		s, err := r.region(ctx, name)
		if err != nil {
			return err
		}
		if err := r.stub(ctx, name, s, tenantID, ""); err != nil {
			return err
		}
		n := *u
		if err := s.Users().Create(ctx, tenantID, &n); err != nil {
			return err
		}
		skel := identity.User{ID: n.ID, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Attributes: map[string]any{}}
		if err := r.Store.Users().Create(ctx, tenantID, &skel); err != nil {
			return err
		}
		if err := r.dir().Put(ctx, r.entries(tenantID, name, &n)); err != nil {
			return err
		}
		n.Region = name
		*u = n
		return nil
	})
}

// legacyHolds is ErrConflict when a legacy user has u's email or username.
func (r *Router) legacyHolds(ctx context.Context, tenantID string, u *identity.User) error {
	if u.Email != "" {
		if _, err := r.Store.Users().GetByEmail(ctx, tenantID, u.Email); err == nil {
			return store.ErrConflict
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if u.Username != "" {
		if _, err := r.Store.Users().GetByUsername(ctx, tenantID, u.Username); err == nil {
			return store.ErrConflict
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

func (x users) get(ctx context.Context, tenantID, id string) (*identity.User, error) {
	name, err := x.r.regionOf(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	s, err := x.r.region(ctx, name)
	if err != nil {
		return nil, err
	}
	u, err := s.Users().Get(ctx, tenantID, id)
	if errors.Is(err, store.ErrNotFound) && x.r.tx == nil {
		// Moved by another node since this one cached the region.
		x.r.forget(tenantID, id)
		if again, lerr := x.r.regionOf(ctx, tenantID, id); lerr == nil && again != name {
			if s, err = x.r.region(ctx, again); err != nil {
				return nil, err
			}
			name = again
			u, err = s.Users().Get(ctx, tenantID, id)
		}
	}
	if err != nil {
		return nil, err
	}
	u.Region = name
	return u, nil
}

func (x users) Get(ctx context.Context, tenantID, id string) (*identity.User, error) {
	return x.get(ctx, tenantID, id)
}

func (x users) by(ctx context.Context, tenantID, kind, value string) (*identity.User, error) {
	value = strings.ToLower(value)
	if value == "" {
		return nil, store.ErrNotFound
	}
	e, err := x.r.dir().Lookup(ctx, tenantID, kind, x.r.key(tenantID, kind, value))
	if errors.Is(err, store.ErrNotFound) {
		// A legacy user: skeletons have no email or username.
		if kind == store.DirectoryEmail {
			return x.r.Store.Users().GetByEmail(ctx, tenantID, value)
		}
		return x.r.Store.Users().GetByUsername(ctx, tenantID, value)
	}
	if err != nil {
		return nil, err
	}
	return x.get(ctx, tenantID, e.UserID)
}

func (x users) GetByEmail(ctx context.Context, tenantID, email string) (*identity.User, error) {
	return x.by(ctx, tenantID, store.DirectoryEmail, email)
}

func (x users) GetByUsername(ctx context.Context, tenantID, username string) (*identity.User, error) {
	return x.by(ctx, tenantID, store.DirectoryUsername, username)
}

// List answers an exact email or username filter through the directory,
// and anything else by merging one page of every region in ID order.
func (x users) List(ctx context.Context, tenantID string, f store.UserFilter, p store.Page) ([]identity.User, string, error) {
	p = p.Norm()
	if f.Email != "" || f.Username != "" {
		// One user at most: ask the directory where, then let that
		// region's list apply every filter and the page.
		kind, v := store.DirectoryEmail, f.Email
		if v == "" {
			kind, v = store.DirectoryUsername, f.Username
		}
		e, err := x.r.dir().Lookup(ctx, tenantID, kind, x.r.key(tenantID, kind, strings.ToLower(v)))
		if errors.Is(err, store.ErrNotFound) {
			return x.inRegion(ctx, mainRegion, tenantID, f, p) // a legacy user, or nobody
		}
		if err != nil {
			return nil, "", err
		}
		return x.inRegion(ctx, e.Region, tenantID, f, p)
	}
	var all []identity.User
	more := false
	for _, n := range x.r.shared.names {
		items, next, err := x.inRegion(ctx, n, tenantID, f, p)
		if err != nil {
			return nil, "", err
		}
		all = append(all, items...)
		more = more || next != ""
	}
	// Legacy users from the main database, less the skeletons (which
	// have no email, username or phone). Main's page covers the IDs up
	// to its last row only: what lies beyond is for the next page.
	items, mainNext, err := x.inRegion(ctx, mainRegion, tenantID, f, p)
	if err != nil {
		return nil, "", err
	}
	for _, u := range items {
		if u.Email != "" || u.Username != "" || u.Phone != "" {
			all = append(all, u)
		}
	}
	slices.SortFunc(all, func(a, b identity.User) int { return strings.Compare(a.ID, b.ID) })
	if mainNext != "" {
		cut := items[len(items)-1].ID
		all = slices.DeleteFunc(all, func(u identity.User) bool { return u.ID > cut })
		more = true
		if len(all) == 0 {
			return nil, cut, nil
		}
	}
	if len(all) > p.Limit {
		all, more = all[:p.Limit], true
	}
	if more && len(all) > 0 {
		return all, all[len(all)-1].ID, nil
	}
	return all, "", nil
}

func (x users) inRegion(ctx context.Context, name, tenantID string, f store.UserFilter, p store.Page) ([]identity.User, string, error) {
	s, err := x.r.region(ctx, name)
	if err != nil {
		return nil, "", err
	}
	items, next, err := s.Users().List(ctx, tenantID, f, p)
	for i := range items {
		items[i].Region = name
	}
	return items, next, err
}

// Update changes the user in their region and, when the email or username
// changed, the directory in the same unit of work.
func (x users) Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*identity.User) error) (*identity.User, error) {
	var out *identity.User
	err := x.r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		name, err := r.regionOf(ctx, tenantID, id)
		if err != nil {
			return err
		}
		s, err := r.region(ctx, name)
		if err != nil {
			return err
		}
		var before identity.User
		u, err := s.Users().Update(ctx, tenantID, id, ifVersion, func(u *identity.User) error {
			before = *u
			u.Region = name
			return fn(u)
		})
		if err != nil {
			return err
		}
		if name != mainRegion && (!strings.EqualFold(before.Email, u.Email) || !strings.EqualFold(before.Username, u.Username)) {
			if err := r.legacyHolds(ctx, tenantID, u); err != nil {
				return err
			}
			ids, err := s.Connections().Identities(ctx, tenantID, id)
			if err != nil {
				return err
			}
			if err := r.dir().Replace(ctx, tenantID, id, append(r.entries(tenantID, name, u), r.fedEntries(name, ids)...)); err != nil {
				return err
			}
		}
		u.Region = name
		out = u
		return nil
	})
	return out, err
}

// Delete removes the user's regional row (and with it every regional row
// about them), the skeleton (and the directory rows that reference it)
// and the directory entries.
func (x users) Delete(ctx context.Context, tenantID, id string) error {
	err := x.r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		s, err := r.forUser(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := s.Users().Delete(ctx, tenantID, id); err != nil {
			return err
		}
		if err := r.Store.Users().Delete(ctx, tenantID, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return r.dir().DeleteUser(ctx, tenantID, id)
	})
	x.r.forget(tenantID, id)
	return err
}

type passwords struct{ r *Router }

func (x passwords) Set(ctx context.Context, tenantID, userID, hash string) error {
	s, err := x.r.forUser(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	return s.Passwords().Set(ctx, tenantID, userID, hash)
}

func (x passwords) Get(ctx context.Context, tenantID, userID string) (*identity.PasswordCredential, error) {
	s, err := x.r.forUser(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	return s.Passwords().Get(ctx, tenantID, userID)
}

func (x passwords) Delete(ctx context.Context, tenantID, userID string) error {
	s, err := x.r.forUser(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	return s.Passwords().Delete(ctx, tenantID, userID)
}
