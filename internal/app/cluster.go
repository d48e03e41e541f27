package app

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/internal/cluster"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// RunCluster applies the changes other nodes announce until ctx ends:
// tenants, clients, signing keys, revocations and disabled users drop out
// of this node's caches within a second of their commit. On SQLite (one
// node) it returns at once. ready, if not nil, is called once the node
// listens.
func (a *App) RunCluster(ctx context.Context, ready func()) {
	if a.DB.Dialect() != "postgres" {
		if ready != nil {
			ready()
		}
		return
	}
	l := cluster.NewListener(a.Cfg.Database, a.applyChange, a.Log.With("job", "cluster"))
	if ready != nil {
		go func() {
			select {
			case <-l.Ready():
				ready()
			case <-ctx.Done():
			}
		}()
	}
	l.Run(ctx)
}

// applyChange drops what the change made stale.
func (a *App) applyChange(ctx context.Context, e cluster.Event) {
	switch e.Kind {
	case cluster.TenantChanged:
		// "" is the default tenant's cache key, whatever its slug.
		for _, slug := range []string{e.Slug, e.Old, ""} {
			a.Tenants.Invalidate(slug)
		}
		if _, err := a.Directory.Stores.Control().Tenants().Get(ctx, e.Tenant); errors.Is(err, store.ErrNotFound) {
			a.SigningKeys.Forget(e.Tenant) // deleted
		}
		a.Connectors.Forget(e.Tenant, "") // the issuer may have changed with the slug
	case cluster.ConnectionChanged:
		a.Connectors.Forget(e.Tenant, e.ID)
	case cluster.KeysChanged:
		if err := a.SigningKeys.Reload(ctx, e.Tenant); err != nil {
			a.Log.WarnContext(ctx, "reloading signing keys another node changed failed", "tenant_id", e.Tenant, "err", err)
		}
	case cluster.SAMLCertsChanged:
		a.SigningKeys.SAMLChanged(e.Tenant)
	case cluster.Resync:
		a.Tenants.InvalidateAll()
		a.SigningKeys.SAMLChanged("")
		a.Connectors.Forget("", "")
		if err := a.SigningKeys.ReloadAll(ctx); err != nil {
			a.Log.WarnContext(ctx, "reloading signing keys failed", "err", err)
		}
	}
	a.Provider.Invalidate(ctx, e)
}
