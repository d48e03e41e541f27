package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Clients: list, create (the secret shown once, in the answer to the
// form, never stored in a page that can be fetched again), edit redirect
// URIs and grant types, rotate the secret.

// editableGrants are the grant types the console's form offers.
var editableGrants = []string{"authorization_code", "refresh_token", "client_credentials",
	"urn:ietf:params:oauth:grant-type:device_code"}

type clientsPage struct {
	Clients []gen.Client
	Next    string
}

func (c *Console) clients(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "clients")
	v.Notice = noticeOf(r, v.L)
	query := url.Values{"limit": {"50"}}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		query.Set("cursor", cur)
	}
	var list gen.ClientList
	if err := c.call(r.Context(), s, http.MethodGet, "/clients", query, nil, &list); err != nil {
		v.Problem = asProblem(err)
	}
	page := clientsPage{}
	for _, cl := range list.Items {
		if cl.ClientID != ClientID { // the console's own client is not edited here
			page.Clients = append(page.Clients, cl)
		}
	}
	if n, err := list.NextCursor.Get(); err == nil {
		page.Next = n
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "clients", v)
}

// clientForm is the create and edit form.
type clientForm struct {
	ID           string
	Name         string
	RedirectURIs string
	Grants       map[string]bool
	AllGrants    []string
	Public       bool
	Edit         bool
	// APIGrants are the client's API grants (client credentials), shown
	// when Grantable; APIs the tenant's APIs the form offers.
	Grantable   bool
	APIGrants   []gen.ClientAPIGrant
	GrantsNext  string
	APIs        []gen.API
	GrantsError *problem
}

func newForm() clientForm {
	return clientForm{Grants: map[string]bool{"authorization_code": true, "refresh_token": true}, AllGrants: editableGrants}
}

func (c *Console) newClient(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "clients")
	if !v.CanEdit {
		c.fail(w, r, s, http.StatusForbidden, "error_read_only")
		return
	}
	v.Page = newForm()
	c.render(w, r, http.StatusOK, "clientform", v)
}

// readForm reads the posted form.
func readForm(r *http.Request) (clientForm, []string, []string) {
	f := newForm()
	f.Name = strings.TrimSpace(r.PostFormValue("client_name"))
	f.RedirectURIs = r.PostFormValue("redirect_uris")
	f.Public = r.PostFormValue("public") != ""
	f.Grants = map[string]bool{}
	var grants []string
	for _, g := range r.PostForm["grant_types"] {
		if slices.Contains(editableGrants, g) && !f.Grants[g] {
			f.Grants[g] = true
			grants = append(grants, g)
		}
	}
	uris := []string{}
	for _, l := range strings.Split(f.RedirectURIs, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			uris = append(uris, l)
		}
	}
	return f, uris, grants
}

func (c *Console) createClient(w http.ResponseWriter, r *http.Request, s *session) {
	f, uris, grants := readForm(r)
	body := map[string]any{"client_name": f.Name, "redirect_uris": uris, "grant_types": grants}
	if f.Public {
		body["token_endpoint_auth_method"] = "none"
	}
	if slices.Contains(grants, "authorization_code") {
		body["response_types"] = []string{"code"}
	} else {
		body["response_types"] = []string{}
	}
	var out struct {
		ClientID     string `json:"client_id"`
		ClientName   string `json:"client_name"`
		ClientSecret string `json:"client_secret"`
	}
	if err := c.call(r.Context(), s, http.MethodPost, "/clients", nil, body, &out); err != nil {
		v := c.newView(r, s, "clients")
		v.Problem = asProblem(err)
		v.Page = f
		c.render(w, r, http.StatusBadRequest, "clientform", v)
		return
	}
	c.showSecret(w, r, s, out.ClientID, out.ClientName, out.ClientSecret, true)
}

// showSecret answers a create or rotate with the secret, once: the page
// is not stored (no-store) and the secret is not in any URL.
func (c *Console) showSecret(w http.ResponseWriter, r *http.Request, s *session, id, name, sec string, created bool) {
	v := c.newView(r, s, "clients")
	v.Page = map[string]any{"ID": id, "Name": name, "Secret": sec, "Created": created}
	c.render(w, r, http.StatusOK, "secret", v)
}

func (c *Console) client(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "clients")
	v.Notice = noticeOf(r, v.L)
	var cl gen.Client
	if err := c.call(r.Context(), s, http.MethodGet, "/clients/"+url.PathEscape(r.PathValue("id")), nil, nil, &cl); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	f := newForm()
	f.ID, f.Name, f.Edit = cl.ClientID, cl.ClientName, true
	f.RedirectURIs = strings.Join(cl.RedirectUris, "\n")
	f.Public = cl.TokenEndpointAuthMethod == "none"
	f.Grants = map[string]bool{}
	for _, g := range cl.GrantTypes {
		f.Grants[string(g)] = true
	}
	c.loadGrants(r, s, &f)
	v.Page = f
	c.render(w, r, http.StatusOK, "clientform", v)
}

func (c *Console) updateClient(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	f, uris, grants := readForm(r)
	f.ID, f.Edit = id, true
	body := map[string]any{"redirect_uris": uris, "grant_types": grants}
	if f.Name != "" {
		body["client_name"] = f.Name
	}
	if err := c.call(r.Context(), s, http.MethodPatch, "/clients/"+url.PathEscape(id), nil, body, nil); err != nil {
		v := c.newView(r, s, "clients")
		v.Problem = asProblem(err)
		v.Page = f
		c.render(w, r, asProblem(err).Status, "clientform", v)
		return
	}
	back(w, r, Prefix+"/clients/"+url.PathEscape(id), "notice_saved")
}

func (c *Console) rotateSecret(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	var out gen.ClientSecret
	if err := c.call(r.Context(), s, http.MethodPost, "/clients/"+url.PathEscape(id)+"/secret", nil, nil, &out); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	c.showSecret(w, r, s, out.ClientID, "", out.ClientSecret, false)
}

// loadGrants reads the client's API grants (a page of them) and the
// tenant's APIs (the first 100) for the grant form.
func (c *Console) loadGrants(r *http.Request, s *session, f *clientForm) {
	f.Grantable = true
	var grants gen.ClientAPIGrantList
	if err := c.pageOf(r, s, "/clients/"+url.PathEscape(f.ID)+"/apis", &grants); err != nil {
		f.GrantsError = asProblem(err)
		return
	}
	f.APIGrants, f.GrantsNext = grants.Items, nextOf(grants.NextCursor)
	var apis gen.APIList
	if err := c.call(r.Context(), s, http.MethodGet, "/apis", url.Values{"limit": {"100"}}, nil, &apis); err != nil {
		f.GrantsError = asProblem(err)
		return
	}
	f.APIs = apis.Items
}

// grantAPI sets the scopes of an API the client may get with client
// credentials (space-separated; none is refused by the API).
func (c *Console) grantAPI(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	path := "/clients/" + url.PathEscape(id) + "/apis/" + url.PathEscape(r.PostFormValue("api_id"))
	body := map[string]any{"scopes": formList(r.PostFormValue("scopes"))}
	if err := c.call(r.Context(), s, http.MethodPut, path, nil, body, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+"/clients/"+url.PathEscape(id), "notice_saved")
}

func (c *Console) revokeGrant(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	path := "/clients/" + url.PathEscape(id) + "/apis/" + url.PathEscape(r.PathValue("api"))
	if err := c.call(r.Context(), s, http.MethodDelete, path, nil, nil, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+"/clients/"+url.PathEscape(id), "notice_grant_removed")
}
