package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// Webhooks: list, create (the signing secret shown once, in the answer to
// the form), and a webhook's deliveries with their status. The Admin API
// serves the default tenant's webhooks only (there is no tenant-scoped
// twin), and has no operation to retry a delivery, so neither does the
// console.

type webhooksPage struct {
	Off      bool
	Webhooks []gen.Webhook
	Next     string
	Form     webhookForm
}

type webhookForm struct {
	URL, Description, EventTypes string
}

func (c *Console) webhooks(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "webhooks")
	v.Notice = noticeOf(r, v.L)
	page := webhooksPage{Off: s.scope.Slug != identity.DefaultTenantSlug}
	if !page.Off {
		query := url.Values{"limit": {"50"}}
		if cur := r.URL.Query().Get("cursor"); cur != "" {
			query.Set("cursor", cur)
		}
		var list gen.WebhookList
		if err := c.callAt(r.Context(), s, http.MethodGet, "/admin/v1/webhooks", query, nil, &list); err != nil {
			v.Problem = asProblem(err)
		}
		page.Webhooks = list.Items
		if n, err := list.NextCursor.Get(); err == nil {
			page.Next = n
		}
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "webhooks", v)
}

func (c *Console) createWebhook(w http.ResponseWriter, r *http.Request, s *session) {
	if s.scope.Slug != identity.DefaultTenantSlug {
		c.fail(w, r, s, http.StatusNotFound, "error_not_found")
		return
	}
	f := webhookForm{URL: strings.TrimSpace(r.PostFormValue("url")), Description: strings.TrimSpace(r.PostFormValue("description")),
		EventTypes: r.PostFormValue("event_types")}
	types := append([]string{}, strings.FieldsFunc(f.EventTypes, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' || r == '\r' })...)
	body := map[string]any{"url": f.URL, "event_types": types}
	if f.Description != "" {
		body["description"] = f.Description
	}
	var out gen.WebhookWithSecret
	if err := c.callAt(r.Context(), s, http.MethodPost, "/admin/v1/webhooks", nil, body, &out); err != nil {
		v := c.newView(r, s, "webhooks")
		v.Problem = asProblem(err)
		v.Page = webhooksPage{Form: f}
		c.render(w, r, asProblem(err).Status, "webhooks", v)
		return
	}
	v := c.newView(r, s, "webhooks")
	v.Page = out
	c.render(w, r, http.StatusOK, "webhooksecret", v)
}

type webhookPage struct {
	Webhook    gen.Webhook
	Deliveries []gen.WebhookDelivery
	Next       string
}

func (c *Console) webhook(w http.ResponseWriter, r *http.Request, s *session) {
	if s.scope.Slug != identity.DefaultTenantSlug {
		c.fail(w, r, s, http.StatusNotFound, "error_not_found")
		return
	}
	v := c.newView(r, s, "webhooks")
	base := "/admin/v1/webhooks/" + url.PathEscape(r.PathValue("id"))
	var page webhookPage
	if err := c.callAt(r.Context(), s, http.MethodGet, base, nil, nil, &page.Webhook); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	query := url.Values{"limit": {"50"}}
	if cur := r.URL.Query().Get("cursor"); cur != "" {
		query.Set("cursor", cur)
	}
	var list gen.WebhookDeliveryList
	if err := c.callAt(r.Context(), s, http.MethodGet, base+"/deliveries", query, nil, &list); err != nil {
		v.Problem = asProblem(err)
	}
	page.Deliveries = list.Items
	if n, err := list.NextCursor.Get(); err == nil {
		page.Next = n
	}
	v.Page = page
	c.render(w, r, http.StatusOK, "webhook", v)
}

// webhookBacklog counts the pending deliveries of the default tenant's
// webhooks for the dashboard, reading at most the first 20 webhooks and
// 100 deliveries each (newest first); more is shown as "at least".
func (c *Console) webhookBacklog(r *http.Request, s *session) (n int, more, ok bool) {
	if s.scope.Slug != identity.DefaultTenantSlug {
		return 0, false, false
	}
	var list gen.WebhookList
	if c.callAt(r.Context(), s, http.MethodGet, "/admin/v1/webhooks", url.Values{"limit": {"20"}}, nil, &list) != nil {
		return 0, false, false
	}
	if _, err := list.NextCursor.Get(); err == nil {
		more = true
	}
	for _, wh := range list.Items {
		var d gen.WebhookDeliveryList
		if c.callAt(r.Context(), s, http.MethodGet, "/admin/v1/webhooks/"+url.PathEscape(wh.ID)+"/deliveries", url.Values{"limit": {"100"}}, nil, &d) != nil {
			return 0, false, false
		}
		if _, err := d.NextCursor.Get(); err == nil {
			more = true
		}
		for _, x := range d.Items {
			if x.Status == gen.WebhookDeliveryStatusPending {
				n++
			}
		}
	}
	return n, more, true
}
