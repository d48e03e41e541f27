package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"regexp"
	"strings"
	texttemplate "text/template"
	"text/template/parse"
	"time"
)

// Kind names a message the flows send.
type Kind string

// The built-in kinds. Each has an English and a German template.
const (
	KindVerifyEmail     Kind = "verify_email"     // Code and Link
	KindPasswordReset   Kind = "password_reset"   // Code and Link
	KindPasswordChanged Kind = "password_changed" // notice; Link optional ("secure your account")
	KindEmailChanged    Kind = "email_changed"    // notice to the old address; Link optional
	KindInvitation      Kind = "invitation"       // Link
	KindAccountDeleted  Kind = "account_deleted"  // notice; Link optional
	KindNewDeviceLogin  Kind = "new_device_login" // notice; Link is "this wasn't me"
	KindMFAChanged      Kind = "mfa_changed"      // notice; Link optional
	KindAccountExists   Kind = "account_exists"   // notice on registering a taken address; Link optional (sign-in page)
	KindEmailChange     Kind = "email_change"     // Code to the new address; Link optional
	KindMFACode         Kind = "mfa_code"         // Code (email one-time code at sign-in)
)

// Kinds lists every built-in kind.
var Kinds = []Kind{
	KindVerifyEmail, KindPasswordReset, KindPasswordChanged, KindEmailChanged,
	KindInvitation, KindAccountDeleted, KindNewDeviceLogin, KindMFAChanged,
	KindAccountExists, KindEmailChange, KindMFACode,
}

// needs says which Data fields a kind cannot do without.
var needs = map[Kind]struct{ code, link bool }{
	KindVerifyEmail:    {code: true, link: true},
	KindPasswordReset:  {code: true, link: true},
	KindInvitation:     {link: true},
	KindNewDeviceLogin: {link: true},
	KindEmailChange:    {code: true},
	KindMFACode:        {code: true},
}

// Data fills a template. Render turns ExpiresIn, LinkExpiresIn and Time
// into localised text ("15 minutes" / "15 Minuten"); templates see every
// field as a string under the same name, plus .Lang and .Subject (HTML
// only). Empty fields are left out of the mail.
type Data struct {
	TenantName string // display name; "" gives "Gatehouse"
	UserName   string // how to greet the user; "" gives a greeting without a name
	Code       string // one-time code
	Link       string // absolute https URL
	// ExpiresIn is how long the code lives; in a mail with a link and no
	// code (invitation), how long the link lives.
	ExpiresIn time.Duration
	// LinkExpiresIn is how long the link lives in a mail that carries a
	// code too (verify_email, password_reset, email_change): the two
	// usually differ.
	LinkExpiresIn time.Duration
	IP            string
	UserAgent     string
	Time          time.Time // when the event happened
	LogoURL       string    // optional tenant logo (absolute https URL)
}

// view is what templates see.
type view struct {
	Lang, Subject                    string
	TenantName, UserName, Code, Link string
	ExpiresIn, LinkExpiresIn         string
	IP, UserAgent, Time              string
	LogoURL                          string
}

// Template is a tenant's override of one kind. Each non-empty field
// replaces the built-in one, parsed with text/template (Subject, Text) or
// html/template (HTML, which is the whole document and is escaped as
// usual). An override can use the data fields, if/with/else, comparisons
// and the built-in pieces of the default templates ({{template "content" .}},
// {{template "button" .}}, {{template "details" .}}…); it cannot define
// templates, loop, or call print/printf/call. Check it with
// Templates.CheckOverride before storing it.
type Template struct {
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text,omitempty"`
	HTML    string `json:"html,omitempty"`
}

// Overrides holds a tenant's templates, keyed by "kind.lang" (e.g.
// "verify_email.de") or by "kind" for every language. "kind.lang" wins.
type Overrides map[string]Template

func (o Overrides) lookup(kind Kind, lang string) (Template, bool) {
	if t, ok := o[string(kind)+"."+lang]; ok {
		return t, true
	}
	t, ok := o[string(kind)]
	return t, ok
}

// Limits for tenant overrides.
const (
	MaxOverrideBytes = 64 << 10 // per field
	maxOutputBytes   = 1 << 20  // per rendered part
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Templates renders the built-in messages. It is safe for concurrent use.
type Templates struct {
	sets map[string]*templateSet // by "kind.lang"
}

type templateSet struct {
	layout, kind string // sources, for building override sets
	text         *texttemplate.Template
	html         *htmltemplate.Template
}

// LoadTemplates parses the embedded templates: templates/layout.LANG.tmpl
// holds the shared pieces of a language and templates/KIND.LANG.tmpl the
// "subject", "heading", "text" and "content" of a kind. Every kind must
// exist in every language and render sample data.
func LoadTemplates() (*Templates, error) {
	t := &Templates{sets: map[string]*templateSet{}}
	files, err := fs.Glob(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, lang := range Languages {
		known["templates/layout."+lang+".tmpl"] = true
		layout, err := fs.ReadFile(templateFS, "templates/layout."+lang+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("mail: templates: %w", err)
		}
		for _, kind := range Kinds {
			name := "templates/" + string(kind) + "." + lang + ".tmpl"
			known[name] = true
			src, err := fs.ReadFile(templateFS, name)
			if err != nil {
				return nil, fmt.Errorf("mail: templates: %w", err)
			}
			set, err := parseSet(string(layout), string(src), Template{})
			if err != nil {
				return nil, fmt.Errorf("mail: templates: %s: %w", name, err)
			}
			t.sets[string(kind)+"."+lang] = set
			if _, _, _, err := t.render(set, kind, lang, sampleData()); err != nil {
				return nil, fmt.Errorf("mail: templates: %s: %w", name, err)
			}
		}
	}
	for _, f := range files {
		if !known[f] {
			return nil, fmt.Errorf("mail: templates: %s is not a known kind and language", f)
		}
	}
	return t, nil
}

// MustLoadTemplates is LoadTemplates for package-level variables; the
// embedded templates are checked by the tests, so it does not panic in a
// built binary.
func MustLoadTemplates() *Templates {
	t, err := LoadTemplates()
	if err != nil {
		panic(err)
	}
	return t
}

func parseSet(layout, kind string, o Template) (*templateSet, error) {
	tt, err := texttemplate.New("layout").Option("missingkey=error").Parse(layout)
	if err == nil {
		_, err = tt.New("kind").Parse(kind)
	}
	if err == nil && o.Subject != "" {
		_, err = tt.New("subject").Parse(o.Subject)
	}
	if err == nil && o.Text != "" {
		_, err = tt.New("text").Parse(o.Text)
	}
	if err != nil {
		return nil, err
	}
	ht, err := htmltemplate.New("layout").Option("missingkey=error").Parse(layout)
	if err == nil {
		_, err = ht.New("kind").Parse(kind)
	}
	if err == nil && o.HTML != "" {
		_, err = ht.New("html").Parse(o.HTML)
	}
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"subject", "text"} {
		if tt.Lookup(name) == nil {
			return nil, fmt.Errorf("no %q template", name)
		}
	}
	if ht.Lookup("html") == nil {
		return nil, errors.New(`no "html" template`)
	}
	return &templateSet{layout: layout, kind: kind, text: tt, html: ht}, nil
}

// Render renders kind in lang ("en" or "de"; anything else is matched with
// PickLanguage, then falls back to English), using the tenant's override
// when overrides has one. It fails if the kind needs a Code or Link that
// data lacks.
func (t *Templates) Render(kind Kind, lang string, overrides Overrides, data Data) (subject, text, html string, err error) {
	lang = normLang(lang)
	set, ok := t.sets[string(kind)+"."+lang]
	if !ok {
		return "", "", "", fmt.Errorf("mail: unknown message kind %q", kind)
	}
	n := needs[kind]
	if n.code && data.Code == "" {
		return "", "", "", fmt.Errorf("mail: %s needs a Code", kind)
	}
	if n.link && data.Link == "" {
		return "", "", "", fmt.Errorf("mail: %s needs a Link", kind)
	}
	if o, ok := overrides.lookup(kind, lang); ok && o != (Template{}) {
		if err := checkOverride(o); err != nil {
			return "", "", "", fmt.Errorf("mail: tenant template %s.%s: %w", kind, lang, err)
		}
		if set, err = parseSet(set.layout, set.kind, o); err != nil {
			return "", "", "", fmt.Errorf("mail: tenant template %s.%s: %w", kind, lang, err)
		}
	}
	subject, text, html, err = t.render(set, kind, lang, data)
	if err != nil {
		return "", "", "", fmt.Errorf("mail: render %s.%s: %w", kind, lang, err)
	}
	return subject, text, html, nil
}

// Message renders kind and wraps it in a Message to to.
func (t *Templates) Message(to string, kind Kind, lang string, overrides Overrides, data Data) (*Message, error) {
	subject, text, html, err := t.Render(kind, lang, overrides, data)
	if err != nil {
		return nil, err
	}
	return &Message{To: to, Subject: subject, Text: text, HTML: html}, nil
}

// CheckOverride parses o and renders it with sample data for kind and
// lang, so a management API can refuse a broken template when it is
// saved rather than when a user waits for a code.
func (t *Templates) CheckOverride(kind Kind, lang string, o Template) error {
	_, _, _, err := t.Render(kind, lang, Overrides{string(kind): o}, sampleData())
	return err
}

func (t *Templates) render(set *templateSet, kind Kind, lang string, data Data) (subject, text, html string, err error) {
	v := view{
		Lang:          lang,
		TenantName:    data.TenantName,
		UserName:      data.UserName,
		Code:          data.Code,
		Link:          data.Link,
		ExpiresIn:     HumanDuration(data.ExpiresIn, lang),
		LinkExpiresIn: HumanDuration(data.LinkExpiresIn, lang),
		IP:            data.IP,
		UserAgent:     data.UserAgent,
		Time:          HumanTime(data.Time, lang),
		LogoURL:       data.LogoURL,
	}
	if strings.TrimSpace(v.TenantName) == "" {
		v.TenantName = "Gatehouse"
	}
	var b bytes.Buffer
	w := &limitWriter{b: &b, n: maxOutputBytes}
	if err := set.text.ExecuteTemplate(w, "subject", v); err != nil {
		return "", "", "", err
	}
	subject = strings.Join(strings.Fields(b.String()), " ")
	if subject == "" {
		return "", "", "", errors.New("empty subject")
	}
	v.Subject = subject

	b.Reset()
	w.n = maxOutputBytes
	if err := set.text.ExecuteTemplate(w, "text", v); err != nil {
		return "", "", "", err
	}
	text = tidyText(b.String())

	b.Reset()
	w.n = maxOutputBytes
	if err := set.html.ExecuteTemplate(w, "html", v); err != nil {
		return "", "", "", err
	}
	html = b.String()
	return subject, text, html, nil
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidyText trims trailing spaces from lines and keeps at most one empty
// line in a row, so template whitespace does not show.
func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.Trim(s, "\n") + "\n"
}

type limitWriter struct {
	b *bytes.Buffer
	n int
}

var errTooLong = errors.New("rendered message too long")

func (w *limitWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errTooLong
	}
	w.n -= len(p)
	return w.b.Write(p)
}

func sampleData() Data {
	return Data{
		TenantName:    "Example Tenant",
		UserName:      "Alex Example",
		Code:          "123456",
		Link:          "https://auth.example.com/t/example/verify?token=sample",
		ExpiresIn:     15 * time.Minute,
		LinkExpiresIn: 24 * time.Hour,
		IP:            "192.0.2.10",
		UserAgent:     "Firefox on Linux",
		Time:          time.Date(2026, time.January, 2, 15, 4, 0, 0, time.UTC),
		LogoURL:       "https://auth.example.com/logo.png",
	}
}

// Override safety: tenant admins write these templates, and one tenant must
// not be able to stall the server or another tenant's mail. No loops, no
// template definitions (hence no recursion), no formatting verbs that
// allocate at will; output is capped by limitWriter.

var (
	overrideFuncs = map[string]bool{
		"and": true, "or": true, "not": true, "eq": true, "ne": true,
		"lt": true, "le": true, "gt": true, "ge": true, "len": true,
		"index": true, "slice": true, "html": true, "js": true, "urlquery": true,
	}
	// The roots an override replaces; calling them would recurse.
	overrideRoots = map[string]bool{"subject": true, "text": true, "html": true, "layout": true, "kind": true}
)

func checkOverride(o Template) error {
	for _, f := range []struct{ name, src string }{{"subject", o.Subject}, {"text", o.Text}, {"html", o.HTML}} {
		if f.src == "" {
			continue
		}
		if len(f.src) > MaxOverrideBytes {
			return fmt.Errorf("%s: longer than %d bytes", f.name, MaxOverrideBytes)
		}
		tt, err := texttemplate.New(f.name).Parse(f.src)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if len(tt.Templates()) != 1 {
			return fmt.Errorf("%s: define and block are not allowed", f.name)
		}
		if err := checkNode(tt.Tree.Root); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}

func checkNode(n parse.Node) error {
	switch n := n.(type) {
	case nil:
		return nil
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkNode(c); err != nil {
				return err
			}
		}
	case *parse.TextNode, *parse.CommentNode, *parse.FieldNode, *parse.DotNode,
		*parse.VariableNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
	case *parse.ActionNode:
		return checkNode(n.Pipe)
	case *parse.IfNode:
		return checkBranch(&n.BranchNode)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode)
	case *parse.RangeNode:
		return errors.New("range is not allowed")
	case *parse.BreakNode, *parse.ContinueNode:
		return errors.New("break and continue are not allowed")
	case *parse.TemplateNode:
		if overrideRoots[n.Name] {
			return fmt.Errorf("template %q cannot be called from an override", n.Name)
		}
		return checkNode(n.Pipe)
	case *parse.PipeNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Cmds {
			if err := checkNode(c); err != nil {
				return err
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			if err := checkNode(a); err != nil {
				return err
			}
		}
	case *parse.IdentifierNode:
		if !overrideFuncs[n.Ident] {
			return fmt.Errorf("function %q is not allowed", n.Ident)
		}
	case *parse.ChainNode:
		return checkNode(n.Node)
	default:
		return fmt.Errorf("unsupported template construct %s", n)
	}
	return nil
}

func checkBranch(b *parse.BranchNode) error {
	if err := checkNode(b.Pipe); err != nil {
		return err
	}
	if err := checkNode(b.List); err != nil {
		return err
	}
	return checkNode(b.ElseList)
}
