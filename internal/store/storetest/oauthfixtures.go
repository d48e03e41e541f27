package storetest

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Fixtures for the OAuth repositories: their rows hang off a user and a
// client, so most tests start from a party.

// party is a tenant with one user and one client.
type party struct {
	tenant *identity.Tenant
	user   *identity.User
	client *oauth.Client
}

func mkParty(t testing.TB, s store.Store) party {
	t.Helper()
	tn := mkTenant(t, s)
	return party{tn, mkUser(t, s, tn.ID, uniq("user")+"@example.com"), mkClient(t, s, tn.ID, uniq("client-"))}
}

// hash is what the store keeps of a secret: its SHA-256.
func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// zoned returns t in a non-UTC zone with nanoseconds below its
// microsecond (micro(zoned(t)) == micro(t)), so round trips prove the
// store normalises both.
func zoned(t time.Time) time.Time {
	return micro(t).Add(789 * time.Nanosecond).In(time.FixedZone("UTC+5:30", 5*3600+1800))
}

func fullAuthRequest(tenantID, clientID string) *oauth.AuthRequest {
	now := time.Now()
	return &oauth.AuthRequest{
		TenantID:            tenantID,
		ClientID:            clientID,
		RedirectURI:         "https://app.example.com/cb?x=1",
		State:               "state-ünï",
		Nonce:               "nonce-1",
		Scopes:              []string{"openid", "profile", "offline_access"},
		ResponseType:        "code",
		ResponseMode:        "form_post",
		CodeChallenge:       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		CodeChallengeMethod: "S256",
		Prompt:              []string{"login", "consent"},
		MaxAge:              ptr(90*time.Second + 7), // nanoseconds survive
		LoginHint:           "ada@example.com",
		OrgID:               "org-acme",
		DPoPJKT:             "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
		UILocales:           []string{"de-CH", "en"},
		ACRValues:           []string{"urn:example:loa:2"},
		Resource:            "https://api.example.com/billing",
		CreatedAt:           zoned(now),
		ExpiresAt:           zoned(now.Add(10 * time.Minute)),
	}
}

func mkAuthRequest(t testing.TB, s store.Store, tenantID, clientID string, mut ...func(*oauth.AuthRequest)) *oauth.AuthRequest {
	t.Helper()
	a := fullAuthRequest(tenantID, clientID)
	for _, m := range mut {
		m(a)
	}
	must(t, s.AuthRequests().Create(t.Context(), a))
	return a
}

func mkSession(t testing.TB, s store.Store, tenantID, userID string, mut ...func(*oauth.Session)) *oauth.Session {
	t.Helper()
	now := time.Now()
	x := &oauth.Session{
		TenantID:  tenantID,
		UserID:    userID,
		TokenHash: hash(uniq("session-cookie-")),
		IP:        "2001:db8::1",
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64)",
		AuthTime:  zoned(now.Add(-time.Minute)),
		AMR:       []string{"pwd"},
		ACR:       "urn:example:loa:1",
		ExpiresAt: zoned(now.Add(12 * time.Hour)),
	}
	for _, m := range mut {
		m(x)
	}
	must(t, s.Sessions().Create(t.Context(), x))
	return x
}

func mkRefresh(t testing.TB, s store.Store, tenantID, clientID, userID string, mut ...func(*oauth.RefreshToken)) *oauth.RefreshToken {
	t.Helper()
	rt := newRefresh(tenantID, clientID, userID)
	for _, m := range mut {
		m(rt)
	}
	must(t, s.RefreshTokens().Create(t.Context(), rt))
	return rt
}

// newRefresh is a refresh token not yet stored (a Rotate successor).
func newRefresh(tenantID, clientID, userID string) *oauth.RefreshToken {
	now := time.Now()
	return &oauth.RefreshToken{
		TenantID:        tenantID,
		TokenHash:       hash(uniq("refresh-")),
		ClientID:        clientID,
		UserID:          userID,
		Scopes:          []string{"openid", "offline_access"},
		Audience:        []string{"https://api.example.com"},
		AuthTime:        zoned(now.Add(-time.Minute)),
		AMR:             []string{"pwd", "otp"},
		ACR:             "urn:example:loa:2",
		OrgID:           "org-acme",
		DPoPJKT:         "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
		ExpiresAt:       zoned(now.Add(time.Hour)),
		FamilyExpiresAt: zoned(now.Add(30 * 24 * time.Hour)),
	}
}

func mkOpaque(t testing.TB, s store.Store, tenantID, clientID, userID string, mut ...func(*oauth.OpaqueToken)) *oauth.OpaqueToken {
	t.Helper()
	now := time.Now()
	o := &oauth.OpaqueToken{
		TenantID:  tenantID,
		TokenHash: hash(uniq("opaque-")),
		ClientID:  clientID,
		UserID:    userID,
		Scopes:    []string{"read", "write"},
		Audience:  []string{"https://api.example.com"},
		Claims:    map[string]any{"tier": "gold", "n": float64(3), "roles": []any{"a", "b"}, "org": map[string]any{"id": "o1"}},
		CreatedAt: zoned(now),
		ExpiresAt: zoned(now.Add(time.Hour)),
	}
	for _, m := range mut {
		m(o)
	}
	must(t, s.OpaqueTokens().Create(t.Context(), o))
	return o
}

func mkDevice(t testing.TB, s store.Store, tenantID, clientID, userCode string, mut ...func(*oauth.DeviceAuthorization)) *oauth.DeviceAuthorization {
	t.Helper()
	now := time.Now()
	d := &oauth.DeviceAuthorization{
		TenantID:       tenantID,
		DeviceCodeHash: hash(uniq("device-")),
		UserCode:       userCode,
		ClientID:       clientID,
		Scopes:         []string{"openid", "profile"},
		ExpiresAt:      zoned(now.Add(10 * time.Minute)),
	}
	for _, m := range mut {
		m(d)
	}
	must(t, s.DeviceAuthorizations().Create(t.Context(), d))
	return d
}

func mkPushed(t testing.TB, s store.Store, tenantID, clientID string, mut ...func(*oauth.PushedRequest)) *oauth.PushedRequest {
	t.Helper()
	now := time.Now()
	p := &oauth.PushedRequest{
		TenantID: tenantID,
		ClientID: clientID,
		Params: map[string][]string{
			"response_type": {"code"},
			"scope":         {"openid profile"},
			"redirect_uri":  {"https://app.example.com/cb"},
			"resource":      {"https://a.example.com", "https://b.example.com"},
		},
		CreatedAt: zoned(now),
		ExpiresAt: zoned(now.Add(time.Minute)),
	}
	for _, m := range mut {
		m(p)
	}
	must(t, s.PushedRequests().Create(t.Context(), p))
	return p
}

func mkSigningKey(t testing.TB, s store.Store, tenantID string, mut ...func(*oauth.SigningKey)) *oauth.SigningKey {
	t.Helper()
	k := &oauth.SigningKey{
		TenantID:  tenantID,
		Alg:       "ES256",
		Private:   []byte{0x00, 0x01, 0xfe, 0xff, 0x80},
		PublicJWK: []byte(`{"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}`),
		CreatedAt: zoned(time.Now()),
	}
	for _, m := range mut {
		m(k)
	}
	must(t, s.SigningKeys().Create(t.Context(), k))
	return k
}

func mkRevocation(t testing.TB, s store.Store, tenantID string, kind oauth.RevocationKind, key string, mut ...func(*oauth.Revocation)) *oauth.Revocation {
	t.Helper()
	now := time.Now()
	r := &oauth.Revocation{
		TenantID:  tenantID,
		Kind:      kind,
		Key:       key,
		NotBefore: zoned(now),
		ExpiresAt: zoned(now.Add(time.Hour)),
	}
	for _, m := range mut {
		m(r)
	}
	must(t, s.Revocations().Add(t.Context(), r))
	return r
}

// count fails the test unless n is want.
func count(t testing.TB, n int64, err error, want int64, what string) {
	t.Helper()
	must(t, err)
	if n != want {
		t.Fatalf("%s: count = %d, want %d", what, n, want)
	}
}
