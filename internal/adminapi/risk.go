package adminapi

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/riskpolicy"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The wire RiskPolicy and riskpolicy.Policy share their JSON member names, so
// converting is a JSON round trip: no member can be forgotten in one
// direction.
func policyFromJSON(in *gen.RiskPolicy) (riskpolicy.Policy, error) {
	var p riskpolicy.Policy
	if in == nil {
		return p, httpx.Validation("A request body is required.")
	}
	b, err := json.Marshal(in)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, err
	}
	var fe *riskpolicy.FieldError
	if err := p.Validate(); errors.As(err, &fe) {
		return p, httpx.Validation("The risk policy is invalid.", httpx.FieldError{Field: "/" + fe.Field, Message: fe.Msg})
	} else if err != nil {
		return p, err
	}
	return p, nil
}

// policyJSON renders the effective policy with every member present.
func policyJSON(p riskpolicy.Policy) (gen.RiskPolicy, error) {
	e := p.Effective()
	var out gen.RiskPolicy
	b, err := json.Marshal(e)
	if err != nil {
		return out, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, err
	}
	out.Shadow = &e.Shadow
	allow, deny := restapi.NonNil(e.AllowCIDRs), restapi.NonNil(e.DenyCIDRs)
	out.AllowCidrs, out.DenyCidrs = &allow, &deny
	return out, nil
}

func (a *Risk) getRiskPolicy(ctx context.Context) (gen.RiskPolicy, error) {
	sc := tenancy.From(ctx)
	p, err := a.svc.Stores.Control().Risk().Policy(ctx, sc.Tenant.ID)
	if err != nil {
		return gen.RiskPolicy{}, err
	}
	return policyJSON(p)
}

func (a *Risk) replaceRiskPolicy(ctx context.Context, body *gen.RiskPolicy) (gen.RiskPolicy, error) {
	sc := tenancy.From(ctx)
	p, err := policyFromJSON(body)
	if err != nil {
		return gen.RiskPolicy{}, err
	}
	if err := a.svc.Stores.Control().Risk().SetPolicy(ctx, sc.Tenant.ID, p); err != nil {
		return gen.RiskPolicy{}, err
	}
	return policyJSON(p)
}

func (a *Risk) riskSummary(ctx context.Context, userID string) (gen.RiskSummary, error) {
	sc := tenancy.From(ctx)
	h, err := sc.Store.Risk().History(ctx, sc.Tenant.ID, userID)
	if err != nil {
		return gen.RiskSummary{}, err
	}
	out := gen.RiskSummary{
		UserID: userID, KnownDevices: seenJSON(h.Devices), KnownCountries: seenJSON(h.Countries),
		KnownNetworks: seenJSON(h.Networks), UsualHoursUtc: []int{}, SuccessfulSignIns: int(h.Successes),
		LockedSources: []gen.RiskLockedSource{},
	}
	for hour := range 24 {
		if h.Hours&(1<<hour) != 0 {
			out.UsualHoursUtc = append(out.UsualHoursUtc, hour)
		}
	}
	if l := h.Last; l != nil {
		in := gen.RiskSignIn{At: l.At, IP: restapi.Ptr(l.IP), Country: restapi.Ptr(l.Country), Factor: restapi.Ptr(l.Factor)}
		if l.HasCoords {
			in.Latitude, in.Longitude = &l.Lat, &l.Lon
		}
		out.LastSignIn = nullable.NewNullableWithValue(in)
	} else {
		out.LastSignIn = nullable.NewNullNullable[gen.RiskSignIn]()
	}
	if a.risk == nil {
		return out, nil
	}
	s, err := a.risk.SummaryOf(ctx, sc.Tenant.ID, userID, h)
	if err != nil {
		return gen.RiskSummary{}, err
	}
	out.AccountFailures, out.FailureWindowSeconds = int(s.AccountFailures), int(s.Window/time.Second)
	for _, l := range s.Locks {
		out.LockedSources = append(out.LockedSources, gen.RiskLockedSource{
			Source: l.Source, RetryAfterSeconds: int(math.Ceil(l.RetryAfter.Seconds())),
		})
	}
	return out, nil
}

func seenJSON(list []riskpolicy.Seen) []gen.RiskSeen {
	out := make([]gen.RiskSeen, 0, len(list))
	for _, s := range list {
		out = append(out, gen.RiskSeen{Value: s.Value, FirstSeenAt: s.First, LastSeenAt: s.Last, SignIns: int(s.Count)})
	}
	return out
}

func (a *Risk) GetRiskPolicy(ctx context.Context, _ gen.GetRiskPolicyRequestObject) (gen.GetRiskPolicyResponseObject, error) {
	out, err := a.getRiskPolicy(ctx)
	if err != nil {
		return nil, err
	}
	return gen.GetRiskPolicy200JSONResponse(out), nil
}

func (a *Risk) ReplaceRiskPolicy(ctx context.Context, r gen.ReplaceRiskPolicyRequestObject) (gen.ReplaceRiskPolicyResponseObject, error) {
	out, err := a.replaceRiskPolicy(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.ReplaceRiskPolicy200JSONResponse(out), nil
}

func (a *Risk) GetTenantRiskPolicy(ctx context.Context, r gen.GetTenantRiskPolicyRequestObject) (gen.GetTenantRiskPolicyResponseObject, error) {
	out, err := a.getRiskPolicy(ctx)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantRiskPolicy200JSONResponse(out), nil
}

func (a *Risk) ReplaceTenantRiskPolicy(ctx context.Context, r gen.ReplaceTenantRiskPolicyRequestObject) (gen.ReplaceTenantRiskPolicyResponseObject, error) {
	out, err := a.replaceRiskPolicy(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.ReplaceTenantRiskPolicy200JSONResponse(out), nil
}

func (a *Risk) GetUserRiskSummary(ctx context.Context, r gen.GetUserRiskSummaryRequestObject) (gen.GetUserRiskSummaryResponseObject, error) {
	out, err := a.riskSummary(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.GetUserRiskSummary200JSONResponse(out), nil
}

func (a *Risk) GetTenantUserRiskSummary(ctx context.Context, r gen.GetTenantUserRiskSummaryRequestObject) (gen.GetTenantUserRiskSummaryResponseObject, error) {
	out, err := a.riskSummary(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantUserRiskSummary200JSONResponse(out), nil
}
