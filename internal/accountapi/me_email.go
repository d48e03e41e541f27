package accountapi

import (
	"context"
	"errors"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/accounts"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/restapi"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// Email change (internal/accounts, email.go): a code to the new
// address, then the switch and a notice to the old one. Mails are in
// English: the strict handlers do not see Accept-Language.

func meTarget(ctx context.Context, acct *account) accounts.Target {
	t := tenancy.From(ctx)
	name := t.DisplayName
	if name == "" {
		name = t.Slug
	}
	return accounts.Target{Scope: t, Name: name, IP: acct.ip,
		EmailChangeURL: t.Issuer + "/email/confirm"}
}

func (a *Email) startMyEmailChange(ctx context.Context, tenant string, in *gen.EmailChange) error {
	acct, sc, err := meScope(ctx, tenant)
	if err != nil {
		return err
	}
	if a.accounts == nil {
		return httpx.Internal(errNoOnboarding)
	}
	if in == nil || in.CurrentPassword == nil {
		return httpx.Validation("new_email and current_password are required.")
	}
	userID := acct.token.UserID
	ok, err := a.svc.VerifyPassword(ctx, sc, userID, *in.CurrentPassword)
	if err != nil {
		return err
	}
	if !ok {
		return incorrectPassword()
	}
	u, err := sc.Store.Users().Get(ctx, sc.Tenant.ID, userID)
	if err != nil {
		return err
	}
	err = a.accounts.StartEmailChange(ctx, meTarget(ctx, acct), u, string(in.NewEmail), "en")
	var soon *accounts.ErrTooSoon
	if errors.As(err, &soon) {
		return ratelimit.TooManyRequests(soon.RetryAfter)
	}
	return err
}

func (a *Email) verifyMyEmailChange(ctx context.Context, tenant string, in *gen.EmailChangeVerification) (gen.User, error) {
	acct, sc, err := meScope(ctx, tenant)
	if err != nil {
		return gen.User{}, err
	}
	if a.accounts == nil {
		return gen.User{}, httpx.Internal(errNoOnboarding)
	}
	if in == nil {
		return gen.User{}, httpx.Validation("A code is required.")
	}
	u, err := a.accounts.ConfirmEmailChange(ctx, meTarget(ctx, acct), acct.token.UserID, in.Code, "en")
	if errors.Is(err, accounts.ErrInvalidCode) {
		return gen.User{}, httpx.Validation("The code is wrong, expired or used up.",
			httpx.FieldError{Field: "/code", Message: "invalid or expired code"})
	}
	if err != nil {
		return gen.User{}, err
	}
	return restapi.UserWithPassword(ctx, a.svc, sc, u)
}

func (a *Email) StartMyEmailChange(ctx context.Context, r gen.StartMyEmailChangeRequestObject) (gen.StartMyEmailChangeResponseObject, error) {
	if err := a.startMyEmailChange(ctx, "", r.Body); err != nil {
		return nil, err
	}
	return gen.StartMyEmailChange202Response{}, nil
}

func (a *Email) VerifyMyEmailChange(ctx context.Context, r gen.VerifyMyEmailChangeRequestObject) (gen.VerifyMyEmailChangeResponseObject, error) {
	u, err := a.verifyMyEmailChange(ctx, "", r.Body)
	if err != nil {
		return nil, err
	}
	return gen.VerifyMyEmailChange200JSONResponse{Body: u, Headers: gen.VerifyMyEmailChange200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}

func (a *Email) StartTenantMyEmailChange(ctx context.Context, r gen.StartTenantMyEmailChangeRequestObject) (gen.StartTenantMyEmailChangeResponseObject, error) {
	if err := a.startMyEmailChange(ctx, r.Tenant, r.Body); err != nil {
		return nil, err
	}
	return gen.StartTenantMyEmailChange202Response{}, nil
}

func (a *Email) VerifyTenantMyEmailChange(ctx context.Context, r gen.VerifyTenantMyEmailChangeRequestObject) (gen.VerifyTenantMyEmailChangeResponseObject, error) {
	u, err := a.verifyMyEmailChange(ctx, r.Tenant, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.VerifyTenantMyEmailChange200JSONResponse{Body: u, Headers: gen.VerifyTenantMyEmailChange200ResponseHeaders{ETag: restapi.ETag(u.Version)}}, nil
}
