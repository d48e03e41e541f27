package regional

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Connections: the connections are directory data (main database); the
// identities linked through them, which name the person at the upstream
// (its subject, the email it asserted), live in the user's region. A
// sign-in looks an identity up by (connection, subject) before it knows
// the user: the directory holds a keyed hash of that pair → user and
// region, and its uniqueness keeps a subject linked to one user across
// every region.
//
// Identities linked in the main database before this routing existed are
// still read, used and unlinked there (legacyIdentities).
func (r *Router) Connections() store.ConnectionRepo { return connections{r.Store.Connections(), r} }

type connections struct {
	store.ConnectionRepo // main: the connections themselves, SAML assertion IDs
	r                    *Router
}

// fedKey is the directory key of an identity.
func (r *Router) fedKey(tenantID, connectionID, subject string) []byte {
	return r.key(tenantID, store.DirectoryFederated, connectionID+"\x00"+subject)
}

// fedEntries are the directory entries of identities held in region.
func (r *Router) fedEntries(region string, ids []store.FederatedIdentity) []store.DirectoryEntry {
	out := make([]store.DirectoryEntry, 0, len(ids))
	for _, fi := range ids {
		out = append(out, store.DirectoryEntry{TenantID: fi.TenantID, Kind: store.DirectoryFederated,
			Key: r.fedKey(fi.TenantID, fi.ConnectionID, fi.Subject), UserID: fi.UserID, Region: region})
	}
	return out
}

// stubConnection copies a connection's row into a region, without its
// configuration or secrets: it only satisfies the identities' foreign
// key. Not cached: a connection deleted and created again must be
// copied again, and linking is rare.
func (r *Router) stubConnection(ctx context.Context, name string, s store.Store, tenantID, id string) error {
	if err := r.stub(ctx, name, s, tenantID, ""); err != nil {
		return err
	}
	if _, err := s.Connections().Get(ctx, tenantID, id); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	c, err := r.Store.Connections().Get(ctx, tenantID, id)
	if err != nil {
		return err
	}
	stub := store.Connection{TenantID: c.TenantID, ID: c.ID, Type: c.Type, DisplayName: c.DisplayName,
		Provisioning: c.Provisioning, LinkByEmail: c.LinkByEmail}
	if err := s.Connections().Create(ctx, &stub); err != nil && !errors.Is(err, store.ErrConflict) {
		return err
	}
	return nil
}

// locate finds the store holding the identity (connection, subject): the
// region the directory names, or the main database for an identity linked
// there before regions held identities. A directory entry whose region
// no longer holds the identity (its connection was deleted) is stale.
func (x connections) locate(ctx context.Context, tenantID, connectionID, subject string) (store.Store, *store.FederatedIdentity, error) {
	e, err := x.r.dir().Lookup(ctx, tenantID, store.DirectoryFederated, x.r.fedKey(tenantID, connectionID, subject))
	if errors.Is(err, store.ErrNotFound) {
		fi, err := x.ConnectionRepo.IdentityBySubject(ctx, tenantID, connectionID, subject)
		return x.r.Store, fi, err
	}
	if err != nil {
		return nil, nil, err
	}
	s, err := x.r.region(ctx, e.Region)
	if err != nil {
		return nil, nil, err
	}
	fi, err := s.Connections().IdentityBySubject(ctx, tenantID, connectionID, subject)
	if err != nil {
		return nil, nil, err
	}
	return s, fi, nil
}

func (x connections) IdentityBySubject(ctx context.Context, tenantID, connectionID, subject string) (*store.FederatedIdentity, error) {
	_, fi, err := x.locate(ctx, tenantID, connectionID, subject)
	return fi, err
}

// Link writes the identity in the user's region and its directory entry
// in one unit of work. ErrConflict when the subject is linked to anyone,
// in any region (a stale entry is replaced).
func (x connections) Link(ctx context.Context, fi *store.FederatedIdentity) error {
	if fi.TenantID == "" || fi.ConnectionID == "" || fi.Subject == "" || fi.UserID == "" {
		return errors.New("store: an identity needs a tenant, a connection, a subject and a user")
	}
	return x.r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		xc := connections{r.Store.Connections(), r}
		name, err := r.regionOf(ctx, fi.TenantID, fi.UserID)
		if err != nil {
			return err
		}
		s, err := r.region(ctx, name)
		if err != nil {
			return err
		}
		if err := r.stubConnection(ctx, name, s, fi.TenantID, fi.ConnectionID); err != nil {
			return err
		}
		key := r.fedKey(fi.TenantID, fi.ConnectionID, fi.Subject)
		switch _, _, err := xc.locate(ctx, fi.TenantID, fi.ConnectionID, fi.Subject); {
		case err == nil:
			return store.ErrConflict
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := r.dir().Delete(ctx, fi.TenantID, store.DirectoryFederated, key); err != nil {
			return err
		}
		if err := s.Connections().Link(ctx, fi); err != nil {
			return err
		}
		if name == mainRegion {
			return nil // a legacy user's: found in the main database; Migrate adds the entry
		}
		return r.dir().Put(ctx, r.fedEntries(name, []store.FederatedIdentity{*fi}))
	})
}

// legacyIdentities are a user's identities linked in the main database.
func (x connections) legacyIdentities(ctx context.Context, tenantID, userID string) ([]store.FederatedIdentity, error) {
	return x.ConnectionRepo.Identities(ctx, tenantID, userID)
}

func (x connections) Identities(ctx context.Context, tenantID, userID string) ([]store.FederatedIdentity, error) {
	out, err := x.legacyIdentities(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	name, err := x.r.regionOf(ctx, tenantID, userID)
	if errors.Is(err, store.ErrNotFound) || name == mainRegion {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	s, err := x.r.region(ctx, name)
	if err != nil {
		return nil, err
	}
	ids, err := s.Connections().Identities(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return ids, nil
	}
	out = append(out, ids...)
	slices.SortFunc(out, func(a, b store.FederatedIdentity) int { return strings.Compare(a.ConnectionID, b.ConnectionID) })
	return out, nil
}

func (x connections) Used(ctx context.Context, tenantID, connectionID, subject, email string, at time.Time) error {
	s, _, err := x.locate(ctx, tenantID, connectionID, subject)
	if err != nil {
		return err
	}
	return s.Connections().Used(ctx, tenantID, connectionID, subject, email, at)
}

// Unlink removes the identity from the user's region and its directory
// entry, or a legacy identity from the main database.
func (x connections) Unlink(ctx context.Context, tenantID, userID, connectionID string) error {
	return x.r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		s, err := r.forUser(ctx, tenantID, userID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil {
			ids, err := s.Connections().Identities(ctx, tenantID, userID)
			if err != nil {
				return err
			}
			for _, fi := range ids {
				if fi.ConnectionID != connectionID {
					continue
				}
				if err := s.Connections().Unlink(ctx, tenantID, userID, connectionID); err != nil {
					return err
				}
				return r.dir().Delete(ctx, tenantID, store.DirectoryFederated, r.fedKey(tenantID, connectionID, fi.Subject))
			}
		}
		return r.Store.Connections().Unlink(ctx, tenantID, userID, connectionID)
	})
}

// Delete removes the connection and every identity linked through it:
// in the main database, and its copy (with the identities) in each
// region. The identities' directory entries go stale (their key cannot be
// listed by connection): lookups and Link treat an entry whose region
// lacks the identity as absent.
func (x connections) Delete(ctx context.Context, tenantID, id string) error {
	return x.r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		if err := r.Store.Connections().Delete(ctx, tenantID, id); err != nil {
			return err
		}
		stores, err := r.all(ctx)
		if err != nil {
			return err
		}
		for _, s := range stores {
			if err := s.Connections().Delete(ctx, tenantID, id); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	})
}
