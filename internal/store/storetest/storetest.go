// Package storetest is the conformance suite every store backend runs.
// Backends call Run from their own tests with a constructor that returns a
// fresh, migrated, empty store; the suite checks the contract in
// internal/store: CRUD, not-found and conflict errors, optimistic
// concurrency, pagination, filters, transactions and tenant isolation, and
// for the OAuth repositories also rotation races, one-time takes, expiry
// sweeps and the cascades of user, client and tenant deletion.
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

type test struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// Run runs the suite. newStore is called once per subtest, possibly from
// parallel subtests, and must return an empty, migrated store; it should
// close the store in t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	groups := [][]test{
		basicTests,
		tenantTests,
		userTests,
		userListTests,
		concurrencyTests,
		credentialTests,
		clientTests,
		controlPlaneTests,
		txTests,
		isolationTests,
		authRequestTests,
		pushedRequestTests,
		deviceTests,
		sessionTests,
		consentTests,
		refreshTokenTests,
		opaqueTokenTests,
		clientAssertionTests,
		dpopProofTests,
		signingKeyTests,
		revocationTests,
		oauthIsolationTests,
		oauthCascadeTests,
		verificationTests,
		auditTests,
		webhookTests,
		logoutTests,
		riskTests,
		mfaTests,
		mailTemplateTests,
		connectionTests,
		textTests,
		sealedTests,
		statsTests,
		authzTests,
		orgTests,
		orgInvitationTests,
		samlTests,
		privacyTests,
		exportTests,
		erasureTests,
		dcrTests,
		analyticsTests,
	}
	run(t, newStore, groups...)
}

// RunFederatedIdentities runs only the tests of the identities linked
// through connections, for a store that routes them apart from the rest
// (regional.Router).
func RunFederatedIdentities(t *testing.T, newStore func(t *testing.T) store.Store) {
	run(t, newStore, []test{{"ConnectionIdentities", testConnectionIdentities}, {"ConnectionIsolation", testConnectionIsolation}})
}

func run(t *testing.T, newStore func(t *testing.T) store.Store, groups ...[]test) {
	for _, g := range groups {
		for _, tc := range g {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				tc.fn(t, newStore(t))
			})
		}
	}
}

var basicTests = []test{
	{"Ready", func(t *testing.T, s store.Store) {
		must(t, s.Ready(t.Context()))
		if d := s.Dialect(); d != "sqlite" && d != "postgres" {
			t.Errorf("Dialect() = %q, want sqlite or postgres", d)
		}
	}},
}

// ---- helpers ----

var seq atomic.Int64

// uniq returns a string unique within the test binary.
func uniq(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: err = %v, want %v", what, err, target)
	}
}

func equal[T any](t testing.TB, got, want T, what string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got: %+v\nwant: %+v", what, got, want)
	}
}

// micro is what a store keeps of a timestamp.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func ptr[T any](v T) *T { return &v }

func mkTenant(t testing.TB, s store.Store) *identity.Tenant {
	t.Helper()
	tn := &identity.Tenant{Slug: uniq("tenant-"), DisplayName: "Tenant"}
	must(t, s.Tenants().Create(t.Context(), tn))
	return tn
}

func mkUser(t testing.TB, s store.Store, tenantID, email string, mut ...func(*identity.User)) *identity.User {
	t.Helper()
	u := &identity.User{Email: email}
	for _, m := range mut {
		m(u)
	}
	must(t, s.Users().Create(t.Context(), tenantID, u))
	return u
}

func mkClient(t testing.TB, s store.Store, tenantID, id string) *oauth.Client {
	t.Helper()
	c := &oauth.Client{ID: id, ClientName: "App " + id, TokenEndpointAuthMethod: "none"}
	must(t, s.Clients().Create(t.Context(), tenantID, c))
	return c
}

// fullUser sets every field, so round trips prove each column.
func fullUser(email, username string) *identity.User {
	return &identity.User{
		Email:         email,
		EmailVerified: true,
		Username:      username,
		Phone:         "+4915112345678",
		PhoneVerified: true,
		Profile: identity.Profile{
			Name: "Ada Lovelace", GivenName: "Ada", FamilyName: "Lovelace", MiddleName: "King",
			Nickname: "ada", PreferredUsername: "countess", Profile: "https://example.org/ada",
			Picture: "https://example.org/ada.png", Website: "https://example.org", Gender: "female",
			Birthdate: "1815-12-10", Zoneinfo: "Europe/London", Locale: "en-GB",
			Address: &identity.Address{
				Formatted: "12 St James's Square\nLondon", StreetAddress: "12 St James's Square",
				Locality: "London", Region: "Greater London", PostalCode: "SW1Y 4JH", Country: "GB",
			},
		},
		Attributes: map[string]any{
			"plan":  "pro",
			"seats": float64(5),
			"beta":  true,
			"org":   map[string]any{"id": "o1", "roles": []any{"admin", "billing"}},
			"html":  "<b>&</b> ünïcödé",
		},
		Disabled:        true,
		LockedUntil:     ptr(time.Date(2031, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))),
		TermsVersion:    "2026-05",
		TermsAcceptedAt: ptr(time.Date(2026, 5, 6, 7, 8, 9, 987654321, time.UTC)),
	}
}
