package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// APIs (resource servers): list, create, edit (name, scopes, token
// format and lifetime, RBAC, the permissions claim), delete. The scopes
// editor is a textarea, one scope a line: its value, then its
// description. An API's authorization details types are kept as they are
// (the console does not edit JSON Schemas).

type apisPage struct {
	APIs []gen.API
	Next string
	Form apiForm
}

// apiForm is the create and edit form.
type apiForm struct {
	ID, Identifier, Name, Scopes, Format, Lifetime string
	RBAC, PermissionsInToken                       bool
	Version                                        int64
}

func (c *Console) apis(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "apis")
	list := listOf[gen.APIList](c, r, s, v, "/apis")
	v.Page = apisPage{APIs: list.Items, Next: nextOf(list.NextCursor)}
	c.render(w, r, http.StatusOK, "apis", v)
}

func (c *Console) createAPI(w http.ResponseWriter, r *http.Request, s *session) {
	f := apiForm{Identifier: strings.TrimSpace(r.PostFormValue("identifier")), Name: strings.TrimSpace(r.PostFormValue("name"))}
	var out gen.API
	err := c.call(r.Context(), s, http.MethodPost, "/apis", nil, map[string]any{"identifier": f.Identifier, "name": f.Name}, &out)
	c.afterCreate(w, r, s, err, "apis", "apis", apisPage{Form: f}, "/apis/"+url.PathEscape(out.ID))
}

// scopeLines writes scopes as the editor reads them.
func scopeLines(scopes gen.APIScopes) string {
	var b strings.Builder
	for _, sc := range scopes {
		b.WriteString(sc.Value)
		if sc.Description != nil && *sc.Description != "" {
			b.WriteString(" " + *sc.Description)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// readScopes reads the scopes editor: a value, then a description.
func readScopes(v string) gen.APIScopes {
	out := gen.APIScopes{}
	for _, l := range formLines(v) {
		val, desc, _ := strings.Cut(l, " ")
		sc := gen.APIScope{Value: val}
		if desc = strings.TrimSpace(desc); desc != "" {
			sc.Description = &desc
		}
		out = append(out, sc)
	}
	return out
}

func apiFormOf(a gen.API) apiForm {
	return apiForm{ID: a.ID, Identifier: a.Identifier, Name: a.Name, Scopes: scopeLines(a.Scopes), Format: string(a.TokenFormat),
		Lifetime: strconv.Itoa(a.AccessTokenLifetimeSeconds), RBAC: a.Rbac, PermissionsInToken: a.PermissionsInToken, Version: a.Version}
}

type apiPage struct {
	API  gen.API
	Form apiForm
}

func (c *Console) api(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "apis")
	var a gen.API
	if err := c.call(r.Context(), s, http.MethodGet, "/apis/"+url.PathEscape(r.PathValue("id")), nil, nil, &a); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	v.Page = apiPage{API: a, Form: apiFormOf(a)}
	c.render(w, r, http.StatusOK, "api", v)
}

func (c *Console) updateAPI(w http.ResponseWriter, r *http.Request, s *session) {
	path := "/apis/" + url.PathEscape(r.PathValue("id"))
	f := apiForm{Name: strings.TrimSpace(r.PostFormValue("name")), Scopes: r.PostFormValue("scopes"),
		Format: r.PostFormValue("token_format"), Lifetime: strings.TrimSpace(r.PostFormValue("lifetime")),
		RBAC: checked(r, "rbac"), PermissionsInToken: checked(r, "permissions_in_token")}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	body := map[string]any{"name": f.Name, "scopes": readScopes(f.Scopes), "token_format": f.Format,
		"rbac": f.RBAC, "permissions_in_token": f.PermissionsInToken}
	var err error
	if n, convErr := strconv.Atoi(f.Lifetime); convErr == nil {
		body["access_token_lifetime_seconds"] = n
		err = c.patch(r, s, path, body)
	} else {
		err = badForm(c.newView(r, s, "").L, "lifetime", f.Lifetime)
	}
	if err != nil {
		var a gen.API
		if gerr := c.call(r.Context(), s, http.MethodGet, path, nil, nil, &a); gerr != nil {
			c.apiFail(w, r, s, gerr)
			return
		}
		f.ID, f.Identifier = a.ID, a.Identifier
		v := c.newView(r, s, "apis")
		v.Problem = asProblem(err)
		v.Page = apiPage{API: a, Form: f}
		c.render(w, r, v.Problem.Status, "api", v)
		return
	}
	back(w, r, Prefix+path, "notice_saved")
}

func (c *Console) deleteAPI(w http.ResponseWriter, r *http.Request, s *session) {
	id := url.PathEscape(r.PathValue("id"))
	c.deleteResource(w, r, s, "/apis/"+id, "/apis/"+id, "/apis")
}

// deleteResource deletes the tenant's resource at the API's path when
// the form's confirmation box was ticked, and goes back to the console's
// list; unticked, back to the console's page.
func (c *Console) deleteResource(w http.ResponseWriter, r *http.Request, s *session, path, page, list string) {
	if !deleteConfirmed(r) {
		back(w, r, Prefix+page, "notice_not_confirmed")
		return
	}
	if err := c.call(r.Context(), s, http.MethodDelete, path, nil, nil, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+list, "notice_resource_deleted")
}
