package console

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/oapi-codegen/nullable"
)

// Helpers of the pages that list, create, edit and delete one kind of
// Admin API resource (APIs, roles, SAML service providers, connections):
// a page of the list, the version a form was read at (sent back as
// If-Match, so an edit made meanwhile is a 412, not lost), and the
// form's lines and checkboxes.

// pageOf reads one page (50, from the request's cursor) of the tenant's
// list at path into out.
func (c *Console) pageOf(r *http.Request, s *session, path string, out any) error {
	query := url.Values{"limit": {"50"}}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		query.Set("cursor", cur)
	}
	return c.call(r.Context(), s, http.MethodGet, path, query, nil, out)
}

// nextOf is a list's next cursor, "" on the last page.
func nextOf(n nullable.Nullable[string]) string {
	v, _ := n.Get()
	return v
}

// ifMatch is the If-Match of the version a form was read at; none when
// the form has none.
func ifMatch(r *http.Request) http.Header {
	v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || v <= 0 {
		return nil
	}
	return http.Header{"If-Match": {`"` + strconv.FormatInt(v, 10) + `"`}}
}

// patch sends a JSON merge patch of the tenant's resource at path, with
// the form's If-Match.
func (c *Console) patch(r *http.Request, s *session, path string, body any) error {
	_, err := c.callHeaders(r.Context(), s, http.MethodPatch, "/admin/v1/tenants/"+url.PathEscape(s.scope.ID)+path,
		ifMatch(r), nil, body, nil)
	return err
}

// formLines are a textarea's non-empty lines, trimmed.
func formLines(v string) []string {
	out := []string{}
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// formList splits a field of values separated by commas, spaces or lines.
func formList(v string) []string {
	return append([]string{}, strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' || r == '\r' || r == '\t' })...)
}

// formMap reads "key = value" lines; a line without "=" is returned as
// bad.
func formMap(v string) (m map[string]string, bad string) {
	m = map[string]string{}
	for _, l := range formLines(v) {
		k, val, ok := strings.Cut(l, "=")
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		if !ok || k == "" || val == "" {
			return nil, l
		}
		m[k] = val
	}
	return m, ""
}

// mapLines writes a map as formMap reads it, sorted by key.
func mapLines(m map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b.WriteString(k + " = " + m[k] + "\n")
	}
	return b.String()
}

// checked reports whether the form's checkbox name was ticked.
func checked(r *http.Request, name string) bool { return r.PostFormValue(name) != "" }

// badForm is the problem of a form field the console could not read.
func badForm(l Catalog, field, line string) *problem {
	return &problem{Status: http.StatusBadRequest, Title: l["error_bad_form"], Detail: field + ": " + line}
}

// deleteConfirmed: a delete form's confirmation box was ticked.
func deleteConfirmed(r *http.Request) bool { return checked(r, "confirm") }

// noticeView is newView with the notice a redirect named.
func (c *Console) noticeView(r *http.Request, s *session, nav string) *view {
	v := c.newView(r, s, nav)
	v.Notice = noticeOf(r, v.L)
	return v
}

// listOf reads one page of the tenant's list at path (pageOf); a failure
// is shown as the view's problem, with an empty list.
func listOf[L any](c *Console, r *http.Request, s *session, v *view, path string) L {
	var list L
	if err := c.pageOf(r, s, path, &list); err != nil {
		v.Problem = asProblem(err)
	}
	return list
}

// afterCreate answers a create form: on err, the page (tmpl, holding the
// form as typed) with the API's problem; else a redirect to the new
// resource's console page to.
func (c *Console) afterCreate(w http.ResponseWriter, r *http.Request, s *session, err error, nav, tmpl string, page any, to string) {
	if err != nil {
		v := c.newView(r, s, nav)
		v.Problem = asProblem(err)
		v.Page = page
		c.render(w, r, v.Problem.Status, tmpl, v)
		return
	}
	back(w, r, Prefix+to, "notice_saved")
}
