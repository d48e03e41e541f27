package adminapi

import (
	"context"
	"net"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// WebhookJSON renders a subscription (never its secret).
func WebhookJSON(w *store.Webhook) gen.Webhook {
	types := w.EventTypes
	if types == nil {
		types = []string{}
	}
	return gen.Webhook{ID: w.ID, URL: w.URL, Description: optStr(w.Description), EventTypes: types, Enabled: w.Enabled,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Version: w.Version}
}

// DeliveryJSON renders one outbox row.
func DeliveryJSON(d *store.Delivery) gen.WebhookDelivery {
	out := gen.WebhookDelivery{ID: d.ID, EventID: d.EventID, EventType: d.EventType, UserID: optStr(d.UserID),
		Status: gen.WebhookDeliveryStatus(d.Status), Attempts: d.Attempts, LastError: optStr(d.LastError), CreatedAt: d.CreatedAt}
	out.NextAttemptAt.SetNull()
	out.DeliveredAt.SetNull()
	if d.Status == store.DeliveryPending {
		out.NextAttemptAt.Set(d.NextAttemptAt)
	}
	if d.DeliveredAt != nil {
		out.DeliveredAt.Set(*d.DeliveredAt)
	}
	return out
}

// checkWebhookURL allows https anywhere and plain http only to this
// machine, where no network sits between Gatehouse and the receiver.
func checkWebhookURL(raw string) error {
	bad := func(msg string) error {
		return httpx.Validation("The webhook URL is not allowed.", httpx.FieldError{Field: "/url", Message: msg})
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return bad("must be an absolute URL")
	}
	if u.User != nil || u.Fragment != "" {
		return bad("must not carry credentials or a fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		h := strings.ToLower(u.Hostname())
		if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return bad("http is allowed only to a loopback address; use https")
	}
	return bad("the scheme must be https (or http to a loopback address)")
}

func (a *Webhooks) ListWebhooks(ctx context.Context, r gen.ListWebhooksRequestObject) (gen.ListWebhooksResponseObject, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	items, next, err := sc.Store.Webhooks().List(ctx, sc.Tenant.ID, pg)
	if err != nil {
		return nil, err
	}
	out := gen.WebhookList{Items: make([]gen.Webhook, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = WebhookJSON(&items[i])
	}
	return gen.ListWebhooks200JSONResponse(out), nil
}

func (a *Webhooks) CreateWebhook(ctx context.Context, r gen.CreateWebhookRequestObject) (gen.CreateWebhookResponseObject, error) {
	sc := tenancy.From(ctx)
	in := r.Body
	if err := checkWebhookURL(in.URL); err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	w := &store.Webhook{TenantID: sc.Tenant.ID, ID: id.String(), URL: in.URL, Description: restapi.Val(in.Description),
		EventTypes: restapi.Val(in.EventTypes), Enabled: in.Enabled == nil || *in.Enabled}
	plain := audit.NewSecret()
	if w.SecretSealed, err = audit.SealSecret(a.svc.Keyring, w.TenantID, w.ID, plain); err != nil {
		return nil, err
	}
	if err := sc.Store.Webhooks().Create(ctx, w); err != nil {
		return nil, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "webhook.created", "", map[string]any{"webhook_id": w.ID, "url": w.URL})
	j := WebhookJSON(w)
	out := gen.WebhookWithSecret{ID: j.ID, URL: j.URL, Description: j.Description, EventTypes: j.EventTypes,
		Enabled: j.Enabled, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt, Version: j.Version, Secret: plain}
	loc := "/admin/v1/webhooks/" + w.ID
	return gen.CreateWebhook201JSONResponse{Body: out, Headers: gen.CreateWebhook201ResponseHeaders{ETag: restapi.ETag(w.Version), Location: &loc}}, nil
}

func (a *Webhooks) GetWebhook(ctx context.Context, r gen.GetWebhookRequestObject) (gen.GetWebhookResponseObject, error) {
	sc := tenancy.From(ctx)
	w, err := sc.Store.Webhooks().Get(ctx, sc.Tenant.ID, r.WebhookID)
	if err != nil {
		return nil, err
	}
	return gen.GetWebhook200JSONResponse{Body: WebhookJSON(w), Headers: gen.GetWebhook200ResponseHeaders{ETag: restapi.ETag(w.Version)}}, nil
}

func (a *Webhooks) UpdateWebhook(ctx context.Context, r gen.UpdateWebhookRequestObject) (gen.UpdateWebhookResponseObject, error) {
	sc := tenancy.From(ctx)
	version, in, err := restapi.Patch(r.Params.IfMatch, r.JSONBody, r.ApplicationMergePatchPlusJSONBody)
	if err != nil {
		return nil, err
	}
	if in.URL != nil {
		if err := checkWebhookURL(*in.URL); err != nil {
			return nil, err
		}
	}
	w, err := sc.Store.Webhooks().Update(ctx, sc.Tenant.ID, r.WebhookID, version, func(w *store.Webhook) error {
		if in.URL != nil {
			w.URL = *in.URL
		}
		if in.Description != nil {
			w.Description = *in.Description
		}
		if in.EventTypes != nil {
			w.EventTypes = *in.EventTypes
		}
		if in.Enabled != nil {
			w.Enabled = *in.Enabled
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "webhook.updated", "", map[string]any{"webhook_id": w.ID})
	return gen.UpdateWebhook200JSONResponse{Body: WebhookJSON(w), Headers: gen.UpdateWebhook200ResponseHeaders{ETag: restapi.ETag(w.Version)}}, nil
}

func (a *Webhooks) DeleteWebhook(ctx context.Context, r gen.DeleteWebhookRequestObject) (gen.DeleteWebhookResponseObject, error) {
	sc := tenancy.From(ctx)
	if err := sc.Store.Webhooks().Delete(ctx, sc.Tenant.ID, r.WebhookID); err != nil {
		return nil, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "webhook.deleted", "", map[string]any{"webhook_id": r.WebhookID})
	return gen.DeleteWebhook204Response{}, nil
}

func (a *Webhooks) ListWebhookDeliveries(ctx context.Context, r gen.ListWebhookDeliveriesRequestObject) (gen.ListWebhookDeliveriesResponseObject, error) {
	sc := tenancy.From(ctx)
	pg, err := restapi.Page(r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	if _, err := sc.Store.Webhooks().Get(ctx, sc.Tenant.ID, r.WebhookID); err != nil {
		return nil, err
	}
	items, next, err := sc.Store.Webhooks().Deliveries(ctx, sc.Tenant.ID, r.WebhookID, pg)
	if err != nil {
		return nil, err
	}
	out := gen.WebhookDeliveryList{Items: make([]gen.WebhookDelivery, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = DeliveryJSON(&items[i])
	}
	return gen.ListWebhookDeliveries200JSONResponse(out), nil
}
