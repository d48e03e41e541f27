package oidc

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
	"github.com/gatehouse-iam/gatehouse/internal/tokens"
)

// DeviceAuthorization applies the client's grant and scope policy and puts
// the user-code page under the tenant's issuer.
func (s *server) DeviceAuthorization(ctx context.Context, r *op.ClientRequest[oidc.DeviceAuthorizationRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	if !slices.Contains(c.c.GrantTypes, oauth.GrantDeviceCode) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use the device authorization grant")
	}
	// A resource (RFC 8707) is checked as /authorize checks it and kept
	// with the authorization (storage.StoreDeviceAuthorization); the
	// client's scope policy sees the scopes the API does not define.
	ctx, rest, err := s.p.requestResource(ctx, r.Form, c.c.ID, r.Data.Scopes)
	if err != nil {
		return nil, err
	}
	if ctx, err = s.p.authorizeDetails(ctx, r.Form, c.c.ID); err != nil { // rar.go; kept by StoreDeviceAuthorization
		return nil, err
	}
	scopes := []string(r.Data.Scopes)
	if rest != nil {
		scopes = *rest
	}
	for _, sc := range scopes {
		if !c.scopeAllowed(sc) {
			return nil, oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for this client", sc)
		}
	}
	resp, err := s.LegacyServer.DeviceAuthorization(ctx, r)
	if err != nil {
		return nil, err
	}
	if d, ok := resp.Data.(*oidc.DeviceAuthorizationResponse); ok {
		d.VerificationURI = t.Issuer + s.p.devicePath
		d.VerificationURIComplete = d.VerificationURI + "?user_code=" + url.QueryEscape(d.UserCode)
	}
	return resp, nil
}

// DeviceToken answers a device's poll (RFC 8628 3.4-3.5). An approved
// authorization yields tokens once.
func (s *server) DeviceToken(ctx context.Context, r *op.ClientRequest[oidc.DeviceAccessTokenRequest]) (*op.Response, error) {
	t, err := s.tenant(ctx)
	if err != nil {
		return nil, err
	}
	c := r.Client.(*client)
	d, err := devices(t).GetByDeviceCode(ctx, t.ID, tokens.Hash(r.Data.DeviceCode))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, s.p.serverError(ctx, t, c.c.ID, "device token: find device code", err)
	}
	if err != nil || d.ClientID != c.c.ID {
		return nil, oidc.ErrInvalidGrant().WithDescription("unknown device code")
	}
	now := s.p.now()
	if !now.Before(d.ExpiresAt) {
		return nil, oidc.ErrExpiredDeviceCode()
	}
	if d.State == oauth.DevicePending {
		if d, err = s.p.pendingPoll(ctx, t, d, now); err != nil {
			return nil, err
		}
	}
	if d.State == oauth.DeviceDenied {
		return nil, oidc.ErrAccessDenied()
	}
	g := &tokens.Grant{
		UserID: d.UserID, Scopes: d.Scopes, AuthTime: d.AuthTime, AMR: d.AMR,
		Refresh: hasScope(d.Scopes, "offline_access") && slices.Contains(c.c.GrantTypes, oauth.GrantRefreshToken),
		IDToken: hasScope(d.Scopes, "openid"),
	}
	if err := s.p.userResourceGrant(ctx, t, c, d.Resource, r.Form, g); err != nil { // resource.go; before consuming, so a wrong resource spends nothing
		return nil, err
	}
	// The details the user approved, or a subset the poll names (RFC 9396
	// 6.2), checked again as a refresh checks them.
	if g.AuthorizationDetails, err = s.p.refreshDetails(ctx, t, c, r.Form, d.AuthorizationDetails); err != nil { // rar.go
		return nil, err
	}
	// Approved: consume it, so the device code yields tokens only once.
	_, err = devices(t).Update(ctx, t.ID, d.UserCode, func(x *oauth.DeviceAuthorization) error {
		if !now.Before(x.ExpiresAt) || x.State != oauth.DeviceApproved {
			return oidc.ErrExpiredDeviceCode()
		}
		x.ExpiresAt = now.UTC()
		return nil
	})
	var oe *oidc.Error
	if errors.As(err, &oe) {
		return nil, oe
	}
	if err != nil {
		return nil, s.p.serverError(ctx, t, c.c.ID, "device token: consume authorization", err)
	}
	resp, err := s.p.issue(ctx, t, c, oauth.GrantDeviceCode, g)
	if err != nil {
		return nil, err
	}
	return tokenResponseWithDetails(resp, g), nil
}

// SlowDownStep is what a poll that comes too early adds to a device's
// polling interval (RFC 8628 3.5).
const SlowDownStep = 5 * time.Second

// pendingPoll answers a poll of a device authorization that was pending.
// It records the poll with the device code, so every node sees it: a poll
// sooner than the interval after the previous one gets slow_down and
// raises the interval by SlowDownStep for this and every later poll (RFC
// 8628 3.5); otherwise authorization_pending. If the user acted meanwhile
// it returns the authorization as the same transaction read it.
func (p *Provider) pendingPoll(ctx context.Context, t *tenancy.Tenant, cur *oauth.DeviceAuthorization, now time.Time) (*oauth.DeviceAuthorization, error) {
	slow := false
	d, err := devices(t).Update(ctx, t.ID, cur.UserCode, func(x *oauth.DeviceAuthorization) error {
		if !bytes.Equal(x.DeviceCodeHash, cur.DeviceCodeHash) { // the user code went to a new authorization
			return store.ErrNotFound
		}
		if x.State == oauth.DevicePending && x.LastPolledAt != nil && now.Sub(*x.LastPolledAt) < x.PollInterval {
			x.PollInterval += SlowDownStep
			slow = true
		}
		polled := now.UTC()
		x.LastPolledAt = &polled
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, oidc.ErrInvalidGrant().WithDescription("unknown device code")
	case err != nil:
		return nil, p.serverError(ctx, t, cur.ClientID, "device token: record poll", err)
	case slow:
		return nil, oidc.ErrSlowDown().WithDescription("poll at most every %d seconds", int(d.PollInterval/time.Second))
	case d.State == oauth.DevicePending:
		return nil, oidc.ErrAuthorizationPending()
	}
	return d, nil
}

// NormalizeUserCode uppercases a device user code and drops separators,
// so "bcdf-ghjk" and "BCDFGHJK" match.
func NormalizeUserCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, s)
}
