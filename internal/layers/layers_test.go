package layers

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/gatehouse-iam/gatehouse/"

// transport packages: HTTP in, HTTP out. Services must not reach them.
var transport = []string{
	"internal/login", "internal/loginflow", "internal/loginpage", "internal/loginapi", "internal/management", "internal/adminapi", "internal/accountapi",
	"internal/protocol", "internal/server", "internal/console", "internal/gateway",
	"internal/testserver", "internal/app", "internal/cli",
}

// services: the rules, without HTTP.
var services = []string{
	"internal/authn", "internal/directory", "internal/accounts", "internal/mfa", "internal/risk",
	"internal/sessions", "internal/keys", "internal/audit", "internal/mail", "internal/ratelimit",
	"internal/federation", "internal/privacy", "internal/passpolicy", "internal/password",
	"internal/secret", "internal/geoip", "internal/devicecookie", "internal/tokens", "internal/samlidp",
}

// graph maps each package of the module (relative path) to the packages it
// imports, non-test files only; module packages relative, others as is.
func graph(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	g := map[string][]string{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "node_modules" || n == "testdata" || strings.HasPrefix(n, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		if _, ok := g[rel]; !ok {
			g[rel] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			p = strings.TrimPrefix(p, module)
			if !slices.Contains(g[rel], p) {
				g[rel] = append(g[rel], p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// reach returns every package pkg depends on, directly or through module
// packages, with one path to it for the error message.
func reach(g map[string][]string, pkg string) map[string]string {
	seen := map[string]string{}
	var walk func(p, via string)
	walk = func(p, via string) {
		for _, d := range g[p] {
			if _, ok := seen[d]; ok {
				continue
			}
			seen[d] = via + " → " + d
			walk(d, seen[d])
		}
	}
	walk(pkg, pkg)
	return seen
}

func under(p string, roots []string) bool {
	for _, r := range roots {
		if p == r || strings.HasPrefix(p, r+"/") {
			return true
		}
	}
	return false
}

func TestDomainImportsNeitherHTTPNorSQL(t *testing.T) {
	g := graph(t)
	for pkg := range g {
		if !under(pkg, []string{"internal/domain"}) {
			continue
		}
		deps := reach(g, pkg)
		for _, bad := range []string{"net/http", "database/sql"} {
			if path, ok := deps[bad]; ok {
				t.Errorf("%s must not import %s: %s", pkg, bad, path)
			}
		}
		for d, path := range deps {
			if strings.HasPrefix(d, "internal/") && !under(d, []string{"internal/domain"}) {
				t.Errorf("domain package %s depends on %s: %s", pkg, d, path)
			}
		}
	}
}

func TestServicesDoNotImportTransport(t *testing.T) {
	g := graph(t)
	checked := 0
	for pkg := range g {
		if !under(pkg, services) || strings.HasSuffix(pkg, "test") {
			continue
		}
		checked++
		for d, path := range reach(g, pkg) {
			if under(d, transport) {
				t.Errorf("service %s depends on transport package %s: %s", pkg, d, path)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked %d service packages; the list in this test is out of date", checked)
	}
}

func TestServicesDoNotImportNetHTTP(t *testing.T) {
	g := graph(t)
	// Other services speak HTTP to the outside by nature (webhooks, OTLP,
	// upstream identity providers); these three hold only rules.
	for pkg, deps := range g {
		if !under(pkg, []string{"internal/authn", "internal/directory", "internal/accounts"}) {
			continue
		}
		if slices.Contains(deps, "net/http") {
			t.Errorf("%s imports net/http: sign-in and directory rules are transport-free", pkg)
		}
	}
}
