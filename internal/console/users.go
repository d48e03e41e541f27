package console

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// Users: search, detail and the actions of the user page, each one Admin
// API operation.

type usersPage struct {
	Query string
	Users []gen.User
	Next  string
}

func (c *Console) users(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "users")
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := usersPage{Query: q}
	query := url.Values{"limit": {"25"}}
	if q != "" {
		query.Set("q", q)
	}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		query.Set("cursor", cur)
	}
	var list gen.UserList
	err := c.call(r.Context(), s, http.MethodGet, "/users", query, nil, &list)
	if err != nil {
		v.Problem = asProblem(err)
	}
	page.Users = list.Items
	if n, err := list.NextCursor.Get(); err == nil {
		page.Next = n
	}
	// An ID is found by its own lookup (the search matches email and
	// username).
	if q != "" && !strings.Contains(q, "@") && len(q) <= 128 {
		var u gen.User
		if c.call(r.Context(), s, http.MethodGet, "/users/"+url.PathEscape(q), nil, nil, &u) == nil {
			page.Users = append([]gen.User{u}, page.Users...)
		}
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "users", v)
}

type userPage struct {
	User      gen.User
	Factors   []gen.MFAFactor
	Sessions  []gen.Session
	Roles     []gen.Role
	Events    []gen.Event
	EventsOff bool // the Admin API serves the default tenant's events only
	Consents  []gen.Consent
	Risk      gen.RiskSummary
	Privacy   []gen.PrivacyPurposeState
}

func (c *Console) user(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "users")
	v.Notice = noticeOf(r, v.L)
	id := r.PathValue("id")
	ctx := r.Context()
	var page userPage
	if err := c.call(ctx, s, http.MethodGet, "/users/"+url.PathEscape(id), nil, nil, &page.User); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	base := "/users/" + url.PathEscape(id)
	var factors gen.MFAFactorList
	var sessions gen.SessionList
	var roles gen.RoleList
	var consents gen.ConsentList
	var privacy gen.PrivacyState
	errs := []error{
		c.call(ctx, s, http.MethodGet, base+"/mfa/factors", nil, nil, &factors),
		c.call(ctx, s, http.MethodGet, base+"/sessions", nil, nil, &sessions),
		c.call(ctx, s, http.MethodGet, base+"/roles", nil, nil, &roles),
		c.call(ctx, s, http.MethodGet, base+"/consents", nil, nil, &consents),
		c.call(ctx, s, http.MethodGet, base+"/risk-summary", nil, nil, &page.Risk),
		c.call(ctx, s, http.MethodGet, base+"/privacy", nil, nil, &privacy),
	}
	page.Privacy = privacy.Purposes
	page.Factors, page.Sessions, page.Roles, page.Consents = factors.Items, sessions.Items, roles.Items, consents.Items
	if s.scope.Slug == identity.DefaultTenantSlug {
		var evs gen.EventList
		errs = append(errs, c.callAt(ctx, s, http.MethodGet, "/admin/v1/events", url.Values{"user_id": {id}, "limit": {"10"}}, nil, &evs))
		page.Events = evs.Items
	} else {
		page.EventsOff = true
	}
	if err := errors.Join(errs...); err != nil {
		v.Problem = asProblem(err)
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "user", v)
}

// confirmDelete asks for the user's email before deleting them.
func (c *Console) confirmDelete(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "users")
	var u gen.User
	if err := c.call(r.Context(), s, http.MethodGet, "/users/"+url.PathEscape(r.PathValue("id")), nil, nil, &u); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	v.Page = map[string]any{"User": u, "Mismatch": r.URL.Query().Get("mismatch") != ""}
	c.render(w, r, http.StatusOK, "delete", v)
}

// userAction runs one action of the user page.
func (c *Console) userAction(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	base := "/users/" + url.PathEscape(id)
	ctx := r.Context()
	var err error
	notice := ""
	switch r.PathValue("action") {
	case "disable":
		err, notice = c.call(ctx, s, http.MethodPost, base+"/disable", nil, nil, nil), "notice_disabled"
	case "enable":
		err, notice = c.call(ctx, s, http.MethodPost, base+"/enable", nil, nil, nil), "notice_enabled"
	case "reset-mfa":
		err, notice = c.call(ctx, s, http.MethodPost, base+"/mfa/reset", nil, nil, nil), "notice_mfa_reset"
	case "revoke":
		err, notice = c.call(ctx, s, http.MethodPost, base+"/tokens/revoke", nil, map[string]bool{"sessions": true}, nil), "notice_revoked"
	case "delete":
		var u gen.User
		if err := c.call(ctx, s, http.MethodGet, base, nil, nil, &u); err != nil {
			c.apiFail(w, r, s, err)
			return
		}
		if !strings.EqualFold(strings.TrimSpace(r.PostFormValue("confirm")), string(u.Email)) {
			back(w, r, Prefix+base+"/delete?mismatch=1", "")
			return
		}
		if err := c.call(ctx, s, http.MethodDelete, base, nil, nil, nil); err != nil {
			c.apiFail(w, r, s, err)
			return
		}
		back(w, r, Prefix+"/users", "notice_deleted")
		return
	default:
		c.fail(w, r, s, http.StatusNotFound, "error_not_found")
		return
	}
	if err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+base, notice)
}

func (c *Console) revokeSession(w http.ResponseWriter, r *http.Request, s *session) {
	base := "/users/" + url.PathEscape(r.PathValue("id"))
	if err := c.call(r.Context(), s, http.MethodDelete, base+"/sessions/"+url.PathEscape(r.PathValue("sid")), nil, nil, nil); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	back(w, r, Prefix+base, "notice_session_revoked")
}

type eventsPage struct {
	Type, User string
	Events     []gen.Event
	Off        bool
	Next       string
	// Tail is the live tail: the newest events, reloaded every
	// tailSeconds until the admin stops it.
	Tail bool
}

// tailSeconds is the live tail's reload interval.
const tailSeconds = 5

// eventsTail is the live tail of the audit log: the events page, newest
// first, reloaded by the browser every few seconds (an HTTP Refresh
// header: no script) until the admin follows "Stop".
func (c *Console) eventsTail(w http.ResponseWriter, r *http.Request, s *session) {
	w.Header().Set("Refresh", strconv.Itoa(tailSeconds))
	c.eventsPage(w, r, s, true)
}

// events lists the audit log, filtered by type and user (the default
// tenant's: the Admin API serves no other tenant's yet).
func (c *Console) events(w http.ResponseWriter, r *http.Request, s *session) {
	c.eventsPage(w, r, s, false)
}

func (c *Console) eventsPage(w http.ResponseWriter, r *http.Request, s *session, tail bool) {
	v := c.newView(r, s, "events")
	q := r.URL.Query()
	page := eventsPage{Type: strings.TrimSpace(q.Get("type")), User: strings.TrimSpace(q.Get("user_id")), Tail: tail}
	if s.scope.Slug != identity.DefaultTenantSlug {
		page.Off = true
	} else {
		query := url.Values{"limit": {"50"}}
		if page.Type != "" {
			query.Set("type", page.Type)
		}
		if page.User != "" {
			query.Set("user_id", page.User)
		}
		if cur := q.Get("cursor"); cur != "" {
			query.Set("cursor", cur)
		}
		var list gen.EventList
		if err := c.callAt(r.Context(), s, http.MethodGet, "/admin/v1/events", query, nil, &list); err != nil {
			v.Problem = asProblem(err)
		}
		page.Events = list.Items
		if n, err := list.NextCursor.Get(); err == nil {
			page.Next = n
		}
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "events", v)
}

// asProblem turns a call's error into what the page shows.
func asProblem(err error) *problem {
	var p *problem
	if errors.As(err, &p) {
		return p
	}
	return &problem{Status: http.StatusInternalServerError, Title: "Internal error"}
}

// apiFail shows the API's refusal with its status (a 4xx stays a 4xx).
func (c *Console) apiFail(w http.ResponseWriter, r *http.Request, s *session, err error) {
	p := asProblem(err)
	if p.Status >= 500 {
		c.d.Log.ErrorContext(r.Context(), "console: Admin API call failed", "err", err)
	}
	v := c.newView(r, s, "")
	v.Problem = p
	v.Page = map[string]string{"Message": p.Detail}
	c.render(w, r, p.Status, "error", v)
}
