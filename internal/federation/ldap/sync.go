package ldap

import (
	"context"
	"fmt"
	"strings"

	goldap "github.com/go-ldap/ldap/v3"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// SyncPageSize is the page size of Sync's search (RFC 2696 paged results;
// Active Directory's MaxPageSize is 1000 by default).
const SyncPageSize = 500

// MaxSync bounds how many users one Sync returns.
const MaxSync = 100_000

// Sync lists the directory's users, as the sign-in would see them, for
// importing and updating users ahead of their first sign-in (the Admin
// API's POST /admin/v1/connections/{id}/sync): a paged search of
// user_search_base with user_search_filter, {username} replaced by `*`,
// then each user's groups. It only reads; the caller provisions. It uses
// its own connection, not the sign-in pool. Referrals are skipped.
func (c *Connector) Sync(ctx context.Context) ([]federation.Identity, error) {
	conn, err := c.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := c.serviceBind(conn); err != nil {
		return nil, err
	}
	filter := strings.ReplaceAll(c.set.UserSearchFilter, "{username}", "*")
	res, err := conn.SearchWithPaging(goldap.NewSearchRequest(c.userBase, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases,
		MaxSync+1, 0, false, filter, c.attrs, nil), SyncPageSize)
	if err != nil {
		if goldap.IsErrorWithCode(err, goldap.LDAPResultSizeLimitExceeded) {
			return nil, fmt.Errorf("federation/ldap: more than %d users under %s", MaxSync, c.userBase)
		}
		if ctx.Err() != nil {
			return nil, unavailable("sync", ctx.Err())
		}
		return nil, unavailableErr("sync search", err)
	}
	if len(res.Entries) > MaxSync {
		return nil, fmt.Errorf("federation/ldap: more than %d users under %s", MaxSync, c.userBase)
	}
	out := make([]federation.Identity, 0, len(res.Entries))
	for _, e := range res.Entries {
		id, err := c.identity(e)
		if err != nil {
			continue // no stable subject: cannot be provisioned
		}
		if c.groupBase != "" {
			if id.Groups, err = c.groups(conn, e.DN); err != nil {
				return nil, err
			}
			id.Claims["groups"] = id.Groups
		}
		out = append(out, id)
		if err := ctx.Err(); err != nil {
			return nil, unavailable("sync", err)
		}
	}
	return out, nil
}
