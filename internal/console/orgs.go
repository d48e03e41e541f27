package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Organizations: list, create, and an organization's members (list, add
// by user ID, remove).

type orgsPage struct {
	Orgs              []gen.Organization
	Next              string
	Name, DisplayName string
}

func (c *Console) orgs(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "orgs")
	v.Notice = noticeOf(r, v.L)
	query := url.Values{"limit": {"50"}}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		query.Set("cursor", cur)
	}
	var list gen.OrganizationList
	if err := c.call(r.Context(), s, http.MethodGet, "/organizations", query, nil, &list); err != nil {
		v.Problem = asProblem(err)
	}
	page := orgsPage{Orgs: list.Items}
	if n, err := list.NextCursor.Get(); err == nil {
		page.Next = n
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "orgs", v)
}

func (c *Console) createOrg(w http.ResponseWriter, r *http.Request, s *session) {
	page := orgsPage{Name: strings.TrimSpace(r.PostFormValue("name")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name"))}
	body := map[string]any{"name": page.Name}
	if page.DisplayName != "" {
		body["display_name"] = page.DisplayName
	}
	var out gen.Organization
	if err := c.call(r.Context(), s, http.MethodPost, "/organizations", nil, body, &out); err != nil {
		v := c.newView(r, s, "orgs")
		v.Problem = asProblem(err)
		v.Page = page
		c.render(w, r, asProblem(err).Status, "orgs", v)
		return
	}
	back(w, r, Prefix+"/organizations/"+url.PathEscape(out.ID), "notice_saved")
}

type orgPage struct {
	Org     gen.Organization
	Members []gen.OrganizationMember
	Next    string
}

func (c *Console) org(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "orgs")
	v.Notice = noticeOf(r, v.L)
	base := "/organizations/" + url.PathEscape(r.PathValue("id"))
	var page orgPage
	if err := c.call(r.Context(), s, http.MethodGet, base, nil, nil, &page.Org); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	query := url.Values{"limit": {"50"}}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		query.Set("cursor", cur)
	}
	var list gen.OrganizationMemberList
	if err := c.call(r.Context(), s, http.MethodGet, base+"/members", query, nil, &list); err != nil {
		v.Problem = asProblem(err)
	}
	page.Members = list.Items
	if n, err := list.NextCursor.Get(); err == nil {
		page.Next = n
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "org", v)
}

func (c *Console) addMember(w http.ResponseWriter, r *http.Request, s *session) {
	base := "/organizations/" + url.PathEscape(r.PathValue("id"))
	uid := strings.TrimSpace(r.PostFormValue("user_id"))
	if err := c.call(r.Context(), s, http.MethodPost, base+"/members", nil, map[string]string{"user_id": uid}, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+base, "notice_member_added")
}

func (c *Console) removeMember(w http.ResponseWriter, r *http.Request, s *session) {
	base := "/organizations/" + url.PathEscape(r.PathValue("id"))
	if err := c.call(r.Context(), s, http.MethodDelete, base+"/members/"+url.PathEscape(r.PathValue("uid")), nil, nil, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+base, "notice_member_removed")
}
