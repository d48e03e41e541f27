package store

import (
	"context"
	"time"
)

// Organization is one of a tenant's customer companies (B2B): a set of
// the tenant's users (members) with roles that hold inside it.
type Organization struct {
	TenantID    string
	ID          string
	Name        string // a slug, unique in the tenant
	DisplayName string
	// Branding of the hosted pages when a sign-in names the organization;
	// empty members fall back to the tenant's.
	LogoURI      string
	PrimaryColor string
	// Connections the members may sign in with (IDs); none: the tenant's.
	Connections []string
	// Domains are the organization's email domains (lower case).
	Domains   []string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Member is a user's membership of an organization.
type Member struct {
	TenantID  string
	OrgID     string
	UserID    string
	CreatedAt time.Time
}

// OrganizationRepo stores a tenant's organizations, their members and the
// members' roles in them.
type OrganizationRepo interface {
	// Create inserts o. ErrConflict if the name is taken in the tenant.
	Create(ctx context.Context, o *Organization) error
	Get(ctx context.Context, tenantID, id string) (*Organization, error)
	GetByName(ctx context.Context, tenantID, name string) (*Organization, error)
	// List pages by ID.
	List(ctx context.Context, tenantID string, p Page) (items []Organization, next string, err error)
	// Update applies fn atomically (TenantID and ID are kept). ErrConflict
	// if the new name is taken.
	Update(ctx context.Context, tenantID, id string, ifVersion int64, fn func(*Organization) error) (*Organization, error)
	// Delete removes the organization, its memberships and their roles.
	Delete(ctx context.Context, tenantID, id string) error

	// AddMember makes the user a member. ErrNotFound if the organization
	// or the user is absent; ErrConflict if the user is a member already.
	AddMember(ctx context.Context, tenantID, orgID, userID string) (*Member, error)
	// GetMember: ErrNotFound unless the user is a member.
	GetMember(ctx context.Context, tenantID, orgID, userID string) (*Member, error)
	// RemoveMember ends the membership and its roles. ErrNotFound if the
	// user is not a member.
	RemoveMember(ctx context.Context, tenantID, orgID, userID string) error
	// ListMembers pages the members by user ID.
	ListMembers(ctx context.Context, tenantID, orgID string, p Page) (items []Member, next string, err error)
	// ListForUser pages the user's organizations by organization ID.
	ListForUser(ctx context.Context, tenantID, userID string, p Page) (items []Organization, next string, err error)

	// AssignMemberRoles gives the member the roles in the organization
	// (held ones stay). ErrNotFound, and nothing written, if the user is
	// not a member or a role is absent.
	AssignMemberRoles(ctx context.Context, tenantID, orgID, userID string, roleIDs []string) error
	// UnassignMemberRole: ErrNotFound if the member does not hold it.
	UnassignMemberRole(ctx context.Context, tenantID, orgID, userID, roleID string) error
	// ListMemberRoles pages the member's roles in the organization by ID.
	ListMemberRoles(ctx context.Context, tenantID, orgID, userID string, p Page) (items []Role, next string, err error)
	// MemberPermissions returns the scope values the member's roles in the
	// organization grant on the API (by ID), each once, sorted: one
	// indexed query.
	MemberPermissions(ctx context.Context, tenantID, orgID, userID, apiID string) ([]string, error)
	// MemberRoleNames returns the names of the member's roles in the
	// organization, sorted.
	MemberRoleNames(ctx context.Context, tenantID, orgID, userID string) ([]string, error)
}

// OrgInvitation invites a person, by email, into an organization with
// roles. Only the SHA-256 of its link token is stored. It is accepted
// once, before it expires, by a signed-in user of the tenant with that
// email address.
type OrgInvitation struct {
	TenantID  string
	ID        string // generated on Create
	OrgID     string
	Email     string // lower case
	RoleIDs   []string
	TokenHash []byte // unique per tenant
	CreatedAt time.Time
	ExpiresAt time.Time
	// AcceptedAt and AcceptedBy (a user ID) are set when it is accepted.
	AcceptedAt *time.Time
	AcceptedBy string
}

// OrgInvitationRepo stores invitations into organizations. Deleting the
// organization deletes its invitations.
type OrgInvitationRepo interface {
	// Create inserts inv, generating ID and (if zero) CreatedAt.
	// ErrNotFound if the organization is absent; ErrConflict if the hash
	// is in use in the tenant.
	Create(ctx context.Context, inv *OrgInvitation) error
	// GetByHash returns the invitation with that token hash, accepted and
	// expired ones included, or ErrNotFound.
	GetByHash(ctx context.Context, tenantID string, hash []byte) (*OrgInvitation, error)
	// ListPending pages the organization's invitations that are neither
	// accepted nor expired at now, by ID.
	ListPending(ctx context.Context, tenantID, orgID string, now time.Time, p Page) (items []OrgInvitation, next string, err error)
	// Delete removes an invitation of the organization. ErrNotFound if
	// there is none with that ID.
	Delete(ctx context.Context, tenantID, orgID, id string) error
	// Accept marks the invitation accepted by userID at now and makes the
	// user a member of its organization (kept if a member already) with
	// its roles (those deleted since are skipped), in one transaction.
	// ErrNotFound unless the invitation exists and is open at now (not
	// accepted, not expired): it is redeemed once.
	Accept(ctx context.Context, tenantID, id, userID string, now time.Time) (*OrgInvitation, error)
}
