package restapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers"

	"github.com/gatehouse-iam/gatehouse/api"
	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accountapi"
	"github.com/gatehouse-iam/gatehouse/internal/adminapi"
	"github.com/gatehouse-iam/gatehouse/internal/loginapi"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
)

// Every operation of the contract has a real handler in its audience's
// package: the Admin API's (bearerAuth) in adminapi, the account API's
// (accountAuth) in accountapi, the login tag's in loginapi. Each package's
// API type completes gen.StrictServerInterface by embedding
// restapi.Unserved, so a dropped embed (or a handler type that was never
// added) would compile and fall through to Unserved at run time; this
// test lists every operation that would.
func TestEveryOperationHasAHandler(t *testing.T) {
	doc, err := api.Spec()
	if err != nil {
		t.Fatal(err)
	}
	type audience struct {
		pkg string
		typ reflect.Type
		ops []string
	}
	audiences := map[string]*audience{
		restapi.AdminScheme:   {pkg: "adminapi", typ: reflect.TypeFor[adminapi.API]()},
		restapi.AccountScheme: {pkg: "accountapi", typ: reflect.TypeFor[accountapi.API]()},
		"login":               {pkg: "loginapi", typ: reflect.TypeFor[loginapi.API]()},
	}
	// The strict server's method of an operation is its ID in Go's
	// casing (listTenantApiKeys: ListTenantAPIKeys).
	methods := map[string]string{}
	for m := range reflect.TypeFor[gen.StrictServerInterface]().Methods() {
		methods[strings.ToLower(m.Name)] = m.Name
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name, ok := methods[strings.ToLower(op.OperationID)]
			if !ok {
				t.Fatalf("%s %s: operation %q has no method in gen.StrictServerInterface", method, path, op.OperationID)
			}
			key, _, secured := restapi.RequiredScopes(&routers.Route{Spec: doc, Operation: op})
			if !secured && slices.Contains(op.Tags, "login") {
				key = "login"
			}
			if a := audiences[key]; a != nil {
				a.ops = append(a.ops, name)
			}
		}
	}
	for _, a := range audiences {
		if len(a.ops) == 0 {
			t.Fatalf("%s: the contract has no operation for it", a.pkg)
		}
		served := servedMethods(t, a.typ, filepath.Join("..", a.pkg))
		var missing []string
		for _, op := range a.ops {
			if !served[op] {
				missing = append(missing, op)
			}
		}
		slices.Sort(missing)
		if len(missing) > 0 {
			t.Errorf("%s.API has no handler for %d of its %d operations (they would reach restapi.Unserved): %s",
				a.pkg, len(missing), len(a.ops), strings.Join(missing, ", "))
		}
	}
}

// servedMethods are the methods of the struct type typ that a handler
// provides: the methods of its embedded fields other than
// restapi.Unserved, and those declared on it in the source of dir. A
// handler type must not embed Unserved itself (its methods would all look
// served).
func servedMethods(t *testing.T, typ reflect.Type, dir string) map[string]bool {
	t.Helper()
	unserved := reflect.TypeFor[restapi.Unserved]()
	out := map[string]bool{}
	for f := range typ.Fields() {
		if !f.Anonymous || f.Type == unserved {
			continue
		}
		ft := f.Type
		if ft.Kind() != reflect.Pointer {
			ft = reflect.PointerTo(ft)
		}
		if embeds(ft.Elem(), unserved) {
			t.Fatalf("%s: handler %s embeds restapi.Unserved", typ, ft)
		}
		for m := range ft.Methods() {
			out[m.Name] = true
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			rt := fd.Recv.List[0].Type
			if st, ok := rt.(*ast.StarExpr); ok {
				rt = st.X
			}
			if id, ok := rt.(*ast.Ident); ok && id.Name == typ.Name() {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}

// embeds reports whether the struct type st embeds target, at any depth.
func embeds(st reflect.Type, target reflect.Type) bool {
	if st.Kind() != reflect.Struct {
		return false
	}
	for f := range st.Fields() {
		if !f.Anonymous {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft == target || embeds(ft, target) {
			return true
		}
	}
	return false
}
