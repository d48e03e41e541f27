// Package resource holds what the Admin API's resource handlers share
// when they live in their own packages (authzapi, fedapi): the services
// they call and the audit log of admin actions. adminapi builds one Base
// and hands it to every such handler.
package resource

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/directory"
	"github.com/gatehouse-iam/gatehouse/internal/federation/connectors"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

// Base is what a resource handler in a subpackage of adminapi shares.
type Base struct {
	Svc *directory.Service
	// Provider drops cached tenants, clients and APIs after a change.
	Provider *oidc.Provider
	// Record notes an admin action ("admin." + action) in the tenant's
	// audit log, with the caller as the actor; it logs, not returns, a
	// failure, since the action already happened.
	Record func(ctx context.Context, tenantID, action, userID string, data map[string]any)
	// Connectors, if set, is the hosted login's cache of built
	// federation connectors, which a changed connection is dropped from.
	Connectors *connectors.Cache
}

// RecordAdmin notes an admin action in the tenant's audit log.
func (b *Base) RecordAdmin(ctx context.Context, tenantID, action, userID string, data map[string]any) {
	b.Record(ctx, tenantID, action, userID, data)
}

// Audited is RecordAdmin for an action that returned err: it records only
// a success, and passes err on.
func (b *Base) Audited(ctx context.Context, err error, tenantID, action, userID string, data map[string]any) error {
	if err == nil {
		b.RecordAdmin(ctx, tenantID, action, userID, data)
	}
	return err
}

// OptStr is s, or nil when it is empty (an absent optional field).
func OptStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
