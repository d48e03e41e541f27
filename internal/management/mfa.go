package management

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
)

// Second factors: the Admin API lists, removes and resets a user's
// factors (tag mfa); the account API lets the signed-in user enrol, list,
// rename and remove their own (tag account). Changing factors needs a
// recent sign-in (requireRecentAuth). The service (internal/mfa) mails
// the user and records the event of every change.

const errNoMFA = errString("management: no MFA service configured (Deps.MFA)")

// MFAFactorJSON renders a factor without its secret.
func MFAFactorJSON(f *factor.Factor) gen.MFAFactor {
	return gen.MFAFactor{ID: f.ID, Type: gen.MFAFactorType(f.Type), Name: f.Name, Weak: f.Weak,
		CreatedAt: f.CreatedAt, LastUsedAt: f.LastUsedAt}
}

// mfaProblem maps the service's errors; field names the request member a
// wrong code or credential is reported on.
func mfaProblem(err error, field string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mfa.ErrNotFound):
		return httpx.NotFound("No such factor of this user.")
	case errors.Is(err, mfa.ErrUnknownChallenge), errors.Is(err, mfa.ErrChallengeDead):
		return httpx.NotFound("No such enrolment: it never existed, expired, was completed or had too many wrong answers.")
	case errors.Is(err, mfa.ErrInvalidName):
		return httpx.Validation("The name is not valid.", httpx.FieldError{Field: "/name", Message: err.Error()})
	case errors.Is(err, mfa.ErrInvalidCode), errors.Is(err, mfa.ErrReplay):
		return httpx.Validation("The code is wrong.", httpx.FieldError{Field: field, Message: "wrong or expired code"})
	case errors.Is(err, mfa.ErrInvalid):
		return httpx.Validation("The answer could not be verified.", httpx.FieldError{Field: field, Message: err.Error()})
	case errors.Is(err, mfa.ErrRateLimited):
		p := httpx.NewProblem(http.StatusTooManyRequests, httpx.TypeRateLimited, "Too many requests", "Too many attempts; try again later.")
		p.Header = http.Header{"Retry-After": {"60"}}
		return p
	case errors.Is(err, mfa.ErrNotAllowed):
		return httpx.Forbidden("The tenant's MFA policy does not allow this factor here: " + err.Error())
	}
	return err
}

// pageFactors cuts one page out of a user's (few) factors, in ID order.
func pageFactors(fs []factor.Factor, limit *int, cursor *string) (gen.MFAFactorList, error) {
	pg, err := page(limit, cursor)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	out := gen.MFAFactorList{Items: []gen.MFAFactor{}, NextCursor: nextCursor("")}
	for i := range fs {
		if fs[i].ID <= pg.After {
			continue
		}
		if len(out.Items) == pg.Limit {
			out.NextCursor = nextCursor(out.Items[len(out.Items)-1].ID)
			break
		}
		out.Items = append(out.Items, MFAFactorJSON(&fs[i]))
	}
	return out, nil
}

// ---- Admin API ----

func (a *API) adminMFATarget(ctx context.Context, tenant, userID string) (mfa.Target, error) {
	if a.mfa == nil {
		return mfa.Target{}, httpx.Internal(errNoMFA)
	}
	sc, err := a.scope(ctx, tenant)
	if err != nil {
		return mfa.Target{}, err
	}
	if err := requireUser(ctx, sc, userID); err != nil {
		return mfa.Target{}, err
	}
	return mfa.Target{Tenant: sc.Tenant, Store: sc.Store}, nil
}

// actor names the API key behind an admin request for the audit event.
func actor(ctx context.Context) string {
	p := principalFrom(ctx)
	switch {
	case p == nil:
		return ""
	case p.KeyID == "":
		return "admin-token"
	}
	return p.KeyID
}

func (a *API) listUserFactors(ctx context.Context, tenant, userID string, limit *int, cursor *string) (gen.MFAFactorList, error) {
	tg, err := a.adminMFATarget(ctx, tenant, userID)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	fs, err := a.mfa.Factors(ctx, tg, userID)
	if err != nil {
		return gen.MFAFactorList{}, err
	}
	return pageFactors(fs, limit, cursor)
}

func (a *API) deleteUserFactor(ctx context.Context, tenant, userID, factorID string) error {
	tg, err := a.adminMFATarget(ctx, tenant, userID)
	if err != nil {
		return err
	}
	return mfaProblem(a.mfa.RemoveFactor(ctx, tg, userID, factorID, actor(ctx)), "")
}

func (a *API) resetUserMFA(ctx context.Context, tenant, userID string) error {
	tg, err := a.adminMFATarget(ctx, tenant, userID)
	if err != nil {
		return err
	}
	return mfaProblem(a.mfa.Reset(ctx, tg, userID, actor(ctx)), "")
}

func (a *API) ListUserMFAFactors(ctx context.Context, r gen.ListUserMFAFactorsRequestObject) (gen.ListUserMFAFactorsResponseObject, error) {
	l, err := a.listUserFactors(ctx, "", r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListUserMFAFactors200JSONResponse(l), nil
}

func (a *API) ListTenantUserMFAFactors(ctx context.Context, r gen.ListTenantUserMFAFactorsRequestObject) (gen.ListTenantUserMFAFactorsResponseObject, error) {
	l, err := a.listUserFactors(ctx, r.Tenant, r.UserID, r.Params.Limit, r.Params.Cursor)
	if err != nil {
		return nil, err
	}
	return gen.ListTenantUserMFAFactors200JSONResponse(l), nil
}

func (a *API) DeleteUserMFAFactor(ctx context.Context, r gen.DeleteUserMFAFactorRequestObject) (gen.DeleteUserMFAFactorResponseObject, error) {
	if err := a.deleteUserFactor(ctx, "", r.UserID, r.FactorID); err != nil {
		return nil, err
	}
	return gen.DeleteUserMFAFactor204Response{}, nil
}

func (a *API) DeleteTenantUserMFAFactor(ctx context.Context, r gen.DeleteTenantUserMFAFactorRequestObject) (gen.DeleteTenantUserMFAFactorResponseObject, error) {
	if err := a.deleteUserFactor(ctx, r.Tenant, r.UserID, r.FactorID); err != nil {
		return nil, err
	}
	return gen.DeleteTenantUserMFAFactor204Response{}, nil
}

func (a *API) ResetUserMFA(ctx context.Context, r gen.ResetUserMFARequestObject) (gen.ResetUserMFAResponseObject, error) {
	if err := a.resetUserMFA(ctx, "", r.UserID); err != nil {
		return nil, err
	}
	return gen.ResetUserMFA204Response{}, nil
}

func (a *API) ResetTenantUserMFA(ctx context.Context, r gen.ResetTenantUserMFARequestObject) (gen.ResetTenantUserMFAResponseObject, error) {
	if err := a.resetUserMFA(ctx, r.Tenant, r.UserID); err != nil {
		return nil, err
	}
	return gen.ResetTenantUserMFA204Response{}, nil
}

// requireRecentAuth refuses an account request whose token stems from a
// sign-in older than reauthMaxAge (RFC 9470 step-up): the client signs
// the user in again, e.g. with max_age=300.
func (a *API) requireRecentAuth(acct *account, what string) error {
	if a.recentAuth(acct) {
		return nil
	}
	p := httpx.NewProblem(http.StatusForbidden, httpx.TypeReauthenticationRequired, "Reauthentication required",
		"Sign in again: "+what+" needs a sign-in less than 5 minutes old.")
	p.Header = http.Header{"Www-Authenticate": {`Bearer realm="gatehouse", error="insufficient_user_authentication", ` +
		`error_description="A more recent authentication is required", max_age=300`}}
	return p
}

// recentAuth reports whether the sign-in behind the token is at most
// reauthMaxAge old.
func (a *API) recentAuth(acct *account) bool {
	at := acct.token.AuthTime
	return at != 0 && a.now().Sub(time.Unix(at, 0)) <= reauthMaxAge
}
