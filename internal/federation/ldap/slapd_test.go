package ldap_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap/ldaptest"
)

// A real OpenLDAP server (Debian's slapd), started by ldaptest on a free
// loopback port. Without slapd the tests skip, except in CI (CI=true),
// where .ci/run installs it and a missing slapd is a failure.

type slapd = ldaptest.Server

// startSlapd starts a seeded directory; cn=admin,dc=example,dc=org with
// password "secret" is its root (the service account of the tests).
func startSlapd(t testing.TB) *slapd { t.Helper(); return ldaptest.Start(t) }

func startSlapdWith(t testing.TB, withTLS bool) *slapd {
	t.Helper()
	if withTLS {
		return ldaptest.StartTLS(t)
	}
	return ldaptest.Start(t)
}
