package mail

import (
	"html"
	"strings"
	"testing"
	"time"
)

var testTemplates = MustLoadTemplates()

func testData() Data {
	return Data{
		TenantName: "Acme",
		UserName:   "Alex",
		Code:       "48213907",
		Link:       "https://auth.acme.example/t/acme/verify?token=abc&lang=de",
		ExpiresIn:  15 * time.Minute,
		IP:         "203.0.113.7",
		UserAgent:  "Firefox on Linux",
		Time:       time.Date(2026, time.January, 2, 15, 4, 0, 0, time.UTC),
	}
}

// withoutLink are the kinds that never show a link.
var withoutLink = map[Kind]bool{KindMFACode: true}

func TestEveryKindRendersInEveryLanguage(t *testing.T) {
	expires := map[string]string{"en": "15 minutes", "de": "15 Minuten"}
	htmlLang := map[string]string{"en": `<html lang="en"`, "de": `<html lang="de"`}
	withCode := map[Kind]bool{KindVerifyEmail: true, KindPasswordReset: true, KindEmailChange: true, KindMFACode: true}
	withExpiry := map[Kind]bool{KindVerifyEmail: true, KindPasswordReset: true, KindInvitation: true,
		KindEmailChange: true, KindMFACode: true}
	withDetails := map[Kind]bool{KindPasswordChanged: true, KindEmailChanged: true, KindAccountDeleted: true,
		KindNewDeviceLogin: true, KindMFAChanged: true, KindAccountExists: true, KindMFACode: true}
	subjects := map[string]bool{}

	for _, kind := range Kinds {
		for _, lang := range Languages {
			t.Run(string(kind)+"."+lang, func(t *testing.T) {
				d := testData()
				subject, text, htm, err := testTemplates.Render(kind, lang, nil, d)
				if err != nil {
					t.Fatal(err)
				}
				if subject == "" || strings.ContainsAny(subject, "\r\n") {
					t.Errorf("bad subject %q", subject)
				}
				if !strings.Contains(subject, "Acme") {
					t.Errorf("subject %q does not name the tenant", subject)
				}
				if subjects[subject] {
					t.Errorf("subject %q used twice", subject)
				}
				subjects[subject] = true
				unescaped := html.UnescapeString(htm)
				for _, part := range []struct{ name, body string }{{"text", text}, {"html", unescaped}} {
					if !strings.Contains(part.body, "Alex") {
						t.Errorf("%s does not greet the user", part.name)
					}
					if !withoutLink[kind] && !strings.Contains(part.body, d.Link) {
						t.Errorf("%s lacks the link", part.name)
					}
					if withCode[kind] && !strings.Contains(part.body, d.Code) {
						t.Errorf("%s lacks the code", part.name)
					}
					if withExpiry[kind] && !strings.Contains(part.body, expires[lang]) {
						t.Errorf("%s lacks the expiry %q", part.name, expires[lang])
					}
					if withDetails[kind] && (!strings.Contains(part.body, d.IP) || !strings.Contains(part.body, "Firefox on Linux")) {
						t.Errorf("%s lacks IP or device", part.name)
					}
					if strings.Contains(part.body, "<no value>") {
						t.Errorf("%s has <no value>", part.name)
					}
				}
				if !strings.HasPrefix(htm, "<!DOCTYPE html>") || !strings.Contains(htm, htmlLang[lang]) {
					t.Errorf("html lacks doctype or lang attribute:\n%.200s", htm)
				}
				if !strings.Contains(htm, "<title>"+html.EscapeString(subject)+"</title>") {
					t.Errorf("html title is not the subject")
				}
				if strings.Contains(text, "<p") || strings.Contains(text, "\n\n\n") {
					t.Errorf("text has markup or runs of blank lines:\n%s", text)
				}
				if lang == "de" && (strings.Contains(text, "Hello") || strings.Contains(text, "Your ")) {
					t.Errorf("German text has English:\n%s", text)
				}

				// The branches for absent optional fields render too.
				minimal := Data{Code: d.Code, Link: d.Link}
				if !withCode[kind] && kind != KindInvitation && kind != KindNewDeviceLogin {
					minimal = Data{}
				}
				if _, text, _, err := testTemplates.Render(kind, lang, nil, minimal); err != nil {
					t.Errorf("minimal data: %v", err)
				} else if strings.Contains(text, "Alex") || strings.Contains(text, "15 ") {
					t.Errorf("minimal data shows absent fields:\n%s", text)
				}
			})
		}
	}
}

func TestRenderEscapesUserData(t *testing.T) {
	d := testData()
	d.UserName = `<script>alert("x")</script>`
	d.TenantName = `Acme & <b>Co</b>`
	d.UserAgent = `<img src=x onerror=alert(1)>`
	d.Link = `javascript:alert(1)`
	_, text, htm, err := testTemplates.Render(KindNewDeviceLogin, "en", nil, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<b>Co</b>", "<img src=x", `href="javascript:`} {
		if strings.Contains(htm, bad) {
			t.Errorf("html contains unescaped %q", bad)
		}
	}
	if !strings.Contains(htm, "&lt;script&gt;") {
		t.Error("html does not show the escaped user name")
	}
	if !strings.Contains(htm, "#ZgotmplZ") {
		t.Error("javascript: link was not neutralised")
	}
	// The text part is plain text: shown as typed, nothing to escape.
	if !strings.Contains(text, d.UserName) {
		t.Error("text part altered the user name")
	}
}

func TestRenderSubjectIsOneLine(t *testing.T) {
	d := testData()
	d.TenantName = "Acme\r\nBcc: victim@example.com"
	subject, _, _, err := testTemplates.Render(KindInvitation, "en", nil, d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(subject, "\r\n") {
		t.Errorf("subject has a line break: %q", subject)
	}
}

func TestRenderOptionalFields(t *testing.T) {
	d := Data{Link: "https://x.example/l"}
	_, text, htm, err := testTemplates.Render(KindPasswordChanged, "en", nil, Data{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Hello,") || !strings.Contains(text, "Gatehouse") {
		t.Errorf("no-name greeting or default tenant missing:\n%s", text)
	}
	if strings.Contains(text, "IP address") || strings.Contains(htm, "IP address") {
		t.Error("empty IP shown")
	}
	if _, _, _, err := testTemplates.Render(KindInvitation, "de", nil, d); err != nil {
		t.Errorf("invitation without expiry: %v", err)
	}
}

// The email-change mail has a link only when the hosted confirm page is
// configured; without one it still carries the code and shows no button.
func TestRenderEmailChangeWithoutLink(t *testing.T) {
	for _, lang := range Languages {
		_, text, htm, err := testTemplates.Render(KindEmailChange, lang, nil, Data{TenantName: "Acme", Code: "482139"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, ": 482139\n") || !strings.Contains(htm, ">482139<") {
			t.Errorf("%s: code missing:\n%s", lang, text)
		}
		if strings.Contains(text, "http") || strings.Contains(htm, "<a ") {
			t.Errorf("%s: a link without Link:\n%s", lang, text)
		}
	}
}

func TestRenderNeedsCodeAndLink(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		data Data
	}{
		{KindVerifyEmail, Data{Link: "https://x.example"}},
		{KindVerifyEmail, Data{Code: "123456"}},
		{KindPasswordReset, Data{Link: "https://x.example"}},
		{KindInvitation, Data{}},
		{KindNewDeviceLogin, Data{}},
		{KindEmailChange, Data{Link: "https://x.example"}},
		{KindMFACode, Data{}},
	} {
		if _, _, _, err := testTemplates.Render(tc.kind, "en", nil, tc.data); err == nil {
			t.Errorf("%s with %+v: no error", tc.kind, tc.data)
		}
	}
	if _, _, _, err := testTemplates.Render("no_such_kind", "en", nil, testData()); err == nil {
		t.Error("unknown kind: no error")
	}
}

func TestRenderUnknownLanguageFallsBack(t *testing.T) {
	en, _, _, _ := testTemplates.Render(KindInvitation, "en", nil, testData())
	for _, lang := range []string{"fr", "", "EN"} {
		got, _, _, err := testTemplates.Render(KindInvitation, lang, nil, testData())
		if err != nil || got != en {
			t.Errorf("lang %q: %q, %v; want English", lang, got, err)
		}
	}
	de, _, _, _ := testTemplates.Render(KindInvitation, "de", nil, testData())
	if got, _, _, _ := testTemplates.Render(KindInvitation, "de-AT", nil, testData()); got != de {
		t.Errorf("de-AT: %q, want %q", got, de)
	}
}

func TestOverrides(t *testing.T) {
	o := Overrides{
		"verify_email": {Subject: "{{.TenantName}}: confirm your address"},
		"verify_email.de": {
			Subject: "{{.TenantName}}: Adresse bestätigen",
			Text:    "Code {{.Code}} – {{.Link}}",
			HTML:    `<!DOCTYPE html><html lang="{{.Lang}}"><body><p>{{.UserName}}</p>{{template "code" .}}{{template "button" .}}</body></html>`,
		},
	}
	d := testData()
	d.UserName = "<script>x</script>"

	subject, text, htm, err := testTemplates.Render(KindVerifyEmail, "en", o, d)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Acme: confirm your address" {
		t.Errorf("en subject %q", subject)
	}
	if !strings.Contains(text, "Please confirm") || !strings.Contains(htm, "Please confirm") {
		t.Error("en bodies should stay the default")
	}

	subject, text, htm, err = testTemplates.Render(KindVerifyEmail, "de", o, d)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Acme: Adresse bestätigen" {
		t.Errorf("de subject %q", subject)
	}
	if text != "Code 48213907 – "+d.Link+"\n" {
		t.Errorf("de text %q", text)
	}
	if strings.Contains(htm, "<script>") || !strings.Contains(htm, "48213907") || !strings.Contains(htm, "Ihr Bestätigungscode") {
		t.Errorf("de html override not escaped or lacks the default pieces:\n%s", htm)
	}

	// Other kinds and tenants are untouched.
	if s, _, _, _ := testTemplates.Render(KindPasswordReset, "en", o, d); s != "Reset your Acme password" {
		t.Errorf("other kind changed: %q", s)
	}
}

func TestCheckOverride(t *testing.T) {
	good := Template{Subject: `{{if .UserName}}{{.UserName}}, {{end}}your {{.TenantName}} code`, HTML: `<p>{{template "content" .}}</p>`}
	if err := testTemplates.CheckOverride(KindVerifyEmail, "en", good); err != nil {
		t.Errorf("good override refused: %v", err)
	}
	bad := map[string]Template{
		"syntax":         {Subject: "{{.TenantName"},
		"unknown field":  {Text: "{{.Password}}"},
		"range":          {Text: "{{range 1000000000}}x{{end}}"},
		"define":         {Text: `{{define "x"}}{{template "x" .}}{{template "x" .}}{{end}}{{template "x" .}}`},
		"block":          {HTML: `{{block "y" .}}y{{end}}`},
		"printf":         {Subject: `{{printf "%099999999d" 1}}`},
		"call":           {Text: `{{call .Code}}`},
		"self recursion": {HTML: `{{template "html" .}}{{template "html" .}}`},
		"text recursion": {Text: `{{template "text" .}}`},
		"too long":       {Text: strings.Repeat("x", MaxOverrideBytes+1)},
		"empty subject":  {Subject: "{{if false}}x{{end}}"},
	}
	for name, o := range bad {
		if err := testTemplates.CheckOverride(KindVerifyEmail, "en", o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRenderedOutputIsCapped(t *testing.T) {
	// 64 KiB of calls to a ~3 KiB piece would be ~100 MB without the cap.
	call := `{{template "content" .}}`
	o := Template{HTML: strings.Repeat(call, MaxOverrideBytes/len(call))}
	_, _, _, err := testTemplates.Render(KindVerifyEmail, "en", Overrides{"verify_email": o}, testData())
	if err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("err = %v, want too long", err)
	}
}

func TestTemplatesMessage(t *testing.T) {
	m, err := testTemplates.Message("alex@example.com", KindInvitation, "de", nil, testData())
	if err != nil {
		t.Fatal(err)
	}
	if m.To != "alex@example.com" || m.Subject != "Einladung zu Acme" || m.Text == "" || m.HTML == "" {
		t.Errorf("message %+v", m)
	}
}
