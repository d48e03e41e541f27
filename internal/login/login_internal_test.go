package login

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
)

// Every message the templates use exists in every language, and the
// loginpage.Catalogs have the same keys.
func TestCatalogs(t *testing.T) {
	used := map[string]bool{}
	re := regexp.MustCompile(`\$?\.?L\.([a-z_]+)`)
	_ = fs.WalkDir(loginpage.TemplateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := loginpage.TemplateFS.ReadFile(p)
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
	for lang, c := range loginpage.Catalogs {
		for key := range used {
			if c[key] == "" {
				t.Errorf("%s: no message %q", lang, key)
			}
		}
	}
	var en, de []string
	for k := range loginpage.English {
		en = append(en, k)
	}
	for k := range loginpage.German {
		de = append(de, k)
	}
	slices.Sort(en)
	slices.Sort(de)
	if !slices.Equal(en, de) {
		t.Errorf("the loginpage.Catalogs differ in keys:\n%v\n%v", en, de)
	}
}

func TestGroupCode(t *testing.T) {
	if got := groupCode("BCDFGHJK"); got != "BCDF-GHJK" {
		t.Errorf("groupCode = %q", got)
	}
}
