package loginpage

import (
	"regexp"
	"strings"
	"testing"
)

// Whatever colour a tenant picks, button text and links stay readable.
func TestThemeContrast(t *testing.T) {
	re := regexp.MustCompile(`--brand:(#[0-9a-fA-F]{6});--on-brand:(#[0-9a-fA-F]{6});--link:(#[0-9a-fA-F]{6})`)
	for _, c := range []string{"", "#1d4ed8", "#ffeb3b", "#000000", "#ffffff", "#777777", "#e11d48", "red; }", "#12345"} {
		css := themeCSS(Branding{PrimaryColor: c})
		m := re.FindStringSubmatch(css)
		if m == nil {
			t.Fatalf("%q: theme %q", c, css)
		}
		if strings.Count(css, "}") != 1 {
			t.Errorf("%q: injected into %q", c, css)
		}
		brand, on, link := m[1], m[2], m[3]
		if r := contrast(brand, on); r < 4.5 {
			t.Errorf("%q: text on brand %.2f:1", c, r)
		}
		if r := contrast(link, "#ffffff"); r < 4.5 {
			t.Errorf("%q: link on white %.2f:1", c, r)
		}
	}
	if r := contrast(defaultBrand, "#ffffff"); r < 4.5 {
		t.Errorf("default brand %.2f:1", r)
	}
}

func TestCSPSource(t *testing.T) {
	cases := map[string]string{
		"https://app.example.com/cb?x=1":  "https://app.example.com",
		"http://127.0.0.1:8080/callback":  "http://127.0.0.1:8080",
		"http://[::1]:3000/cb":            "http://[::1]:3000",
		"com.example.app:/oauth2redirect": "com.example.app:",
		"https://a.example;script-src *":  "",
		"not a url":                       "",
	}
	for in, want := range cases {
		if got := CSPSource(in); got != want {
			t.Errorf("CSPSource(%q) = %q, want %q", in, got, want)
		}
	}
	csp := pageCSP([]string{"", "https://a.example"}, imgSource("http://localhost:3000/logo.png"))
	if !strings.Contains(csp, "form-action 'self' https://a.example;") || !strings.Contains(csp, "img-src 'self' data: https: http://localhost:3000;") {
		t.Error(csp)
	}
	if imgSource("https://cdn.example/logo.png") != "" {
		t.Error("https logos need no extra source")
	}
}

// A page catalog cannot redefine a key another page already set: the
// text shown would depend on init order.
func TestAddCatalogRefusesTakenKeys(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a key defined twice was accepted")
		}
	}()
	merge(Catalog{"button_set_password": "x"}, Catalog{"button_set_password": "y"})
}
