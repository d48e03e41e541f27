package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Roles: list, create, edit (name, description, permissions), delete.
// The permissions editor is a textarea, one permission a line: the API's
// identifier, then the scope value.

type rolesPage struct {
	Roles []gen.Role
	Next  string
	Form  roleForm
}

type roleForm struct {
	ID, Name, Description, Permissions string
	Version                            int64
}

func (c *Console) roles(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "roles")
	list := listOf[gen.RoleList](c, r, s, v, "/roles")
	v.Page = rolesPage{Roles: list.Items, Next: nextOf(list.NextCursor)}
	c.render(w, r, http.StatusOK, "roles", v)
}

func (c *Console) createRole(w http.ResponseWriter, r *http.Request, s *session) {
	f := roleForm{Name: strings.TrimSpace(r.PostFormValue("name")), Description: strings.TrimSpace(r.PostFormValue("description"))}
	body := map[string]any{"name": f.Name}
	if f.Description != "" {
		body["description"] = f.Description
	}
	var out gen.Role
	err := c.call(r.Context(), s, http.MethodPost, "/roles", nil, body, &out)
	c.afterCreate(w, r, s, err, "roles", "roles", rolesPage{Form: f}, "/roles/"+url.PathEscape(out.ID))
}

// readPermissions reads the permissions editor; a line that is not an
// identifier and a scope is returned as bad.
func readPermissions(v string) (gen.Permissions, string) {
	out := gen.Permissions{}
	for _, l := range formLines(v) {
		f := strings.Fields(l)
		if len(f) != 2 {
			return nil, l
		}
		out = append(out, gen.Permission{API: f[0], Scope: f[1]})
	}
	return out, ""
}

func permissionLines(ps gen.Permissions) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.API + " " + p.Scope + "\n")
	}
	return b.String()
}

type rolePage struct {
	Role gen.Role
	Form roleForm
}

func (c *Console) role(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "roles")
	var ro gen.Role
	if err := c.call(r.Context(), s, http.MethodGet, "/roles/"+url.PathEscape(r.PathValue("id")), nil, nil, &ro); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	v.Page = rolePage{Role: ro, Form: roleForm{ID: ro.ID, Name: ro.Name, Description: ro.Description,
		Permissions: permissionLines(ro.Permissions), Version: ro.Version}}
	c.render(w, r, http.StatusOK, "role", v)
}

func (c *Console) updateRole(w http.ResponseWriter, r *http.Request, s *session) {
	path := "/roles/" + url.PathEscape(r.PathValue("id"))
	f := roleForm{Name: strings.TrimSpace(r.PostFormValue("name")), Description: strings.TrimSpace(r.PostFormValue("description")),
		Permissions: r.PostFormValue("permissions")}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var err error
	if perms, bad := readPermissions(f.Permissions); bad != "" {
		err = badForm(c.newView(r, s, "").L, "permissions", bad)
	} else {
		err = c.patch(r, s, path, map[string]any{"name": f.Name, "description": f.Description, "permissions": perms})
	}
	if err != nil {
		var ro gen.Role
		if gerr := c.call(r.Context(), s, http.MethodGet, path, nil, nil, &ro); gerr != nil {
			c.apiFail(w, r, s, gerr)
			return
		}
		f.ID = ro.ID
		v := c.newView(r, s, "roles")
		v.Problem = asProblem(err)
		v.Page = rolePage{Role: ro, Form: f}
		c.render(w, r, v.Problem.Status, "role", v)
		return
	}
	back(w, r, Prefix+path, "notice_saved")
}

func (c *Console) deleteRole(w http.ResponseWriter, r *http.Request, s *session) {
	id := url.PathEscape(r.PathValue("id"))
	c.deleteResource(w, r, s, "/roles/"+id, "/roles/"+id, "/roles")
}
