package loginapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// orgClient creates a first-party public client whose organization_usage
// is usage.
func (e *env) orgClient(usage string) string {
	e.t.Helper()
	method := gen.TokenEndpointAuthMethodNone
	r, err := e.srv.Admin.CreateClientWithResponse(e.t.Context(), nil, gen.ClientCreate{
		ClientName: "Partner Portal", RedirectUris: &[]string{redirectURI}, TokenEndpointAuthMethod: &method,
		GrantTypes: &[]gen.GrantType{gen.GrantTypeAuthorizationCode},
		Metadata:   &map[string]any{"first_party": true, "organization_usage": usage},
	})
	if err != nil || r.JSON201 == nil {
		e.t.Fatalf("create client: %v %s", err, r.Body)
	}
	return r.JSON201.ClientID
}

// org creates an organization with the members given and returns its ID.
func (e *env) org(name string, members ...string) string {
	e.t.Helper()
	display := strings.ToUpper(name)
	r, err := e.srv.Admin.CreateOrganizationWithResponse(e.t.Context(), nil, gen.OrganizationCreate{Name: gen.OrganizationName(name), DisplayName: &display})
	if err != nil || r.JSON201 == nil {
		e.t.Fatalf("create organization: %v %s", err, r.Body)
	}
	for _, m := range members {
		if ar, err := e.srv.Admin.AddOrganizationMemberWithResponse(e.t.Context(), r.JSON201.ID, nil, gen.OrganizationMemberAdd{UserID: m}); err != nil || ar.StatusCode()/100 != 2 {
			e.t.Fatalf("add member: %v %s", err, ar.Body)
		}
	}
	return r.JSON201.ID
}

// TestAuthenticateOrganizationPicker: a client that signs people in for
// an organization gets organization_required with the user's
// organizations (not others); the choice completes the request, scoped to
// it. Choosing an organization the user is not in, finishing through
// consent without choosing, choosing without a session or twice: refused.
func TestAuthenticateOrganizationPicker(t *testing.T) {
	e := newEnv(t, testserver.Options{})
	jane := e.user("jane@example.com")
	solo := e.user("solo@example.com")
	acme := e.org("acme", jane)
	globex := e.org("globex", jane, solo)
	initech := e.org("initech") // jane is not a member
	c := e.orgClient("required")

	a := e.app(c)
	id := a.authorize()
	r := a.authenticate(id, "jane@example.com", password)
	res := a.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusOrganizationRequired)
	if res.RedirectTo != nil || res.Organizations == nil || res.Organizations.Optional || len(res.Organizations.Choices) != 2 {
		t.Fatalf("result %+v", res)
	}
	got := map[string]string{}
	for _, ch := range res.Organizations.Choices {
		got[ch.ID] = ch.Name + "/" + ch.DisplayName
	}
	if got[acme] != "acme/ACME" || got[globex] != "globex/GLOBEX" {
		t.Fatalf("choices %+v", res.Organizations.Choices)
	}

	// Skipping the picker through consent does not complete the request.
	cr, err := a.api.ConsentLoginWithResponse(t.Context(), gen.LoginConsentRequest{AuthRequestID: id, Approve: true})
	if err != nil || cr.StatusCode() != http.StatusForbidden {
		t.Fatalf("consent before the choice: %v %d %s", err, cr.StatusCode(), cr.Body)
	}
	// Another browser (no session) cannot choose for jane.
	thief := e.app(c)
	if or, err := thief.api.ChooseLoginOrganizationWithResponse(t.Context(), gen.LoginOrganizationRequest{AuthRequestID: id, Organization: acme}); err != nil || or.StatusCode() != http.StatusUnauthorized {
		t.Fatalf("choice without a session: %v %d %s", err, or.StatusCode(), or.Body)
	}
	// An organization she is not a member of, and none (the client
	// requires one): refused.
	for _, org := range []string{initech, ""} {
		or, err := a.api.ChooseLoginOrganizationWithResponse(t.Context(), gen.LoginOrganizationRequest{AuthRequestID: id, Organization: org})
		if err != nil || or.StatusCode() != http.StatusForbidden {
			t.Fatalf("choice %q: %v %d %s", org, err, or.StatusCode(), or.Body)
		}
	}
	or, err := a.api.ChooseLoginOrganizationWithResponse(t.Context(), gen.LoginOrganizationRequest{AuthRequestID: id, Organization: globex})
	if err != nil {
		t.Fatal(err)
	}
	res = a.result(or.StatusCode(), or.Body, or.JSON200, gen.LoginResultStatusComplete)
	if claims := a.redeemClaims(res); claims["sub"] != jane || claims["org_id"] != globex || claims["org_name"] != "globex" {
		t.Fatalf("ID token %v", claims)
	}
	// The request is answered: a second choice is refused.
	if or, err := a.api.ChooseLoginOrganizationWithResponse(t.Context(), gen.LoginOrganizationRequest{AuthRequestID: id, Organization: acme}); err != nil || or.StatusCode() != http.StatusNotFound {
		t.Fatalf("second choice: %v %d %s", err, or.StatusCode(), or.Body)
	}

	// A member of one organization is not asked.
	s := e.app(c)
	r = s.authenticate(s.authorize(), "solo@example.com", password)
	if claims := s.redeemClaims(s.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusComplete)); claims["org_id"] != globex {
		t.Fatalf("solo's ID token %v", claims)
	}

	// An optional client offers to go on without one.
	o := e.app(e.orgClient("optional"))
	id = o.authorize()
	r = o.authenticate(id, "solo@example.com", password)
	if res := o.result(r.StatusCode(), r.Body, r.JSON200, gen.LoginResultStatusOrganizationRequired); !res.Organizations.Optional || len(res.Organizations.Choices) != 1 {
		t.Fatalf("optional: %+v", res.Organizations)
	}
	or, err = o.api.ChooseLoginOrganizationWithResponse(t.Context(), gen.LoginOrganizationRequest{AuthRequestID: id, Organization: ""})
	if err != nil {
		t.Fatal(err)
	}
	if claims := o.redeemClaims(o.result(or.StatusCode(), or.Body, or.JSON200, gen.LoginResultStatusComplete)); claims["sub"] != solo || claims["org_id"] != nil {
		t.Fatalf("without an organization: %v", claims)
	}
}
