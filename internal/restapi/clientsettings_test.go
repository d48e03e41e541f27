package restapi_test

import (
	"slices"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/testserver"
)

// problemFields returns the JSON pointers a validation problem names.
func problemFields(body map[string]any) []string {
	var out []string
	errs, _ := body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		f, _ := m["field"].(string)
		out = append(out, f)
	}
	return out
}

// Client settings are typed: an unknown or mistyped member of metadata is
// refused with a 400 naming it, at creation and by PATCH, and nothing is
// written; a string is accepted where one value is natural (audience).
func TestClientSettingsAreTyped(t *testing.T) {
	s := testserver.New(t, testserver.Options{})
	const svc = `{"client_name":"svc","grant_types":["client_credentials"],"metadata":`
	for _, tc := range []struct{ metadata, field string }{
		{`{"first_party":"yes"}`, "/metadata/first_party"},
		{`{"audiences":["urn:example:api"]}`, "/metadata/audiences"},
		{`{"access_token_lifetime":"3600"}`, "/metadata/access_token_lifetime"},
		{`{"access_token_format":"JWT"}`, "/metadata/access_token_format"},
		{`{"allowed_cors_origins":["https://spa.example.com/"]}`, "/metadata/allowed_cors_origins/0"},
	} {
		resp, body := do(t, s, "POST", "!/admin/v1/clients", testserver.AdminToken, "application/json", svc+tc.metadata+`}`)
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
		if !slices.Contains(problemFields(body), tc.field) {
			t.Errorf("%s: fields %v, want %s", tc.metadata, problemFields(body), tc.field)
		}
	}
	sc, err := s.App.Directory.Resolve(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if list, _, err := sc.Store.Clients().List(t.Context(), sc.Tenant.ID, store.Page{}); err != nil || len(list) != 0 {
		t.Fatalf("a refused client was stored: %d %v", len(list), err)
	}

	resp, body := do(t, s, "POST", "/admin/v1/clients", testserver.AdminToken, "application/json",
		svc+`{"audience":"urn:example:api","first_party":true}}`)
	if resp.StatusCode != 201 {
		t.Fatalf("string audience: %d %v", resp.StatusCode, body)
	}
	id, _ := body["client_id"].(string)
	if m, _ := body["metadata"].(map[string]any); m["audience"] != "urn:example:api" {
		t.Fatalf("metadata echoed as %v", body["metadata"])
	}

	// PATCH merges, then checks the result: a bad member is refused and
	// the stored settings stay as they were; null removes a member.
	for _, tc := range []struct{ patch, field string }{
		{`{"metadata":{"first_party":"no"}}`, "/metadata/first_party"},
		{`{"metadata":{"colour":"blue"}}`, "/metadata/colour"},
	} {
		resp, body = do(t, s, "PATCH", "!/admin/v1/clients/"+id, testserver.AdminToken, "application/merge-patch+json", tc.patch)
		wantProblem(t, resp, body, 400, "urn:gatehouse:problem:validation")
		if !slices.Contains(problemFields(body), tc.field) {
			t.Errorf("%s: fields %v, want %s", tc.patch, problemFields(body), tc.field)
		}
	}
	c, err := sc.Store.Clients().Get(t.Context(), sc.Tenant.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := oauth.ParseClientSettings(c.Metadata); err != nil || !st.FirstParty || len(c.Metadata) != 2 {
		t.Fatalf("stored settings changed by refused patches: %v %v", c.Metadata, err)
	}
	resp, body = do(t, s, "PATCH", "/admin/v1/clients/"+id, testserver.AdminToken, "application/merge-patch+json",
		`{"metadata":{"first_party":null,"audience":["urn:a","urn:b"]}}`)
	if resp.StatusCode != 200 {
		t.Fatalf("patch: %d %v", resp.StatusCode, body)
	}
	if m, _ := body["metadata"].(map[string]any); len(m) != 1 || len(m["audience"].([]any)) != 2 {
		t.Fatalf("patched metadata %v", body["metadata"])
	}
}
