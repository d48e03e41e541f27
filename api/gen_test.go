package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/apitest"
)

// stub implements the operations these tests call; any other panics.
type stub struct {
	gen.StrictServerInterface
	patch *gen.UserPatch
}

var created = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func (s *stub) CreateUser(_ context.Context, req gen.CreateUserRequestObject) (gen.CreateUserResponseObject, error) {
	b := req.Body
	u := gen.User{
		ID: "01935f2e-8b7a-7cc4-9d2e-3f4a5b6c7d8e", TenantID: "t1", Email: b.Email,
		EmailVerified: b.EmailVerified != nil && *b.EmailVerified, GivenName: b.GivenName, FamilyName: b.FamilyName,
		HasPassword: b.Password != nil, Attributes: gen.UserAttributes{}, CreatedAt: created, UpdatedAt: created, Version: 1,
	}
	loc := "/admin/v1/users/" + u.ID
	return gen.CreateUser201JSONResponse{Body: u, Headers: gen.CreateUser201ResponseHeaders{ETag: `"1"`, Location: &loc}}, nil
}

func (s *stub) UpdateUser(_ context.Context, req gen.UpdateUserRequestObject) (gen.UpdateUserResponseObject, error) {
	s.patch = req.ApplicationMergePatchPlusJSONBody
	if s.patch == nil {
		s.patch = req.JSONBody
	}
	u := gen.User{ID: req.UserID, TenantID: "t1", Email: "jane@example.com", Attributes: gen.UserAttributes{},
		CreatedAt: created, UpdatedAt: created, Version: 2}
	if v, err := s.patch.GivenName.Get(); err == nil {
		u.GivenName = &v
	}
	return gen.UpdateUser200JSONResponse{Body: u, Headers: gen.UpdateUser200ResponseHeaders{ETag: `"2"`}}, nil
}

func (s *stub) CreateClient(_ context.Context, req gen.CreateClientRequestObject) (gen.CreateClientResponseObject, error) {
	b := req.Body
	secret := "s3cret"
	c := gen.ClientWithSecret{
		ClientID: "c1", ClientName: b.ClientName, ClientSecret: &secret,
		RedirectUris: *b.RedirectUris, GrantTypes: *b.GrantTypes, ResponseTypes: *b.ResponseTypes,
		TokenEndpointAuthMethod: *b.TokenEndpointAuthMethod, Scope: b.Scope,
		ApplicationType: gen.ApplicationTypeWeb, Metadata: map[string]any{},
		ClientIDIssuedAt: created.Unix(), CreatedAt: created, UpdatedAt: created, Version: 1,
	}
	return gen.CreateClient201JSONResponse{Body: c, Headers: gen.CreateClient201ResponseHeaders{ETag: `"1"`}}, nil
}

// The generated server and client work together, and their responses
// satisfy the contract.
func TestGeneratedServerAndClient(t *testing.T) {
	s := &stub{}
	h := gen.Handler(gen.NewStrictHandler(s, nil))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server's contract middleware sets these for operations
		// marked x-gatehouse-no-store, such as createClient.
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(apitest.Client(t)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	// POST /admin/v1/users with the documented fields answers 201 with an id.
	var create gen.UserCreate
	if err := json.Unmarshal([]byte(`{"email":"jane@example.com","password":"correct horse battery staple",
		"email_verified":true,"given_name":"Jane","family_name":"Doe"}`), &create); err != nil {
		t.Fatal(err)
	}
	cr, err := c.CreateUserWithResponse(ctx, nil, create)
	if err != nil {
		t.Fatal(err)
	}
	if cr.StatusCode() != http.StatusCreated || cr.JSON201 == nil || cr.JSON201.ID == "" {
		t.Fatalf("createUser: %d %s", cr.StatusCode(), cr.Body)
	}
	if cr.HTTPResponse.Header.Get("ETag") != `"1"` || cr.HTTPResponse.Header.Get("Location") == "" {
		t.Errorf("createUser headers: %v", cr.HTTPResponse.Header)
	}

	// A merge patch tells absent members from null ones.
	ifMatch := `"1"`
	patch := gen.UserPatch{GivenName: nullable.NewNullableWithValue("Janet"), Nickname: nullable.NewNullNullable[string]()}
	ur, err := c.UpdateUserWithApplicationMergePatchPlusJSONBodyWithResponse(ctx, cr.JSON201.ID, &gen.UpdateUserParams{IfMatch: &ifMatch}, patch)
	if err != nil {
		t.Fatal(err)
	}
	if ur.StatusCode() != http.StatusOK || ur.JSON200 == nil || ur.JSON200.GivenName == nil || *ur.JSON200.GivenName != "Janet" {
		t.Fatalf("updateUser: %d %s", ur.StatusCode(), ur.Body)
	}
	if p := s.patch; p == nil || !p.Nickname.IsNull() || p.FamilyName.IsSpecified() || p.Address.IsSpecified() {
		t.Errorf("patch as decoded: %+v", p)
	}

	// POST /admin/v1/clients answers 201 with client_id and client_secret.
	var cc gen.ClientCreate
	if err := json.Unmarshal([]byte(`{"client_name":"App","redirect_uris":["https://app.example.com/cb"],
		"grant_types":["authorization_code","refresh_token"],"response_types":["code"],
		"token_endpoint_auth_method":"client_secret_basic","scope":"openid profile"}`), &cc); err != nil {
		t.Fatal(err)
	}
	ccr, err := c.CreateClientWithResponse(ctx, nil, cc)
	if err != nil {
		t.Fatal(err)
	}
	if ccr.StatusCode() != http.StatusCreated || ccr.JSON201 == nil || ccr.JSON201.ClientID == "" || ccr.JSON201.ClientSecret == nil {
		t.Fatalf("createClient: %d %s", ccr.StatusCode(), ccr.Body)
	}
}
