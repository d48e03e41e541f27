package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
)

// Connections (federation: OpenID Connect, OAuth 2.0, the social
// presets, SAML and LDAP upstreams): list, create by type, the
// connection's settings, edit, delete, and an LDAP directory's sync. The
// form shows the settings of the connection's type
// (federation.Members), labelled with the Admin API's member names.
// Secrets (client_secret, bind_password, private_key_pem) are
// write-only: their fields are always empty, the page says only whether
// one is stored, and an empty field keeps it. An edit sends only the
// members the admin changed.

// Kinds of a connection setting's form field.
const (
	kindText     = "text"
	kindTextarea = "textarea"
	kindBool     = "bool"   // default, yes or no
	kindSelect   = "select" // one of Options, or the default
	kindList     = "list"   // values separated by commas or lines
	kindSecret   = "secret"
	kindPEM      = "pem" // a secret key, in a textarea
)

var connKinds = map[string]string{
	"idp_metadata_xml": kindTextarea, "ca_pem": kindTextarea,
	"pkce": kindBool, "sign_requests": kindBool, "start_tls": kindBool,
	"client_auth_method": kindSelect, "preset": kindSelect,
	"allowed_tenants": kindList,
	"client_secret":   kindSecret, "bind_password": kindSecret, "private_key_pem": kindPEM,
}

var connOptions = map[string][]string{
	"client_auth_method": {federation.AuthClientSecretBasic, federation.AuthClientSecretPost, federation.AuthPrivateKeyJWT},
	"preset":             {federation.PresetOpenLDAP, federation.PresetActiveDirectory},
}

// connField is one setting of the connection's type on the form.
type connField struct {
	Name, Kind, Value string
	Options           []string
	// Set: a secret is stored.
	Set bool
}

// connForm is the create and edit form.
type connForm struct {
	ID, Type, DisplayName, Domains, Provisioning, LinkByEmail, Mapping string
	Enabled, ShowOnLogin                                               bool
	Fields                                                             []connField
	Version                                                            int64
	Edit                                                               bool
}

type connectionsPage struct {
	Connections []gen.Connection
	Next        string
	Types       []string
}

func (c *Console) connections(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "connections")
	list := listOf[gen.ConnectionList](c, r, s, v, "/connections")
	v.Page = connectionsPage{Connections: list.Items, Next: nextOf(list.NextCursor), Types: federation.Types}
	c.render(w, r, http.StatusOK, "connections", v)
}

// current is a connection's members as its JSON has them.
func current(cn *gen.Connection) map[string]any {
	m := map[string]any{}
	if cn == nil {
		return m
	}
	b, _ := json.Marshal(cn) // a gen.Connection always encodes
	_ = json.Unmarshal(b, &m)
	return m
}

// display is a member's value as the form shows it.
func display(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, p := range x {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, "\n")
	default:
		return fmt.Sprint(x)
	}
}

// fieldsOf are the form fields of type typ, filled from the connection
// (nil for a new one).
func fieldsOf(typ string, cn *gen.Connection) []connField {
	settings, secrets := federation.Members(typ)
	cur := current(cn)
	var set []gen.ConnectionSecretsSet
	if cn != nil && cn.SecretsSet != nil {
		set = *cn.SecretsSet
	}
	var out []connField
	for _, name := range append(settings, secrets...) {
		f := connField{Name: name, Kind: connKinds[name], Options: connOptions[name]}
		if f.Kind == "" {
			f.Kind = kindText
		}
		if f.Kind == kindSecret || f.Kind == kindPEM {
			f.Set = slices.Contains(set, gen.ConnectionSecretsSet(name))
		} else {
			f.Value = display(cur[name])
		}
		out = append(out, f)
	}
	return out
}

func connFormOf(cn gen.Connection) connForm {
	return connForm{ID: cn.ID, Type: string(cn.Type), DisplayName: cn.DisplayName, Domains: strings.Join(cn.Domains, "\n"),
		Provisioning: string(cn.Provisioning), LinkByEmail: string(cn.LinkByEmail), Mapping: mapLines(cn.AttributeMapping),
		Enabled: cn.Enabled, ShowOnLogin: cn.ShowOnLogin, Fields: fieldsOf(string(cn.Type), &cn), Version: cn.Version, Edit: true}
}

func (c *Console) newConnection(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "connections")
	if !v.CanEdit {
		c.fail(w, r, s, http.StatusForbidden, "error_read_only")
		return
	}
	typ := r.URL.Query().Get("type")
	if !federation.KnownType(typ) {
		c.fail(w, r, s, http.StatusNotFound, "error_not_found")
		return
	}
	v.Page = connectionPage{Form: connForm{Type: typ, Enabled: true, ShowOnLogin: federation.ShowOnLoginDefault(typ),
		Provisioning: string(gen.ConnectionProvisioningJIT), LinkByEmail: string(gen.ConnectionLinkByEmailNever), Fields: fieldsOf(typ, nil)}}
	c.render(w, r, http.StatusOK, "connection", v)
}

// formValue is a field's posted value as the API takes it: a string, a
// bool or nil (the default), a list.
func formValue(r *http.Request, f connField) any {
	raw := strings.TrimSpace(r.PostFormValue(f.Name))
	switch f.Kind {
	case kindBool:
		if raw == "" {
			return nil
		}
		return raw == "true"
	case kindList:
		return formList(raw)
	case kindPEM:
		if raw != "" {
			raw += "\n"
		}
	}
	return raw
}

// same: a posted value equals the connection's.
func same(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// readConnection reads the posted form into the form (secrets left
// empty) and the API's body: for a create, every member given; for an
// edit (old is the connection), the members changed. A line of the
// attribute map it cannot read is returned as bad.
func readConnection(r *http.Request, typ string, old *gen.Connection) (f connForm, body map[string]any, bad string) {
	f = connForm{Type: typ, DisplayName: strings.TrimSpace(r.PostFormValue("display_name")), Domains: r.PostFormValue("domains"),
		Provisioning: r.PostFormValue("provisioning"), LinkByEmail: r.PostFormValue("link_by_email"),
		Mapping: r.PostFormValue("attribute_mapping"), Enabled: checked(r, "enabled"), ShowOnLogin: checked(r, "show_on_login"),
		Fields: fieldsOf(typ, old), Edit: old != nil}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	cur := current(old)
	body = map[string]any{}
	put := func(k string, v any) {
		if old == nil || !same(v, cur[k]) {
			body[k] = v
		}
	}
	if old == nil {
		body["type"] = typ
		if f.ID = strings.TrimSpace(r.PostFormValue("id")); f.ID != "" {
			body["id"] = f.ID
		}
	}
	put("display_name", f.DisplayName)
	put("enabled", f.Enabled)
	put("show_on_login", f.ShowOnLogin)
	put("domains", formList(f.Domains))
	if f.Provisioning != "" {
		put("provisioning", f.Provisioning)
	}
	if f.LinkByEmail != "" {
		put("link_by_email", f.LinkByEmail)
	}
	m, bad := formMap(f.Mapping)
	if bad != "" {
		return f, nil, bad
	}
	put("attribute_mapping", m)
	for i, fd := range f.Fields {
		v := formValue(r, fd)
		switch fd.Kind {
		case kindSecret, kindPEM: // write-only: sent when given, never shown again
			if v != "" {
				body[fd.Name] = v
			}
			continue
		case kindBool:
			if v != nil {
				put(fd.Name, v)
			}
		case kindSelect:
			if v != "" {
				put(fd.Name, v)
			}
		case kindList:
			if len(v.([]string)) == 0 && cur[fd.Name] == nil { // none given, none stored
				break
			}
			put(fd.Name, v)
		default:
			if old == nil && v == "" {
				break
			}
			if old != nil && v == "" && cur[fd.Name] == nil {
				break
			}
			put(fd.Name, v)
		}
		f.Fields[i].Value = display(v)
		if l, ok := v.([]string); ok {
			f.Fields[i].Value = strings.Join(l, "\n")
		}
	}
	return f, body, ""
}

func (c *Console) createConnection(w http.ResponseWriter, r *http.Request, s *session) {
	typ := r.PostFormValue("type")
	if !federation.KnownType(typ) {
		c.fail(w, r, s, http.StatusBadRequest, "error_bad_request")
		return
	}
	f, body, bad := readConnection(r, typ, nil)
	var out gen.Connection
	var err error
	if bad != "" {
		err = badForm(c.newView(r, s, "").L, "attribute_mapping", bad)
	} else {
		err = c.call(r.Context(), s, http.MethodPost, "/connections", nil, body, &out)
	}
	c.afterCreate(w, r, s, err, "connections", "connection", connectionPage{Form: f}, "/connections/"+url.PathEscape(out.ID))
}

// connectionPage is a connection's page, or the new connection's form
// (Conn nil).
type connectionPage struct {
	Conn *gen.Connection
	Form connForm
	Sync *gen.ConnectionSyncResult
}

func (c *Console) connection(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "connections")
	var cn gen.Connection
	if err := c.call(r.Context(), s, http.MethodGet, "/connections/"+url.PathEscape(r.PathValue("id")), nil, nil, &cn); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	v.Page = connectionPage{Conn: &cn, Form: connFormOf(cn)}
	c.render(w, r, http.StatusOK, "connection", v)
}

func (c *Console) updateConnection(w http.ResponseWriter, r *http.Request, s *session) {
	path := "/connections/" + url.PathEscape(r.PathValue("id"))
	var cn gen.Connection
	if err := c.call(r.Context(), s, http.MethodGet, path, nil, nil, &cn); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	f, body, bad := readConnection(r, string(cn.Type), &cn)
	f.ID = cn.ID
	var err error
	switch {
	case bad != "":
		err = badForm(c.newView(r, s, "").L, "attribute_mapping", bad)
	case len(body) > 0:
		err = c.patch(r, s, path, body)
	}
	if err != nil {
		v := c.newView(r, s, "connections")
		v.Problem = asProblem(err)
		v.Page = connectionPage{Conn: &cn, Form: f}
		c.render(w, r, v.Problem.Status, "connection", v)
		return
	}
	back(w, r, Prefix+path, "notice_saved")
}

func (c *Console) deleteConnection(w http.ResponseWriter, r *http.Request, s *session) {
	path := "/connections/" + url.PathEscape(r.PathValue("id"))
	c.deleteResource(w, r, s, path, path, "/connections")
}

// syncConnection reads an LDAP directory's users now and shows the
// counts.
func (c *Console) syncConnection(w http.ResponseWriter, r *http.Request, s *session) {
	path := "/connections/" + url.PathEscape(r.PathValue("id"))
	var res gen.ConnectionSyncResult
	err := c.call(r.Context(), s, http.MethodPost, path+"/sync", nil, nil, &res)
	var cn gen.Connection
	if gerr := c.call(r.Context(), s, http.MethodGet, path, nil, nil, &cn); gerr != nil {
		c.apiFail(w, r, s, gerr)
		return
	}
	v := c.newView(r, s, "connections")
	page := connectionPage{Conn: &cn, Form: connFormOf(cn)}
	status := http.StatusOK
	if err != nil {
		v.Problem = asProblem(err)
		status = v.Problem.Status
	} else {
		page.Sync = &res
		v.Notice = v.L["notice_synced"]
	}
	v.Page = page
	c.render(w, r, status, "connection", v)
}
