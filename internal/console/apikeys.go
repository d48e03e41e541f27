package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// API keys: list, create (the bearer token shown once, in the answer to
// the form), revoke. The API refuses a scope the admin lacks.

var apiKeyScopes = []string{"users:read", "users:write", "clients:read", "clients:write", "events:read",
	"keys:read", "keys:write", "webhooks:read", "webhooks:write", "api_keys:read", "api_keys:write",
	"tenants:read", "tenants:write", "admin"}

type apiKeysPage struct {
	Keys   []gen.APIKey
	Next   string
	Scopes []string
	Name   string
	Picked map[string]bool
}

func (c *Console) apiKeys(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "apikeys")
	v.Notice = noticeOf(r, v.L)
	query := url.Values{"limit": {"50"}}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		query.Set("cursor", cur)
	}
	var list gen.APIKeyList
	if err := c.call(r.Context(), s, http.MethodGet, "/api-keys", query, nil, &list); err != nil {
		v.Problem = asProblem(err)
	}
	page := apiKeysPage{Keys: list.Items, Scopes: apiKeyScopes, Picked: map[string]bool{}}
	if n, err := list.NextCursor.Get(); err == nil {
		page.Next = n
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "apikeys", v)
}

func (c *Console) createAPIKey(w http.ResponseWriter, r *http.Request, s *session) {
	page := apiKeysPage{Scopes: apiKeyScopes, Name: strings.TrimSpace(r.PostFormValue("name")), Picked: map[string]bool{}}
	scopes := []string{}
	for _, sc := range r.PostForm["scopes"] {
		if slices.Contains(apiKeyScopes, sc) && !page.Picked[sc] {
			page.Picked[sc] = true
			scopes = append(scopes, sc)
		}
	}
	var out gen.APIKeyWithToken
	if err := c.call(r.Context(), s, http.MethodPost, "/api-keys", nil, map[string]any{"name": page.Name, "scopes": scopes}, &out); err != nil {
		v := c.newView(r, s, "apikeys")
		v.Problem = asProblem(err)
		v.Page = page
		c.render(w, r, asProblem(err).Status, "apikeys", v)
		return
	}
	v := c.newView(r, s, "apikeys")
	v.Page = out
	c.render(w, r, http.StatusOK, "apikeysecret", v)
}

func (c *Console) revokeAPIKey(w http.ResponseWriter, r *http.Request, s *session) {
	if err := c.call(r.Context(), s, http.MethodDelete, "/api-keys/"+url.PathEscape(r.PathValue("id")), nil, nil, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+"/api-keys", "notice_key_revoked")
}
