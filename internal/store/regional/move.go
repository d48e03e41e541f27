package regional

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// ErrSameRegion: a move to the region that already holds the user.
var ErrSameRegion = errors.New("regional: the user is already in that region")

// userData is what a move carries: everything lasting about a user,
// federated identities included.
// Sessions, tokens, pending verifications, challenges, remembered devices
// and exports are not carried: the move ends them (the user signs in
// again), so that nothing of the user stays behind in the old region.
type userData struct {
	user     *identity.User
	password *identity.PasswordCredential
	factors  []factor.Factor
	consents []oauth.Consent
	ledger   []store.ConsentEntry
	history  *riskpolicy.History
	key      []byte
	ids      []store.FederatedIdentity
}

// Move moves a user's personal data to another region: copy, verify,
// delete from the old region and repoint the directory, as one unit of
// work (the new region's rows, the old region's deletion and the
// directory commit together or not at all, but for a crash between the
// databases' commits, which leaves an unreachable copy).
func (r *Router) Move(ctx context.Context, tenantID, userID, to string) (*identity.User, error) {
	if !r.Has(to) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownRegion, to)
	}
	if from, err := r.regionOf(ctx, tenantID, userID); err == nil && from == mainRegion {
		return r.Migrate(ctx, tenantID, userID, to) // a legacy user
	}
	var out *identity.User
	err := r.InTx(ctx, func(tx store.Store) error {
		r := tx.(*Router)
		from, err := r.regionOf(ctx, tenantID, userID)
		if err != nil {
			return err
		}
		if from == to {
			return ErrSameRegion
		}
		src, err := r.region(ctx, from)
		if err != nil {
			return err
		}
		dst, err := r.region(ctx, to)
		if err != nil {
			return err
		}
		d, got, err := r.copyUser(ctx, src, to, dst, tenantID, userID)
		if err != nil {
			return err
		}
		if err := src.Users().Delete(ctx, tenantID, userID); err != nil {
			return err
		}
		if err := r.dir().Replace(ctx, tenantID, userID, append(r.entries(tenantID, to, d.user), r.fedEntries(to, d.ids)...)); err != nil {
			return err
		}
		got.user.Region = to
		out = got.user
		return nil
	})
	r.forget(tenantID, userID)
	return out, err
}

// copyUser reads a user's lasting data from src, writes it to region to
// (store dst), reads it back and compares: the copy of a move or a
// migration. It returns what was read from each.
func (r *Router) copyUser(ctx context.Context, src store.Store, to string, dst store.Store, tenantID, userID string) (d, got *userData, err error) {
	if d, err = read(ctx, src, tenantID, userID); err != nil {
		return nil, nil, err
	}
	if err := r.stub(ctx, to, dst, tenantID, ""); err != nil {
		return nil, nil, err
	}
	if err := write(ctx, r, to, dst, tenantID, d); err != nil {
		return nil, nil, err
	}
	if got, err = read(ctx, dst, tenantID, userID); err != nil {
		return nil, nil, err
	}
	if err := same(d, got); err != nil {
		return nil, nil, fmt.Errorf("regional: the copy of user %s in %s differs: %w", userID, to, err)
	}
	return d, got, nil
}

func read(ctx context.Context, s store.Store, tenantID, userID string) (*userData, error) {
	var d userData
	var err error
	if d.user, err = s.Users().Get(ctx, tenantID, userID); err != nil {
		return nil, err
	}
	if d.password, err = s.Passwords().Get(ctx, tenantID, userID); errors.Is(err, store.ErrNotFound) {
		d.password = nil
	} else if err != nil {
		return nil, err
	}
	if d.factors, err = s.MFA().ListFactors(ctx, tenantID, userID); err != nil {
		return nil, err
	}
	for p := (store.Page{Limit: store.MaxLimit}); ; {
		items, next, err := s.Consents().ListByUser(ctx, tenantID, userID, p)
		if err != nil {
			return nil, err
		}
		d.consents = append(d.consents, items...)
		if next == "" {
			break
		}
		p.After = next
	}
	for p := (store.Page{Limit: store.MaxLimit}); ; {
		items, next, err := s.Privacy().History(ctx, tenantID, userID, p)
		if err != nil {
			return nil, err
		}
		d.ledger = append(d.ledger, items...)
		if next == "" {
			break
		}
		p.After = next
	}
	if d.history, err = s.Risk().History(ctx, tenantID, userID); errors.Is(err, store.ErrNotFound) {
		d.history = nil
	} else if err != nil {
		return nil, err
	}
	keys, err := s.UserKeys().Keys(ctx, tenantID, []string{userID})
	if err != nil {
		return nil, err
	}
	d.key = keys[userID]
	if d.ids, err = s.Connections().Identities(ctx, tenantID, userID); err != nil {
		return nil, err
	}
	return &d, nil
}

func write(ctx context.Context, r *Router, name string, s store.Store, tenantID string, d *userData) error {
	u := *d.user
	u.Region = ""
	if err := s.Users().Create(ctx, tenantID, &u); err != nil {
		return err
	}
	if d.password != nil {
		if err := s.Passwords().Set(ctx, tenantID, u.ID, d.password.Hash); err != nil {
			return err
		}
	}
	for i := range d.factors {
		f := d.factors[i]
		if err := s.MFA().CreateFactor(ctx, &f); err != nil {
			return err
		}
	}
	for i := range d.consents {
		c := d.consents[i]
		if err := r.stub(ctx, name, s, tenantID, c.ClientID); err != nil {
			return err
		}
		if err := s.Consents().Upsert(ctx, &c); err != nil {
			return err
		}
	}
	if len(d.ledger) > 0 {
		ledger := slices.Clone(d.ledger)
		slices.SortFunc(ledger, func(a, b store.ConsentEntry) int { return a.At.Compare(b.At) })
		if err := s.Privacy().Record(ctx, ledger); err != nil {
			return err
		}
	}
	if d.history != nil {
		h := *d.history
		if _, err := s.Risk().UpdateHistory(ctx, tenantID, u.ID, func(x *riskpolicy.History) error { *x = h; return nil }); err != nil {
			return err
		}
	}
	if d.key != nil {
		if _, err := s.UserKeys().Ensure(ctx, tenantID, u.ID, d.key); err != nil {
			return err
		}
	}
	for i := range d.ids {
		fi := d.ids[i]
		if err := r.stubConnection(ctx, name, s, tenantID, fi.ConnectionID); err != nil {
			return err
		}
		if err := s.Connections().Link(ctx, &fi); err != nil {
			return err
		}
	}
	return nil
}

// same compares what was read back from the new region with what was
// read from the old one.
func same(a, b *userData) error {
	switch {
	case a.user.ID != b.user.ID || a.user.Email != b.user.Email || a.user.Username != b.user.Username ||
		a.user.Phone != b.user.Phone || a.user.Version != b.user.Version:
		return errors.New("user row")
	case (a.password == nil) != (b.password == nil) || (a.password != nil && a.password.Hash != b.password.Hash):
		return errors.New("password")
	case len(a.factors) != len(b.factors):
		return errors.New("factors")
	case len(a.consents) != len(b.consents):
		return errors.New("consents")
	case len(a.ledger) != len(b.ledger):
		return errors.New("privacy ledger")
	case (a.key == nil) != (b.key == nil):
		return errors.New("data key")
	case len(a.ids) != len(b.ids):
		return errors.New("federated identities")
	}
	return nil
}
