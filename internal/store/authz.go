package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// API is a resource server that accepts the tenant's access tokens: its
// Identifier is the tokens' aud (RFC 8707 resource), unique in the tenant
// and never changed; Scopes are the permissions it defines.
type API struct {
	TenantID   string
	ID         string
	Identifier string
	Name       string
	Scopes     []APIScope // in the order given; each Value once
	// AccessTokenLifetime of the tokens issued for the API, in seconds.
	AccessTokenLifetime int
	TokenFormat         string // "jwt" or "opaque"
	RBAC                bool   // users get only what their roles permit
	PermissionsInToken  bool   // tokens carry a permissions claim
	CreatedAt           time.Time
	UpdatedAt           time.Time
	Version             int64

	// AuthorizationDetailsTypes are the RFC 9396 detail types the API
	// accepts (issue 20), in the order given; each Type once.
	AuthorizationDetailsTypes []AuthorizationDetailsType
}

// AuthorizationDetailsType is one rich authorization request type an API
// declares: Schema is the JSON Schema a detail of the type must satisfy,
// checked to compile before it is stored.
type AuthorizationDetailsType struct {
	Type        string          `json:"type"`
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema"`
}

// APIScope is one scope an API defines.
type APIScope struct {
	Value       string
	Description string
}

// HasScope reports whether the API defines the scope value.
func (a *API) HasScope(v string) bool {
	for _, s := range a.Scopes {
		if s.Value == v {
			return true
		}
	}
	return false
}

// ClientGrant is what a client may get of one API with client credentials.
type ClientGrant struct {
	TenantID   string
	ClientID   string
	APIID      string
	Identifier string // the API's
	Scopes     []string
}

// Role is a named set of permissions assigned to users.
type Role struct {
	TenantID    string
	ID          string
	Name        string // unique in the tenant
	Description string
	Permissions []Permission // ordered by API identifier, then scope
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64
}

// Permission is one scope of one API, named by the API's identifier.
type Permission struct {
	API   string
	Scope string
}

// ErrUnknownScope: a role or a client grant names an API or a scope the
// tenant does not have. Returned wrapped in a *ScopeError.
var ErrUnknownScope = errors.New("store: unknown API or scope")

// ScopeError says which permission is unknown.
type ScopeError struct {
	Index int // position in the list the caller gave
	API   string
	Scope string // "" when the API itself is unknown
}

func (e *ScopeError) Error() string {
	if e.Scope == "" {
		return fmt.Sprintf("store: unknown API %q", e.API)
	}
	return fmt.Sprintf("store: API %q defines no scope %q", e.API, e.Scope)
}
func (e *ScopeError) Unwrap() error { return ErrUnknownScope }

// InUseError refuses to delete an API, or to remove scopes from it, that
// roles use. It wraps ErrConflict.
type InUseError struct {
	Roles []RoleRef
}

// RoleRef names a role.
type RoleRef struct{ ID, Name string }

func (e *InUseError) Error() string {
	names := make([]string, len(e.Roles))
	for i, r := range e.Roles {
		names[i] = r.Name + " (" + r.ID + ")"
	}
	return "store: used by roles " + strings.Join(names, ", ")
}
func (e *InUseError) Unwrap() error { return ErrConflict }

// APIRepo stores a tenant's APIs and the clients' grants to them.
type APIRepo interface {
	// Create inserts a. ErrConflict if the identifier exists in the tenant.
	Create(ctx context.Context, a *API) error
	Get(ctx context.Context, tenantID, id string) (*API, error)
	GetByIdentifier(ctx context.Context, tenantID, identifier string) (*API, error)
	List(ctx context.Context, tenantID string, p Page) (items []API, next string, err error)
	// Update applies fn atomically (Identifier, TenantID and ID are kept).
	// Removing a scope that roles use: *InUseError, nothing written.
	// Removed scopes leave the clients' grants.
	Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*API) error) (*API, error)
	// Delete removes the API and the clients' grants to it. If roles use
	// it and cascade is false: *InUseError and nothing is deleted; with
	// cascade the roles lose those permissions.
	Delete(ctx context.Context, tenantID, id string, cascade bool) error

	// SetClientGrant creates or replaces the client's grant to the API.
	// ErrNotFound if the client or the API is absent; a scope the API does
	// not define: *ScopeError, nothing written.
	SetClientGrant(ctx context.Context, tenantID, clientID, apiID string, scopes []string) (*ClientGrant, error)
	// DeleteClientGrant: ErrNotFound if there is none.
	DeleteClientGrant(ctx context.Context, tenantID, clientID, apiID string) error
	// ListClientGrants pages by API ID.
	ListClientGrants(ctx context.Context, tenantID, clientID string, p Page) (items []ClientGrant, next string, err error)
	// ClientAccess returns the API with that identifier and the scopes the
	// client was granted on it (nil if none), in one query: what a
	// client-credentials request for a resource needs. ErrNotFound if the
	// tenant has no such API.
	ClientAccess(ctx context.Context, tenantID, clientID, identifier string) (*API, []string, error)
}

// RoleRepo stores a tenant's roles and their assignment to users.
type RoleRepo interface {
	// Create inserts r. ErrConflict if the name is taken; *ScopeError if a
	// permission names an unknown API or scope.
	Create(ctx context.Context, r *Role) error
	Get(ctx context.Context, tenantID, id string) (*Role, error)
	List(ctx context.Context, tenantID string, p Page) (items []Role, next string, err error)
	// Update as Create, applying fn atomically.
	Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*Role) error) (*Role, error)
	// Delete removes the role and its assignments.
	Delete(ctx context.Context, tenantID, id string) error

	// Assign gives the user the roles (held ones stay). ErrNotFound, and
	// nothing written, if the user or any role is absent.
	Assign(ctx context.Context, tenantID, userID string, roleIDs []string) error
	// Unassign: ErrNotFound if the user does not hold the role.
	Unassign(ctx context.Context, tenantID, userID, roleID string) error
	// ListForUser pages the user's roles by role ID.
	ListForUser(ctx context.Context, tenantID, userID string, p Page) (items []Role, next string, err error)
	// Permissions returns the scope values that the user's roles grant on
	// the API (by ID), each once, sorted: one indexed query.
	Permissions(ctx context.Context, tenantID, userID, apiID string) ([]string, error)
}
