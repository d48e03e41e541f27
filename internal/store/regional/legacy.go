package regional

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Users created before GATEHOUSE_REGIONS was set are held in full in the
// main database, with no directory entry ("legacy" users). Migrate moves
// one into a region with the unit of work of a move: copy, read back and
// compare, reduce the main row to a skeleton (store.SkeletonStore), write
// the directory entries.

// ErrInRegion: the user is in a region already (the directory knows them).
var ErrInRegion = errors.New("regional: the user is in a region already")

// Legacy returns one page of the tenant's legacy users' IDs, in ID order.
// A page may hold fewer IDs than its limit (the skeletons of regional
// users are skipped); next is empty at the end.
func (r *Router) Legacy(ctx context.Context, tenantID string, p store.Page) (ids []string, next string, err error) {
	items, next, err := r.shared.main.Users().List(ctx, tenantID, store.UserFilter{}, p.Norm())
	if err != nil {
		return nil, "", err
	}
	for _, u := range items {
		_, err := r.dir().Lookup(ctx, tenantID, store.DirectoryID, r.key(tenantID, store.DirectoryID, u.ID))
		switch {
		case errors.Is(err, store.ErrNotFound):
			ids = append(ids, u.ID)
		case err != nil:
			return nil, "", err
		}
	}
	return ids, next, nil
}

// Migrate moves a legacy user's personal data from the main database into
// region to: the lasting data as Move carries it (sessions, tokens,
// pending verifications and exports end), read back and compared; then
// the main row becomes a skeleton and the directory gets the user's
// entries, in one unit of work. A copy left in the region by an
// interrupted run is replaced, so that running it again resumes.
func (r *Router) Migrate(ctx context.Context, tenantID, userID, to string) (*identity.User, error) {
	if !r.Has(to) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownRegion, to)
	}
	var out *identity.User
	err := r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		sk, ok := r.Store.(store.SkeletonStore)
		if !ok {
			return errors.New("regional: the main database cannot reduce a user to a skeleton")
		}
		switch _, err := r.dir().Lookup(ctx, tenantID, store.DirectoryID, r.key(tenantID, store.DirectoryID, userID)); {
		case err == nil:
			return ErrInRegion
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		dst, err := r.region(ctx, to)
		if err != nil {
			return err
		}
		switch err := dst.Users().Delete(ctx, tenantID, userID); {
		case err == nil, errors.Is(err, store.ErrNotFound):
		default:
			return err
		}
		d, got, err := r.copyUser(ctx, r.Store, to, dst, tenantID, userID)
		if err != nil {
			return err
		}
		if err := sk.Skeleton(ctx, tenantID, userID); err != nil {
			return err
		}
		if err := r.dir().Put(ctx, append(r.entries(tenantID, to, d.user), r.fedEntries(to, d.ids)...)); err != nil {
			return err
		}
		got.user.Region = to
		out = got.user
		return nil
	})
	r.forget(tenantID, userID)
	return out, err
}
