package restapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
)

// A gate serves its own audience's operations only: the route table
// mounts each audience on its paths, and a path of another audience's
// operation answers as no operation, without authenticating or running a
// handler.
func TestGateServesOneScheme(t *testing.T) {
	authed := 0
	auth := func(r *http.Request, params map[string]string, op string, scopes []string) (context.Context, error) {
		authed++
		return r.Context(), nil
	}
	g, err := restapi.NewGate(restapi.AccountScheme, auth)
	if err != nil {
		t.Fatal(err)
	}
	var gotOp, gotTenant string
	h := g.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotOp, gotTenant = restapi.Operation(r.Context()), restapi.PathParam(r.Context(), "tenant")
		w.WriteHeader(http.StatusNoContent)
	}))
	for _, tc := range []struct {
		path       string
		status     int
		op, tenant string
	}{
		{"/admin/v1/users", 404, "", ""},
		{"/healthz", 404, "", ""},
		{"/v1/me/sessions", 204, "listMySessions", ""},
		{"/t/acme/v1/me/sessions", 204, "listTenantMySessions", "acme"},
	} {
		gotOp, gotTenant, authed = "", "", 0
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		if rec.Code != tc.status || gotOp != tc.op || gotTenant != tc.tenant {
			t.Errorf("GET %s: %d op %q tenant %q, want %d %q %q", tc.path, rec.Code, gotOp, gotTenant, tc.status, tc.op, tc.tenant)
		}
		if want := map[bool]int{true: 1, false: 0}[tc.status == 204]; authed != want {
			t.Errorf("GET %s: authenticated %d times, want %d", tc.path, authed, want)
		}
	}
}

// Patch opens a PATCH: a malformed If-Match is 412, a missing body 400,
// and either body member is the patch.
func TestPatch(t *testing.T) {
	type body struct{ N int }
	bad := "nope"
	var p *httpx.Problem
	if _, _, err := restapi.Patch(&bad, &body{}, nil); !errors.As(err, &p) || p.Status != 412 {
		t.Errorf("bad If-Match: %v", err)
	}
	if _, _, err := restapi.Patch[body](nil, nil, nil); !errors.As(err, &p) || p.Status != 400 {
		t.Errorf("no body: %v", err)
	}
	tag := `"7"`
	v, in, err := restapi.Patch(&tag, nil, &body{N: 1})
	if err != nil || v != 7 || in.N != 1 {
		t.Errorf("merge-patch body: %d %v %v", v, in, err)
	}
	v, in, err = restapi.Patch(nil, &body{N: 2}, nil)
	if err != nil || v != 0 || in.N != 2 {
		t.Errorf("JSON body: %d %v %v", v, in, err)
	}
}
