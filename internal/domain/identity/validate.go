package identity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// FieldError is one invalid input field. Field is a JSON pointer (RFC 6901)
// into the resource's JSON form, e.g. "/email" or "/redirect_uris/0", so the
// HTTP layer can put it into problem+json unchanged.
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every invalid field, so a client can fix all of
// them in one round trip.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid input")
	for i, fe := range e.Errors {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(fe.Field)
		b.WriteString(": ")
		b.WriteString(fe.Message)
	}
	return b.String()
}

// Add records a message at field.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Errors = append(e.Errors, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// AddErr records err at field. A nested *ValidationError keeps its own
// fields, re-rooted under field.
func (e *ValidationError) AddErr(field string, err error) {
	if err == nil {
		return
	}
	if ve, ok := errors.AsType[*ValidationError](err); ok {
		for _, fe := range ve.Errors {
			e.Errors = append(e.Errors, FieldError{Field: field + fe.Field, Message: fe.Message})
		}
		return
	}
	e.Errors = append(e.Errors, FieldError{Field: field, Message: err.Error()})
}

// Err returns e as an error, or a true nil interface when e is empty.
func (e *ValidationError) Err() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// Pointer appends reference tokens to a JSON Pointer, escaping them.
func Pointer(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return b.String()
}

// Index appends an array index to a JSON Pointer.
func Index(base string, i int) string { return base + "/" + strconv.Itoa(i) }

// --- Scalar rules -----------------------------------------------------------

const (
	maxEmailLen      = 254 // RFC 5321 §4.5.3.1.3 path limit, less the brackets
	maxEmailLocalLen = 64  // RFC 5321 §4.5.3.1.1
)

var errEmail = errors.New("must be a plain email address such as name@example.com")

// NormalizeEmail trims s, checks that it is a bare addr-spec (no display
// name, angle brackets, quoting or comments) with a hostname domain, and
// lowercases the domain. The local part keeps its case because a few mail
// servers honour it; uniqueness uses EmailKey instead.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is required")
	}
	if len(s) > maxEmailLen {
		return "", fmt.Errorf("must be at most %d characters", maxEmailLen)
	}
	addr, err := mail.ParseAddress(s)
	// net/mail unquotes and drops comments, so anything but a bare
	// addr-spec comes back different from the input.
	if err != nil || addr.Name != "" || addr.Address != s {
		return "", errEmail
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if len(local) > maxEmailLocalLen {
		return "", fmt.Errorf("local part must be at most %d characters", maxEmailLocalLen)
	}
	if !validHostname(domain) {
		return "", errEmail
	}
	return local + "@" + strings.ToLower(domain), nil
}

// EmailKey is the form under which emails are unique within a tenant:
// fully lowercased, so Alice@x and alice@x cannot be two accounts.
func EmailKey(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// validHostname accepts one or more dot-separated labels of letters
// (Unicode allowed, for internationalised domains), digits and inner
// hyphens. IP literals and all-numeric last labels are refused: they are
// not mailboxes anyone should register with.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	return strings.ContainsFunc(labels[len(labels)-1], func(r rune) bool { return !unicode.IsDigit(r) })
}

var (
	usernameRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	phoneRE    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	slugRE     = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
)

// ValidateUsername allows 1-64 ASCII letters, digits, '.', '_' and '-':
// no Unicode, so look-alike usernames cannot be registered.
func ValidateUsername(s string) error {
	if !usernameRE.MatchString(s) {
		return errors.New("must be 1-64 characters: letters, digits, '.', '_' or '-'")
	}
	return nil
}

// ValidatePhone requires E.164: '+', country code, subscriber number, no
// separators.
func ValidatePhone(s string) error {
	if !phoneRE.MatchString(s) {
		return errors.New("must be in E.164 format, e.g. +14155550123")
	}
	return nil
}

// ValidateSlug allows a DNS label in lowercase: it appears in URL paths and
// may become a subdomain.
func ValidateSlug(s string) error {
	if !slugRE.MatchString(s) {
		return errors.New("must be 1-63 lowercase letters, digits or inner hyphens")
	}
	return nil
}

// MaxURILen bounds every registered URI.
const MaxURILen = 2048

// ParseAbsoluteURI parses a registered URI: absolute, without fragment,
// credentials, spaces or control characters, at most maxURILen long.
func ParseAbsoluteURI(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("is required")
	}
	if len(s) > MaxURILen {
		return nil, fmt.Errorf("must be at most %d characters", MaxURILen)
	}
	// Registered URIs are compared byte for byte; whitespace or control
	// characters are almost always a mistake that url.Parse would keep.
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("must not contain spaces or control characters")
	}
	if strings.Contains(s, "#") {
		return nil, errors.New("must not contain a fragment")
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return nil, errors.New("must be an absolute URI")
	}
	if u.User != nil {
		return nil, errors.New("must not contain user credentials")
	}
	return u, nil
}

// HTTPSOrLoopback reports whether u is https with a host, or http to a
// loopback host (RFC 8252 §7.3; localhost is included for web developers).
func HTTPSOrLoopback(u *url.URL) bool {
	switch u.Scheme {
	case "https":
		return u.Host != ""
	case "http":
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
			return true
		}
	}
	return false
}

// ValidateWebURL is for informational and key URLs (client_uri, jwks_uri):
// absolute https, or loopback http.
func ValidateWebURL(s string) error {
	u, err := ParseAbsoluteURI(s)
	if err != nil {
		return err
	}
	if !HTTPSOrLoopback(u) {
		return errors.New("must be an https URL")
	}
	return nil
}

// ValidText checks free-text fields: valid UTF-8, no control characters,
// at most max characters.
func ValidText(s string, max int) error {
	if !utf8.ValidString(s) {
		return errors.New("must be valid UTF-8")
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		return errors.New("must not contain control characters")
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Errorf("must be at most %d characters", max)
	}
	return nil
}

// ValidateName checks a short free-text name (API keys and the like).
func ValidateName(s string, max int) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be empty")
	}
	return ValidText(s, max)
}

// ValidateTenantText checks a tenant's display name.
func ValidateTenantText(displayName string) error { return ValidText(displayName, 200) }

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// ValidateBranding checks what a tenant's pages will show: the logo URL is
// rendered in an <img> on the login page, so only https (or loopback
// http) is accepted.
func ValidateBranding(b *Branding) error {
	ve := &ValidationError{}
	if b.LogoURI != "" {
		ve.AddErr("/branding/logo_uri", ValidateWebURL(b.LogoURI))
	}
	if b.PrimaryColor != "" && !colorRE.MatchString(b.PrimaryColor) {
		ve.Add("/branding/primary_color", "must be a colour as #rrggbb")
	}
	return ve.Err()
}

var termsVersionRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)

// ValidateOnboarding checks a tenant's onboarding settings: the terms
// version is a short token (it is stored on every user who accepts it) and
// the terms URI is linked from the registration page, so https only. Terms
// without a version are meaningless, so a URI requires a version.
func ValidateOnboarding(o *Onboarding) error {
	ve := &ValidationError{}
	if o.TermsVersion != "" && !termsVersionRE.MatchString(o.TermsVersion) {
		ve.Add("/onboarding/terms_version", "must be 1 to 64 letters, digits, '.', '_', ':' or '-'")
	}
	if o.TermsURI != "" {
		ve.AddErr("/onboarding/terms_uri", ValidateWebURL(o.TermsURI))
		if o.TermsVersion == "" {
			ve.Add("/onboarding/terms_version", "must be set when terms_uri is")
		}
	}
	return ve.Err()
}

// --- Attribute schemas ----------------------------------------------------

const (
	// MaxAttributesSize caps a user's custom attributes, JSON-encoded. They
	// ride along in tokens and on every user read.
	MaxAttributesSize = 64 << 10
	// MaxAttributesDepth caps nesting of objects and arrays.
	MaxAttributesDepth = 16

	maxSchemaSize  = 256 << 10
	maxSchemaDepth = 64 // each attribute level costs a schema two ("properties", name)
	schemaURL      = "mem:///attribute-schema.json"
)

// schemaPrinter renders the library's messages; field errors are English.
var schemaPrinter = message.NewPrinter(language.English)

// AttributeSchema is a compiled tenant attribute schema. A nil
// *AttributeSchema accepts any object within the size and depth limits.
type AttributeSchema struct {
	schema *jsonschema.Schema
}

// noLoader refuses every external reference, so compiling a tenant's schema
// never touches the network or the file system. The draft metaschemas are
// embedded in the library and do not go through the loader.
type noLoader struct{}

func (noLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("external reference %q is not allowed; put definitions in $defs", u)
}

// CompileAttributeSchema compiles a JSON Schema (draft 2020-12, also the
// default when $schema is absent). Empty or null input yields a nil schema.
// Schemas that do not compile, declare another draft, or reference any
// other document are rejected. Format keywords are asserted, since an
// operator writing "format": "email" expects it to be enforced.
func CompileAttributeSchema(raw json.RawMessage) (*AttributeSchema, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if len(raw) > maxSchemaSize {
		return nil, fmt.Errorf("attribute schema: larger than %d bytes", maxSchemaSize)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("attribute schema: invalid JSON: %w", err)
	}
	if err := CheckDepth(doc, 0, maxSchemaDepth); err != nil {
		return nil, fmt.Errorf("attribute schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(noLoader{})
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("attribute schema: %w", err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("attribute schema: %w", err)
	}
	if sch.DraftVersion != 2020 {
		return nil, errors.New("attribute schema: $schema must be https://json-schema.org/draft/2020-12/schema")
	}
	return &AttributeSchema{schema: sch}, nil
}

// TenantAttributeSchema compiles t's attribute schema; nil when it has
// none.
func TenantAttributeSchema(t *Tenant) (*AttributeSchema, error) {
	return CompileAttributeSchema(t.AttributeSchema)
}

// UserWritable reports whether users may set the attribute name
// themselves (self-registration, the account API): the schema declares it
// among its top-level properties (also through a top-level $ref or allOf)
// and does not mark it readOnly. Everything else is for administrators
// only, so a tenant marks entitlements (plan, roles) readOnly or leaves
// them undeclared. Without a schema nothing is user-writable.
func (s *AttributeSchema) UserWritable(name string) bool {
	declared, readOnly := s.declaration(name)
	return declared && !readOnly
}

// CheckUserWritable refuses every member of attrs that is not
// UserWritable, with a *ValidationError naming /attributes/<name>.
func (s *AttributeSchema) CheckUserWritable(attrs map[string]any) error {
	ve := &ValidationError{}
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		switch declared, readOnly := s.declaration(name); {
		case !declared:
			ve.Add(Pointer("/attributes", name), "is not an attribute you can set: the tenant's attribute schema does not declare it")
		case readOnly:
			ve.Add(Pointer("/attributes", name), "is read-only: only an administrator can set it")
		}
	}
	return ve.Err()
}

// declaration tells whether the schema declares the top-level property
// name and whether any of its declarations is readOnly. Each schema is
// visited once, so $ref cycles and shared allOf branches cost nothing
// more.
func (s *AttributeSchema) declaration(name string) (declared, readOnly bool) {
	if s == nil || s.schema == nil {
		return false, false
	}
	for _, sch := range reachable(s.schema) {
		if p, ok := sch.Properties[name]; ok {
			declared = true
			readOnly = readOnly || slices.ContainsFunc(reachable(p), func(x *jsonschema.Schema) bool { return x.ReadOnly })
		}
	}
	return declared, readOnly
}

// reachable lists sch and every schema it reaches through $ref and allOf,
// each once.
func reachable(sch *jsonschema.Schema) []*jsonschema.Schema {
	var out []*jsonschema.Schema
	seen := map[*jsonschema.Schema]bool{}
	for todo := []*jsonschema.Schema{sch}; len(todo) > 0; {
		x := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if x == nil || seen[x] {
			continue
		}
		seen[x] = true
		out = append(out, x)
		todo = append(todo, x.Ref)
		todo = append(todo, x.AllOf...)
	}
	return out
}

// Validate checks attrs (nil means {}) against the schema and the size and
// depth limits. It returns a *ValidationError whose fields are under
// "/attributes".
func (s *AttributeSchema) Validate(attrs map[string]any) error {
	const root = "/attributes"
	ve := &ValidationError{}
	if attrs == nil {
		attrs = map[string]any{}
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		ve.Add(root, "must be representable as JSON")
		return ve
	}
	if len(b) > MaxAttributesSize {
		ve.Add(root, "must be at most %d bytes when encoded as JSON", MaxAttributesSize)
		return ve
	}
	// Round-trip through JSON so the validator sees exactly what will be
	// stored (json.Number, []any), whatever Go types the caller used.
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		ve.Add(root, "must be representable as JSON")
		return ve
	}
	if err := CheckDepth(doc, 0, MaxAttributesDepth); err != nil {
		ve.Add(root, "%v", err)
		return ve
	}
	if s == nil || s.schema == nil {
		return nil
	}
	err = s.schema.Validate(doc)
	if err == nil {
		return nil
	}
	sve, ok := errors.AsType[*jsonschema.ValidationError](err)
	if !ok {
		ve.Add(root, "%v", err)
		return ve
	}
	flattenSchemaError(ve, root, sve)
	slices.SortFunc(ve.Errors, func(a, b FieldError) int {
		if c := strings.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	ve.Errors = slices.Compact(ve.Errors)
	return ve
}

// flattenSchemaError turns the library's error tree into one FieldError per
// leaf. Missing and disallowed properties point at the property itself
// rather than at its parent object, which is what a form needs.
func flattenSchemaError(ve *ValidationError, root string, e *jsonschema.ValidationError) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			flattenSchemaError(ve, root, c)
		}
		return
	}
	at := Pointer(root, e.InstanceLocation...)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, p := range k.Missing {
			ve.Add(Pointer(at, p), "is required")
		}
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			ve.Add(Pointer(at, p), "is not allowed")
		}
	default:
		ve.Add(at, "%s", e.ErrorKind.LocalizedString(schemaPrinter))
	}
}

// CheckDepth bounds nesting and rejects NUL in keys and strings: JSON
// allows "\u0000", but PostgreSQL cannot store it, and no legitimate
// attribute needs it.
func CheckDepth(v any, depth, max int) error {
	if depth > max {
		return fmt.Errorf("must not nest deeper than %d levels", max)
	}
	switch v := v.(type) {
	case string:
		if strings.IndexByte(v, 0) >= 0 {
			return errors.New("must not contain NUL characters")
		}
	case map[string]any:
		for k, c := range v {
			if strings.IndexByte(k, 0) >= 0 {
				return errors.New("must not contain NUL characters")
			}
			if err := CheckDepth(c, depth+1, max); err != nil {
				return err
			}
		}
	case []any:
		for _, c := range v {
			if err := CheckDepth(c, depth+1, max); err != nil {
				return err
			}
		}
	}
	return nil
}

// --- Aggregates -------------------------------------------------------------

// Limits shared with api/openapi.yaml, so other entry points (imports,
// SCIM, dynamic registration) get the same answer as the admin API.
const (
	maxNameLen      = 256
	maxShortTextLen = 64 // gender, zoneinfo, postal_code
)

// ValidateUser checks u against the field rules and the tenant's attribute
// schema (nil accepts any attributes). It does not modify u: callers store
// NormalizeEmail's result before validating. Field pointers follow the
// User schema in api/openapi.yaml, where profile claims are top-level
// members: /email, /phone_number, /given_name, /address/locality,
// /attributes/....
func ValidateUser(u *User, schema *AttributeSchema) error {
	ve := &ValidationError{}
	if _, err := NormalizeEmail(u.Email); err != nil {
		ve.AddErr("/email", err)
	}
	if u.Username != "" {
		ve.AddErr("/username", ValidateUsername(u.Username))
	}
	if u.Phone != "" {
		ve.AddErr("/phone_number", ValidatePhone(u.Phone))
	} else if u.PhoneVerified {
		ve.Add("/phone_number_verified", "cannot be true without a phone number")
	}
	validateProfile(ve, &u.Profile)
	ve.AddErr("", schema.Validate(u.Attributes))
	return ve.Err()
}

func validateProfile(ve *ValidationError, p *Profile) {
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"name", p.Name, maxNameLen}, {"given_name", p.GivenName, maxNameLen},
		{"family_name", p.FamilyName, maxNameLen}, {"middle_name", p.MiddleName, maxNameLen},
		{"nickname", p.Nickname, maxNameLen}, {"preferred_username", p.PreferredUsername, maxNameLen},
		{"gender", p.Gender, maxShortTextLen}, {"zoneinfo", p.Zoneinfo, maxShortTextLen},
	} {
		ve.AddErr("/"+f.name, ValidText(f.value, f.max))
	}
	for _, f := range []struct {
		name, value string
	}{
		{"profile", p.Profile}, {"picture", p.Picture}, {"website", p.Website},
	} {
		if f.value != "" {
			ve.AddErr("/"+f.name, validateProfileURL(f.value))
		}
	}
	if p.Birthdate != "" && !validBirthdate(p.Birthdate) {
		ve.Add("/birthdate", "must be YYYY-MM-DD, 0000-MM-DD or YYYY")
	}
	if p.Locale != "" {
		// OIDC Core §5.1 says BCP 47; "en_US" is common in the wild and
		// x/text accepts it too.
		if _, err := language.Parse(p.Locale); err != nil || len(p.Locale) > 35 {
			ve.Add("/locale", "must be a BCP 47 language tag such as en-US")
		}
	}
	if a := p.Address; a != nil {
		for _, f := range []struct {
			name, value string
			max         int
		}{
			{"formatted", a.Formatted, 1024}, {"street_address", a.StreetAddress, 512},
			{"locality", a.Locality, maxNameLen}, {"region", a.Region, maxNameLen},
			{"postal_code", a.PostalCode, maxShortTextLen}, {"country", a.Country, maxNameLen},
		} {
			ve.AddErr("/address/"+f.name, ValidText(lineBreaks.Replace(f.value), f.max))
		}
	}
}

// lineBreaks lets formatted and street_address span lines (OIDC Core
// §5.1.1) while other control characters stay forbidden.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ")

// validateProfileURL allows http as well as https: these are links a user
// publishes about themselves, not endpoints we call.
func validateProfileURL(s string) error {
	u, err := ParseAbsoluteURI(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("must be an http or https URL")
	}
	return nil
}

func validBirthdate(s string) bool {
	switch len(s) {
	case 4:
		_, err := strconv.ParseUint(s, 10, 16)
		return err == nil
	case 10:
		// OIDC allows year 0000 to omit the year; 2000 is a leap year so
		// 0000-02-29 stays valid.
		if strings.HasPrefix(s, "0000-") {
			s = "2000" + s[4:]
		}
		_, err := time.Parse(time.DateOnly, s)
		return err == nil
	}
	return false
}
