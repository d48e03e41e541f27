package oidc

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/store/sqlite"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// errDB stands for a database that is down; its text must reach the log
// and never the client.
var errDB = errors.New("dial tcp 10.0.0.7:5432: connection refused")

// failingStore wraps a real store and fails the lookups the grants make
// first, as a database that went away would.
type failingStore struct{ store.Store }

func (f failingStore) AuthRequests() store.AuthRequestRepo {
	return failingAuthRequests{f.Store.AuthRequests()}
}
func (f failingStore) DeviceAuthorizations() store.DeviceAuthorizationRepo {
	return failingDevices{f.Store.DeviceAuthorizations()}
}
func (f failingStore) Users() store.UserRepo { return failingUsers{f.Store.Users()} }
func (f failingStore) RefreshTokens() store.RefreshTokenRepo {
	return failingRefresh{f.Store.RefreshTokens()}
}
func (f failingStore) OpaqueTokens() store.OpaqueTokenRepo {
	return failingOpaque{f.Store.OpaqueTokens()}
}

type failingAuthRequests struct{ store.AuthRequestRepo }

func (failingAuthRequests) GetByCode(context.Context, string, []byte) (*oauth.AuthRequest, error) {
	return nil, errDB
}

type failingDevices struct{ store.DeviceAuthorizationRepo }

func (failingDevices) GetByDeviceCode(context.Context, string, []byte) (*oauth.DeviceAuthorization, error) {
	return nil, errDB
}

type failingUsers struct{ store.UserRepo }

func (failingUsers) Get(context.Context, string, string) (*identity.User, error) { return nil, errDB }

type failingRefresh struct{ store.RefreshTokenRepo }

func (failingRefresh) GetByHash(context.Context, string, []byte) (*oauth.RefreshToken, error) {
	return nil, errDB
}

type failingOpaque struct{ store.OpaqueTokenRepo }

func (failingOpaque) GetByHash(context.Context, string, []byte) (*oauth.OpaqueToken, error) {
	return nil, errDB
}

// failingProvider is a provider over a failing store, logging into the
// returned buffer.
func failingProvider(t *testing.T) (*server, *tenancy.Tenant, *client, *bytes.Buffer) {
	t.Helper()
	db, err := sqlite.Open(t.Context(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	var log bytes.Buffer
	lg := slog.New(slog.NewTextHandler(&log, nil))
	cfg := DefaultConfig("https://id.example.com")
	p := &Provider{log: lg, now: time.Now, cfg: cfg, tokens: tokens.New(tokens.Deps{Config: cfg.Tokens(), Now: time.Now, Log: lg})}
	ten := &tenancy.Tenant{Tenant: &identity.Tenant{ID: "tenant-1"}, Store: failingStore{db}, Issuer: "https://id.example.com"}
	c := &client{c: &oauth.Client{ID: "client-1", GrantTypes: []string{oauth.GrantAuthorizationCode}}, t: ten, p: p}
	return &server{p: p}, ten, c, &log
}

// wantServerError checks that a store failure was answered server_error
// (a 500, without the cause's text) and logged with tenant, client and
// cause, and without the credential the client presented.
func wantServerError(t *testing.T, err error, log *bytes.Buffer, clientID, secret string) {
	t.Helper()
	var oe *oidc.Error
	if !errors.As(err, &oe) || oe.ErrorType != oidc.ServerError {
		t.Fatalf("got %v, want server_error", err)
	}
	if strings.Contains(oe.Description, "10.0.0.7") {
		t.Errorf("the cause reached the client: %q", oe.Description)
	}
	line := log.String()
	for _, want := range []string{"level=ERROR", "tenant_id=tenant-1", "client_id=" + clientID, "connection refused"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
	if secret != "" && strings.Contains(line, secret) {
		t.Errorf("log %q contains the credential", line)
	}
}

func TestStoreErrorsAreServerErrors(t *testing.T) {
	const secret = "SECRET-credential-123"
	t.Run("code exchange", func(t *testing.T) {
		s, ten, c, log := failingProvider(t)
		ctx := tenancy.With(t.Context(), ten)
		_, err := s.CodeExchange(ctx, &op.ClientRequest[oidc.AccessTokenRequest]{
			Request: &op.Request[oidc.AccessTokenRequest]{Data: &oidc.AccessTokenRequest{Code: secret}}, Client: c})
		wantServerError(t, err, log, "client-1", secret)
	})
	t.Run("device token", func(t *testing.T) {
		s, ten, c, log := failingProvider(t)
		ctx := tenancy.With(t.Context(), ten)
		_, err := s.DeviceToken(ctx, &op.ClientRequest[oidc.DeviceAccessTokenRequest]{
			Request: &op.Request[oidc.DeviceAccessTokenRequest]{Data: &oidc.DeviceAccessTokenRequest{DeviceCode: secret}}, Client: c})
		wantServerError(t, err, log, "client-1", secret)
	})
	t.Run("refresh", func(t *testing.T) {
		s, ten, c, log := failingProvider(t)
		ctx := tenancy.With(t.Context(), ten)
		_, err := s.RefreshToken(ctx, &op.ClientRequest[oidc.RefreshTokenRequest]{
			Request: &op.Request[oidc.RefreshTokenRequest]{Data: &oidc.RefreshTokenRequest{RefreshToken: tokens.RefreshPrefix + secret}}, Client: c})
		wantServerError(t, err, log, "client-1", secret)
	})
	t.Run("userinfo", func(t *testing.T) {
		s, ten, _, log := failingProvider(t)
		_, err := s.p.userInfo(t.Context(), ten, &tokens.AccessToken{UserID: "user-1", ClientID: "client-1", Scopes: []string{"openid"}})
		wantServerError(t, err, log, "client-1", "")
		var se op.StatusError
		if errors.As(err, &se) {
			t.Errorf("userinfo answered a store failure with a status error %v, want a 500", se)
		}
	})
	t.Run("introspection", func(t *testing.T) {
		s, ten, _, _ := failingProvider(t)
		for _, tok := range []string{tokens.RefreshPrefix + secret, tokens.OpaquePrefix + secret} {
			if resp, err := s.p.tokens.Introspect(t.Context(), ten, tok); !errors.Is(err, errDB) {
				t.Errorf("introspect(%.5s…) = %v, %v; want the store error, not an answer", tok, resp, err)
			}
		}
	})
	t.Run("revocation", func(t *testing.T) {
		s, ten, c, log := failingProvider(t)
		ctx := tenancy.With(t.Context(), ten)
		_, err := s.Revocation(ctx, &op.ClientRequest[oidc.RevocationRequest]{
			Request: &op.Request[oidc.RevocationRequest]{Data: &oidc.RevocationRequest{Token: tokens.RefreshPrefix + secret}}, Client: c})
		var se op.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("got %v, want a status error", err)
		}
		w := &statusRecorder{header: http.Header{}}
		op.WriteError(w, &http.Request{}, err, nil)
		if w.status != http.StatusServiceUnavailable && w.status != http.StatusInternalServerError {
			t.Errorf("status %d, want 5xx: the token was not revoked", w.status)
		}
		wantServerError(t, err, log, "client-1", secret)
	})
}

type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header         { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(s int)           { r.status = s }

// The refusals log what the engine reached, so that
// TestEngineStorageRefusalsUnreached can see it.
func TestStorageRefusalLogs(t *testing.T) {
	s, ten, _, log := failingProvider(t)
	err := (&storage{p: s.p}).AuthorizeClientIDSecret(tenancy.With(t.Context(), ten), "client-1", "secret")
	var oe *oidc.Error
	if !errors.As(err, &oe) || oe.ErrorType != oidc.ServerError {
		t.Fatalf("got %v, want server_error", err)
	}
	if !strings.Contains(log.String(), unreachableMsg) || !strings.Contains(log.String(), "AuthorizeClientIDSecret") {
		t.Fatalf("log %q", log.String())
	}
}
