package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var credentialTests = []test{
	{"Password/SetGetDelete", testPassword},
}

var clientTests = []test{
	{"Client/CRUD", testClientCRUD},
	{"Client/Conflict", testClientConflict},
	{"Client/NotFound", testClientNotFound},
	{"Client/List", testClientList},
}

func testPassword(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, "pw@example.com")

	_, err := s.Passwords().Get(ctx, tn.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "Get before Set")
	wantErr(t, s.Passwords().Delete(ctx, tn.ID, u.ID), store.ErrNotFound, "Delete before Set")
	wantErr(t, s.Passwords().Set(ctx, tn.ID, "no-such-user", "h"), store.ErrNotFound, "Set for unknown user")

	before := micro(time.Now()).Add(-time.Second)
	must(t, s.Passwords().Set(ctx, tn.ID, u.ID, "$argon2id$first"))
	got, err := s.Passwords().Get(ctx, tn.ID, u.ID)
	must(t, err)
	if got.TenantID != tn.ID || got.UserID != u.ID || got.Hash != "$argon2id$first" || got.UpdatedAt.Before(before) {
		t.Fatalf("Get = %+v", got)
	}
	if got.UpdatedAt.Location() != time.UTC {
		t.Fatalf("UpdatedAt not in UTC: %v", got.UpdatedAt)
	}

	must(t, s.Passwords().Set(ctx, tn.ID, u.ID, "$argon2id$second"))
	got2, err := s.Passwords().Get(ctx, tn.ID, u.ID)
	must(t, err)
	if got2.Hash != "$argon2id$second" || got2.UpdatedAt.Before(got.UpdatedAt) {
		t.Fatalf("Get after replace = %+v", got2)
	}

	must(t, s.Passwords().Delete(ctx, tn.ID, u.ID))
	_, err = s.Passwords().Get(ctx, tn.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
	// The user itself is untouched.
	_, err = s.Users().Get(ctx, tn.ID, u.ID)
	must(t, err)
}

func fullClient(id string) *oauth.Client {
	return &oauth.Client{
		ID:                               id,
		SecretHash:                       []byte{0x00, 0xff, 0x10, 0x80},
		SecretExpiresAt:                  ptr(time.Date(2030, 1, 2, 3, 4, 5, 678901234, time.UTC)),
		ClientName:                       "Web App",
		RedirectURIs:                     []string{"https://app.example.com/cb", "https://app.example.com/cb2"},
		PostLogoutRedirectURIs:           []string{"https://app.example.com/bye"},
		GrantTypes:                       []string{"authorization_code", "refresh_token"},
		ResponseTypes:                    []string{"code"},
		TokenEndpointAuthMethod:          "client_secret_basic",
		Scope:                            "openid profile email",
		ClientURI:                        "https://app.example.com",
		LogoURI:                          "https://app.example.com/logo.png",
		PolicyURI:                        "https://app.example.com/policy",
		TosURI:                           "https://app.example.com/tos",
		Contacts:                         []string{"ops@example.com"},
		JWKSURI:                          "https://app.example.com/jwks.json",
		JWKS:                             json.RawMessage(`{"keys": [ {"kty": "EC", "crv": "P-256"} ]}`),
		IDTokenSignedResponseAlg:         "ES256",
		ApplicationType:                  "web",
		BackchannelLogoutSessionRequired: true, FrontchannelLogoutSessionRequired: true,
		BackchannelLogoutURI:  "https://app.example.com/bcl",
		FrontchannelLogoutURI: "https://app.example.com/fcl?x=1",
		Metadata:              map[string]any{"first_party": true, "access_token_ttl": float64(300), "claims": map[string]any{"a": "b"}},
	}
}

func testClientCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	c := fullClient("web-app")
	must(t, s.Clients().Create(ctx, tn.ID, c))
	if c.TenantID != tn.ID || c.Version != 1 || c.CreatedAt.IsZero() {
		t.Fatalf("Create did not stamp the client: %+v", c)
	}
	got, err := s.Clients().Get(ctx, tn.ID, "web-app")
	must(t, err)
	equal(t, got, c, "Get")

	// A public client with nothing set round-trips its zero values.
	pub := &oauth.Client{TokenEndpointAuthMethod: "none"}
	must(t, s.Clients().Create(ctx, tn.ID, pub))
	if pub.ID == "" {
		t.Fatal("Create did not generate a client ID")
	}
	got, err = s.Clients().Get(ctx, tn.ID, pub.ID)
	must(t, err)
	equal(t, got, pub, "Get public client")
	if !got.Public() || got.SecretHash != nil || got.RedirectURIs != nil || got.Metadata != nil || got.JWKS != nil {
		t.Fatalf("public client grew fields: %+v", got)
	}

	upd, err := s.Clients().Update(ctx, tn.ID, c.ID, 1, func(x *oauth.Client) error {
		x.SecretHash = nil
		x.SecretExpiresAt = nil
		x.RedirectURIs = append(x.RedirectURIs, "https://app.example.com/cb3")
		x.Metadata["first_party"] = false
		x.JWKS = nil
		x.ID = "renamed" // ignored: the client ID is the key
		return nil
	})
	must(t, err)
	if upd.ID != c.ID || upd.Version != 2 || len(upd.RedirectURIs) != 3 || upd.SecretHash != nil {
		t.Fatalf("Update returned %+v", upd)
	}
	got, err = s.Clients().Get(ctx, tn.ID, c.ID)
	must(t, err)
	equal(t, got, upd, "Get after Update")

	_, err = s.Clients().Update(ctx, tn.ID, c.ID, 1, func(*oauth.Client) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "Update with stale version")
	boom := errors.New("boom")
	_, err = s.Clients().Update(ctx, tn.ID, c.ID, 2, func(x *oauth.Client) error { x.Scope = "x"; return boom })
	wantErr(t, err, boom, "Update with failing fn")
	got, err = s.Clients().Get(ctx, tn.ID, c.ID)
	must(t, err)
	equal(t, got, upd, "Get after aborted Update")

	must(t, s.Clients().Delete(ctx, tn.ID, c.ID))
	_, err = s.Clients().Get(ctx, tn.ID, c.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
}

func testClientConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := mkTenant(t, s), mkTenant(t, s)
	mkClient(t, s, a.ID, "dup")
	wantErr(t, s.Clients().Create(ctx, a.ID, &oauth.Client{ID: "dup"}), store.ErrConflict, "Create with taken client_id")
	mkClient(t, s, b.ID, "dup") // client IDs are unique per tenant
	wantErr(t, s.Clients().Create(ctx, "no-such-tenant", &oauth.Client{ID: "x"}), store.ErrNotFound, "Create in unknown tenant")
}

func testClientNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	_, err := s.Clients().Get(ctx, tn.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "Get")
	_, err = s.Clients().Update(ctx, tn.ID, "missing", 0, func(*oauth.Client) error { return nil })
	wantErr(t, err, store.ErrNotFound, "Update")
	wantErr(t, s.Clients().Delete(ctx, tn.ID, "missing"), store.ErrNotFound, "Delete")
}

func testClientList(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	var want []string
	for i := range 9 {
		// Caller-chosen IDs, created out of order: List orders by ID bytes.
		id := fmt.Sprintf("client-%c", 'i'-i)
		mkClient(t, s, tn.ID, id)
		mkClient(t, s, other.ID, id+"-other")
		want = append(want, id)
	}
	mkClient(t, s, tn.ID, "Client-Upper") // upper case sorts first in byte order
	want = append(want, "Client-Upper")
	slices.Sort(want)
	got := walk(t, 4, func(p store.Page) ([]string, string, error) {
		items, next, err := s.Clients().List(ctx, tn.ID, p)
		return ids(items, func(c oauth.Client) string { return c.ID }), next, err
	})
	equal(t, got, want, "client IDs over pages")
}
