package login

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every message the templates use exists in every language, and the
// catalogs have the same keys.
func TestCatalogs(t *testing.T) {
	used := map[string]bool{}
	re := regexp.MustCompile(`\$?\.?L\.([a-z_]+)`)
	_ = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(p)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return nil
	})
	for _, key := range []string{"signin_title", "select_title", "consent_title", "device_title", "loggedout_title", "error_title",
		"error_request", "error_authorize", "error_csrf", "error_not_found", "error_bad_request", "error_internal", "scope_openid", "scope_other",
		"mfa_title", "mfa_enrol_title", "mfa_codes_title", "mfa_code_invalid", "mfa_challenge_dead", "mfa_enrol_invalid", "mfa_device_required"} {
		used[key] = true // used from Go
	}
	for _, m := range []string{"totp", "recovery_codes", "email_otp", "sms"} {
		used["field_code_"+m], used["mfa_use_"+m] = true, true // built in mfa.html
	}
	for lang, c := range catalogs {
		for key := range used {
			if c[key] == "" {
				t.Errorf("%s: no message %q", lang, key)
			}
		}
	}
	var en, de []string
	for k := range english {
		en = append(en, k)
	}
	for k := range german {
		de = append(de, k)
	}
	slices.Sort(en)
	slices.Sort(de)
	if !slices.Equal(en, de) {
		t.Errorf("the catalogs differ in keys:\n%v\n%v", en, de)
	}
}

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
		if got := cspSource(in); got != want {
			t.Errorf("cspSource(%q) = %q, want %q", in, got, want)
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

func TestGroupCode(t *testing.T) {
	if got := groupCode("BCDFGHJK"); got != "BCDF-GHJK" {
		t.Errorf("groupCode = %q", got)
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
	merge(catalog{"button_set_password": "x"}, catalog{"button_set_password": "y"})
}
