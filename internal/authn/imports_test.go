package authn_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoTransportImports keeps the sign-in service free of HTTP and of
// the transports that call it: it is a service, below them.
func TestNoTransportImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	const mod = "github.com/gatehouse-iam/gatehouse/internal/"
	banned := []string{"net/http", mod + "login", mod + "protocol/", mod + "management", mod + "server", mod + "httpx"}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, b := range banned {
				if path == b || strings.HasPrefix(path, b+"/") || (strings.HasSuffix(b, "/") && strings.HasPrefix(path, b)) {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
}
