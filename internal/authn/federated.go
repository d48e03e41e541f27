package authn

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Federated sign-in (issue 12, docs/federation.md). A connector says who
// the upstream says this is (federation.Identity); the service decides
// which Gatehouse user that is:
//
//   - an identity linked before (tenant, connection, subject) is its user,
//     whatever email the upstream asserts today;
//   - otherwise, when a local account already has the upstream's email,
//     the identity is never linked on an unverified upstream email, never
//     with `link_by_email: never`, and with `link_by_email: verified` only
//     after the person proves they own that account by signing in to it
//     (LinkRequiredError; the transport then calls Link). The one
//     exception is a connection trusted for the email's domain (the
//     domain is in its `domains`, the upstream asserted the email verified
//     and the local account's email is verified too): it links at once.
//     This is what stops account pre-hijacking: someone who registered
//     the victim's address locally (unverified) and kept its password
//     would otherwise share the account the victim later opens through
//     their identity provider.
//   - otherwise `provisioning: jit` creates the user from the attribute
//     mapping (email_verified only when the upstream asserted it) and
//     `link_only` refuses (ErrNotLinked).
//
// Then the sign-in goes on as a password sign-in does: the risk engine
// assessed it first, Start decides the second factor (the tenant may
// trust the upstream's MFA: MFAPolicy.TrustUpstreamMFA), the transport
// records login.succeeded with the connection.

// AMRFederated is the amr value of a sign-in an upstream identity provider
// or directory vouched for. It is not in RFC 8176's registry, which has no
// value for it; the acr stays honest: one upstream sign-in is one factor
// (urn:gatehouse:acr:pwd) unless the tenant trusts the upstream's MFA and
// the upstream asserted it.
const AMRFederated = "fed"

// Federated is the identity a connector verified at connection Conn.
type Federated struct {
	Conn     *store.Connection
	Identity federation.Identity
	// UpstreamMFA: the upstream asserted a multi-factor sign-in (its amr
	// held "mfa", or its acr an MFA class). It counts only where the
	// tenant trusts the upstream's MFA.
	UpstreamMFA bool
}

func (Federated) method() string { return "federated" }

// ErrNotLinked refuses a federated identity that has no user and may not
// get one: the connection is `link_only`, or the upstream did not share
// a usable email to provision with.
var ErrNotLinked = errors.New("login: no account is linked to this identity")

// ErrEmailInUse refuses a federated identity whose email belongs to a
// local account it may not be linked to here (an unverified upstream
// email, or `link_by_email: never`): the person signs in to that account
// and links the identity from their account settings.
var ErrEmailInUse = errors.New("login: an account with this email exists; sign in to it to link this identity")

// LinkRequiredError is a federated identity whose verified email belongs
// to a local account, at a connection with `link_by_email: verified`:
// the person must sign in to User first, then the transport calls Link.
type LinkRequiredError struct {
	User *identity.User
}

func (e *LinkRequiredError) Error() string {
	return "login: sign in to the existing account to link this identity"
}

// FederatedAMR is the amr of a federated sign-in: "fed", with "mfa" when
// the upstream asserted MFA and the tenant trusts it.
func FederatedAMR(t *tenancy.Tenant, c Federated) []string {
	amr := []string{AMRFederated}
	if c.UpstreamMFA && t.MFA.TrustUpstreamMFA {
		amr = append(amr, factor.AMRMFA)
	}
	return amr
}

// federated decides a federated sign-in (see the comment above).
func (s *Service) federated(ctx context.Context, req *Request, c Federated) (*Result, error) {
	t := req.Tenant
	data := map[string]any{"reason": "federated", "client_id": req.ClientID}
	if c.Conn != nil {
		data["connection"] = c.Conn.ID
	}
	if c.Conn == nil || c.Conn.TenantID != t.ID || !c.Conn.Enabled || c.Identity.Subject == "" {
		s.record(ctx, req, events.LoginFailed, "", data)
		return nil, ErrBadCredentials
	}
	fi, err := t.Store.Connections().IdentityBySubject(ctx, t.ID, c.Conn.ID, c.Identity.Subject)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	userID := ""
	if fi != nil {
		userID = fi.UserID
	}
	var res Result
	if s.risk != nil {
		v, err := s.assess(ctx, req, userID, c.Identity.Email, "", "federated")
		if err != nil {
			return nil, err
		}
		res.Verdict = v
		ctx = WithVerdict(ctx, v)
		if v.Denied() {
			return &res, s.denied(ctx, req, userID)
		}
	}
	var u *identity.User
	if fi != nil {
		u, err = s.linkedUser(ctx, t, c, fi)
	} else {
		u, err = s.unlinked(ctx, req, c)
	}
	if err != nil {
		var lr *LinkRequiredError
		if errors.Is(err, ErrBadCredentials) || errors.Is(err, ErrNotLinked) || errors.Is(err, ErrEmailInUse) || errors.As(err, &lr) {
			data["reason"] = federatedReason(err)
			s.record(ctx, req, events.LoginFailed, userIDOf(lr), data)
		}
		return &res, err
	}
	res.User = u
	if t.Onboarding.RequireVerifiedEmail && !u.EmailVerified {
		return &res, ErrEmailUnverified
	}
	if res.Verdict.Challenged() {
		can, err := s.canChallenge(ctx, t, u)
		if err != nil {
			return nil, err
		}
		if !can {
			s.record(ctx, req, events.LoginDenied, u.ID, map[string]any{"reason": "challenge_unavailable", "client_id": req.ClientID, "connection": c.Conn.ID})
			return &Result{Verdict: res.Verdict}, ErrBadCredentials
		}
	}
	return &res, nil
}

func userIDOf(lr *LinkRequiredError) string {
	if lr != nil && lr.User != nil {
		return lr.User.ID
	}
	return ""
}

func federatedReason(err error) string {
	var lr *LinkRequiredError
	switch {
	case errors.As(err, &lr):
		return "link_required"
	case errors.Is(err, ErrNotLinked):
		return "not_linked"
	case errors.Is(err, ErrEmailInUse):
		return "email_in_use"
	}
	return "federated_user"
}

// linkedUser is the user an identity is linked to, updated from the
// upstream per the mapping (never its email: a change there is the
// person's to make and verify), with the identity's use recorded.
func (s *Service) linkedUser(ctx context.Context, t *tenancy.Tenant, c Federated, fi *store.FederatedIdentity) (*identity.User, error) {
	u, err := t.Store.Users().Get(ctx, t.ID, fi.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled || u.Locked(s.now()) {
		return nil, ErrBadCredentials
	}
	if changed := withUpstream(u, c, false); changed {
		up, err := s.dir.UpdateUser(ctx, t, u.ID, u.Version, func(x *identity.User) error {
			withUpstream(x, c, false)
			return nil
		})
		if err != nil {
			// The profile refresh is best effort: the sign-in stands.
			s.log.WarnContext(ctx, "authn: updating a federated user's profile failed", "connection", c.Conn.ID, "err", err)
		} else {
			u = up
		}
	}
	email, _ := identity.NormalizeEmail(c.Identity.Email)
	if err := t.Store.Connections().Used(ctx, t.ID, c.Conn.ID, c.Identity.Subject, email, s.now()); err != nil {
		return nil, err
	}
	return u, nil
}

// unlinked decides an identity not linked yet: link, provision or refuse.
func (s *Service) unlinked(ctx context.Context, req *Request, c Federated) (*identity.User, error) {
	t := req.Tenant
	email, err := identity.NormalizeEmail(c.Identity.Email)
	if err != nil || email == "" {
		// Without an email there is neither a link by email nor a user to
		// provision (every user has one).
		return nil, ErrNotLinked
	}
	local, err := t.Store.Users().GetByEmail(ctx, t.ID, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		local = nil
	case err != nil:
		return nil, err
	}
	if local != nil {
		if !c.Identity.EmailVerified || c.Conn.LinkByEmail != "verified" {
			return nil, ErrEmailInUse
		}
		if local.Disabled || local.Locked(s.now()) {
			return nil, ErrBadCredentials
		}
		if local.EmailVerified && TrustedFor(c.Conn, email) {
			if err := s.link(ctx, t, local.ID, c); err != nil {
				return nil, err
			}
			return local, nil
		}
		return nil, &LinkRequiredError{User: local}
	}
	if c.Conn.Provisioning == "link_only" {
		return nil, ErrNotLinked
	}
	return s.provision(ctx, req, c, email)
}

// TrustedFor reports whether connection conn is trusted to assert email:
// its domain is one the connection is the identity provider for (its
// `domains`, which home-realm discovery routes to it) and the connection
// links by verified email.
func TrustedFor(conn *store.Connection, email string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || conn.LinkByEmail != "verified" {
		return false
	}
	domain := strings.ToLower(email[at+1:])
	return slices.ContainsFunc(conn.Domains, func(d string) bool { return strings.EqualFold(d, domain) })
}

// provision creates the user of a first federated sign-in and links the
// identity. A concurrent first sign-in of the same identity loses the
// link: its user is removed and the winner's is returned.
func (s *Service) provision(ctx context.Context, req *Request, c Federated, email string) (*identity.User, error) {
	t := req.Tenant
	u := &identity.User{TenantID: t.ID, Email: email, EmailVerified: c.Identity.EmailVerified}
	withUpstream(u, c, true)
	// The tenant's residency policy, by the sign-in's country.
	if err := s.dir.PlaceUser(t, u, req.IP, ""); err != nil {
		return nil, err
	}
	if err := s.dir.CreateUser(ctx, t, u, nil); err != nil {
		var ve *identity.ValidationError
		if errors.As(err, &ve) {
			// The mapping produced a user the tenant's schema refuses:
			// retry with the email alone rather than fail the sign-in.
			u = &identity.User{TenantID: t.ID, Email: email, EmailVerified: c.Identity.EmailVerified, Region: u.Region}
			err = s.dir.CreateUser(ctx, t, u, nil)
		}
		if errors.Is(err, store.ErrConflict) {
			return nil, ErrEmailInUse
		}
		if err != nil {
			return nil, fmt.Errorf("authn: provisioning a federated user: %w", err)
		}
	}
	if err := s.link(ctx, t, u.ID, c); err != nil {
		_ = t.Store.Users().Delete(context.WithoutCancel(ctx), t.ID, u.ID)
		if errors.Is(err, store.ErrConflict) {
			fi, ferr := t.Store.Connections().IdentityBySubject(ctx, t.ID, c.Conn.ID, c.Identity.Subject)
			if ferr == nil {
				return s.linkedUser(ctx, t, c, fi)
			}
		}
		return nil, err
	}
	s.record(ctx, req, events.UserRegistered, u.ID, map[string]any{"connection": c.Conn.ID, "client_id": req.ClientID})
	return u, nil
}

// link links the identity of c to userID.
func (s *Service) link(ctx context.Context, t *tenancy.Tenant, userID string, c Federated) error {
	email, _ := identity.NormalizeEmail(c.Identity.Email)
	now := s.now()
	return t.Store.Connections().Link(ctx, &store.FederatedIdentity{
		TenantID: t.ID, ConnectionID: c.Conn.ID, Subject: c.Identity.Subject, UserID: userID,
		Email: email, LinkedAt: now, LastUsedAt: &now,
	})
}

// Link links a federated identity to user u after the person proved they
// own u (they signed in to it in this browser, after LinkRequiredError,
// or from their account settings). store.ErrConflict when the identity
// is linked already, or u has an identity at the connection.
func (s *Service) Link(ctx context.Context, req *Request, u *identity.User, c Federated) error {
	t := req.Tenant
	if c.Conn == nil || c.Conn.TenantID != t.ID || u.TenantID != t.ID || c.Identity.Subject == "" {
		return ErrBadCredentials
	}
	if err := s.link(ctx, t, u.ID, c); err != nil {
		return err
	}
	s.record(ctx, req, EventIdentityLinked, u.ID, map[string]any{"connection": c.Conn.ID, "client_id": req.ClientID})
	return nil
}

// EventIdentityLinked is recorded when a user links a federated identity
// after proving they own the account.
const EventIdentityLinked = "user.identity_linked"

// withUpstream applies the upstream's profile to u per the connection's
// attribute mapping; first is a new user's (names default from the
// upstream's standard claims). It reports whether anything changed.
// Email and email_verified are never changed here.
func withUpstream(u *identity.User, c Federated, first bool) bool {
	id := c.Identity
	before := u.Profile
	beforeAttrs := fmt.Sprint(u.Attributes)
	if first {
		u.Profile.Name, u.Profile.GivenName, u.Profile.FamilyName = id.Name, id.GivenName, id.FamilyName
		u.Profile.PreferredUsername = id.PreferredUsername
	}
	for from, to := range c.Conn.AttributeMapping {
		v, ok := id.Claims[from]
		if !ok {
			continue
		}
		switch {
		case to == "name":
			u.Profile.Name = claimString(v)
		case to == "given_name":
			u.Profile.GivenName = claimString(v)
		case to == "family_name":
			u.Profile.FamilyName = claimString(v)
		case to == "preferred_username":
			u.Profile.PreferredUsername = claimString(v)
		case to == "groups" || to == "roles":
			setAttr(u, to, claimStrings(v))
		case strings.HasPrefix(to, "attributes."):
			setAttr(u, strings.TrimPrefix(to, "attributes."), v)
		}
	}
	if len(id.Groups) > 0 && slices.Contains(mappedTo(c.Conn.AttributeMapping), "groups") {
		setAttr(u, "groups", id.Groups)
	}
	return before != u.Profile || beforeAttrs != fmt.Sprint(u.Attributes)
}

func mappedTo(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func setAttr(u *identity.User, name string, v any) {
	if name == "" {
		return
	}
	if u.Attributes == nil {
		u.Attributes = map[string]any{}
	}
	u.Attributes[name] = v
}

func claimString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []string:
		if len(v) > 0 {
			return v[0]
		}
	case []any:
		if len(v) > 0 {
			return fmt.Sprint(v[0])
		}
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func claimStrings(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case string:
		return []string{v}
	}
	return nil
}
