package fedapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// syncer is a connector that lists its directory's users (ldap).
type syncer interface {
	Sync(ctx context.Context) ([]federation.Identity, error)
}

// syncConnection imports and updates the users of an ldap connection's
// directory (authn.Import, one entry at a time) and counts what it did.
func (a *Connections) syncConnection(ctx context.Context, id string) (gen.ConnectionSyncResult, error) {
	var out gen.ConnectionSyncResult
	t := tenancy.From(ctx)
	c, err := t.Store.Connections().Get(ctx, t.ID, id)
	if err != nil {
		return out, err
	}
	if c.Type != federation.TypeLDAP {
		return out, httpx.Validation("Only ldap connections can be synced.",
			httpx.FieldError{Field: "connection_id", Message: "is a " + c.Type + " connection"})
	}
	conn, err := connectors.New(c, connectors.Options{Keyring: a.Svc.Keyring, Issuer: t.Issuer})
	if err != nil {
		return out, err
	}
	if cl, ok := conn.(interface{ Close() }); ok {
		defer cl.Close()
	}
	s, ok := conn.(syncer)
	if !ok {
		return out, errors.New("fedapi: an ldap connector without Sync")
	}
	ids, err := s.Sync(ctx)
	if errors.Is(err, federation.ErrUnavailable) {
		return out, httpx.NewProblem(http.StatusServiceUnavailable, "urn:gatehouse:problem:directory-unavailable",
			"Directory unavailable", "The connection's directory cannot be reached. Try again later.")
	}
	if err != nil {
		return out, err
	}
	now := a.Svc.Now()
	for _, fid := range ids {
		o, err := authn.Import(ctx, a.Svc, t, authn.Federated{Conn: c, Identity: fid}, now)
		if err != nil {
			return out, err
		}
		out.Seen++
		switch o {
		case authn.ImportCreated:
			out.Created++
		case authn.ImportUpdated:
			out.Updated++
		case authn.ImportUnchanged:
			out.Unchanged++
		default:
			out.Skipped++
		}
	}
	a.RecordAdmin(ctx, t.ID, "connection.synced", "", map[string]any{"connection_id": id, "seen": out.Seen,
		"created": out.Created, "updated": out.Updated, "unchanged": out.Unchanged, "skipped": out.Skipped})
	return out, nil
}

func (a *Connections) SyncConnection(ctx context.Context, r gen.SyncConnectionRequestObject) (gen.SyncConnectionResponseObject, error) {
	out, err := a.syncConnection(ctx, r.ConnectionID)
	if err != nil {
		return nil, err
	}
	return gen.SyncConnection200JSONResponse(out), nil
}

func (a *Connections) SyncTenantConnection(ctx context.Context, r gen.SyncTenantConnectionRequestObject) (gen.SyncTenantConnectionResponseObject, error) {
	out, err := a.syncConnection(ctx, r.ConnectionID)
	if err != nil {
		return nil, err
	}
	return gen.SyncTenantConnection200JSONResponse(out), nil
}
