package adminapi

import (
	"context"
	"encoding/hex"
	"encoding/json"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/events"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// recordAdmin notes an admin action ("admin." + action) in the tenant's
// audit log, with the calling API key as the actor. The action already
// happened, so a failure to record it is logged, not returned.
func (a *base) recordAdmin(ctx context.Context, tenantID, action, userID string, data map[string]any) {
	if a.events == nil {
		return
	}
	e := events.Event{TenantID: tenantID, Type: events.AdminAction + action, UserID: userID, ActorID: auditActor(ctx), Data: data}
	if err := a.events.Record(ctx, e); err != nil && a.log != nil {
		a.log.ErrorContext(ctx, "recording an admin action in the audit log failed", "type", e.Type, "err", err)
	}
}

// auditActor names the caller in the audit log: the signed-in user of a
// console session, else the API key, else the bootstrap token.
func auditActor(ctx context.Context) string {
	p := principalFrom(ctx)
	switch {
	case p != nil && p.UserID != "":
		return p.UserID
	case p != nil && p.KeyID != "":
		return p.KeyID
	}
	return "bootstrap-token"
}

// audited is recordAdmin for an action that returned err: it records only
// a success, and passes err on.
func (a *base) audited(ctx context.Context, err error, tenantID, action, userID string, data map[string]any) error {
	if err == nil {
		a.recordAdmin(ctx, tenantID, action, userID, data)
	}
	return err
}

// EventJSON renders an audit record.
func EventJSON(r *store.AuditRecord) gen.Event {
	out := gen.Event{ID: r.ID, Type: r.Type, TenantID: r.TenantID, Seq: r.Seq, Time: r.Time,
		UserID: optStr(r.UserID), ActorID: optStr(r.ActorID), IP: optStr(r.IP), DeviceID: optStr(r.DeviceID),
		UserAgent: optStr(r.UserAgent), Decision: optStr(r.Decision), Reasons: []string{}, Data: map[string]any{},
		PrevHash: hex.EncodeToString(r.PrevHash), Hash: hex.EncodeToString(r.Hash)}
	// Both were encoded by the recorder, so they decode.
	_ = json.Unmarshal([]byte(r.Reasons), &out.Reasons)
	_ = json.Unmarshal([]byte(r.Data), &out.Data)
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	if out.Data == nil {
		out.Data = map[string]any{}
	}
	return out
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *Events) ListEvents(ctx context.Context, r gen.ListEventsRequestObject) (gen.ListEventsResponseObject, error) {
	sc := tenancy.From(ctx)
	p := r.Params
	pg, err := restapi.Page(p.Limit, p.Cursor)
	if err != nil {
		return nil, err
	}
	f := store.AuditFilter{Type: restapi.Val(p.Type), UserID: restapi.Val(p.UserID), IP: restapi.Val(p.IP), Since: restapi.Val(p.Since), Until: restapi.Val(p.Until)}
	if p.Decision != nil {
		f.Decision = string(*p.Decision)
	}
	items, next, err := sc.Store.Audit().List(ctx, sc.Tenant.ID, f, pg)
	if err != nil {
		return nil, err
	}
	erased, err := audit.OpenRecords(ctx, a.svc.Keyring, sc.Store, items)
	if err != nil {
		return nil, err
	}
	out := gen.EventList{Items: make([]gen.Event, len(items)), NextCursor: restapi.NextCursor(next)}
	for i := range items {
		out.Items[i] = EventJSON(&items[i])
		if erased[i] {
			out.Items[i].SubjectErased = &erased[i]
		}
	}
	return gen.ListEvents200JSONResponse(out), nil
}

func (a *Events) GetEvent(ctx context.Context, r gen.GetEventRequestObject) (gen.GetEventResponseObject, error) {
	sc := tenancy.From(ctx)
	rec, err := sc.Store.Audit().Get(ctx, sc.Tenant.ID, r.EventID)
	if err != nil {
		return nil, err
	}
	recs := []store.AuditRecord{*rec}
	erased, err := audit.OpenRecords(ctx, a.svc.Keyring, sc.Store, recs)
	if err != nil {
		return nil, err
	}
	out := EventJSON(&recs[0])
	if erased[0] {
		out.SubjectErased = &erased[0]
	}
	return gen.GetEvent200JSONResponse(out), nil
}
