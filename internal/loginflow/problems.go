package loginflow

import (
	"errors"
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/authn"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
	"github.com/gatehouse-iam/gatehouse/internal/ratelimit"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// TypeInvalidCredentials is the problem type of a failed sign-in.
const TypeInvalidCredentials = "urn:gatehouse:problem:invalid-credentials"

// TypeEmailUnverified is the problem type of a correct sign-in refused
// because the tenant requires a verified email.
const TypeEmailUnverified = "urn:gatehouse:problem:email-unverified"

// apiProblem maps handler errors to problems.
func Problem(err error) error {
	switch {
	case errors.Is(err, oidc.ErrUnknownRequest):
		return httpx.NotFound("The authorization request is unknown or expired.")
	case errors.Is(err, oidc.ErrNotMember):
		return httpx.Forbidden("The account is not a member of the organization the authorization request is for.")
	case errors.Is(err, oidc.ErrNoOrganization):
		return httpx.Forbidden("The application is only for members of an organization, and the account is a member of none.")
	case errors.Is(err, oidc.ErrChooseOrganization):
		return httpx.Forbidden("The application requires an organization and the account is a member of several: " +
			"start the authorization request again with organization={id or name}, or use the hosted login's picker.")
	case errors.Is(err, authn.ErrBadCredentials):
		return httpx.NewProblem(http.StatusUnauthorized, TypeInvalidCredentials, "Invalid credentials",
			"Incorrect email/username or password.")
	case errors.As(err, new(*LimitedError)):
		return LimitedProblem(err)
	case errors.Is(err, authn.ErrEmailUnverified):
		return httpx.NewProblem(http.StatusForbidden, TypeEmailUnverified, "Email not verified",
			"Verify your email first: a new code was sent if the last one is older than a minute. Continue with verifyEmail.")
	case errors.Is(err, store.ErrInvalidInput):
		return httpx.Validation("The request contains text the server cannot store (a NUL character or invalid UTF-8).")
	}
	return err
}

// Problem types of the WebAuthn endpoints (docs/problems.md).
const (
	TypeMFAInvalid = "urn:gatehouse:problem:mfa-invalid"
	TypeMFAExpired = "urn:gatehouse:problem:mfa-challenge-expired"
)

// mfaProblem maps the mfa service's refusals to problems.
func MFAProblem(err error) error {
	switch {
	case errors.Is(err, mfa.ErrInvalidCode), errors.Is(err, mfa.ErrReplay), errors.Is(err, mfa.ErrInvalid):
		return httpx.NewProblem(http.StatusUnauthorized, TypeMFAInvalid, "Verification failed",
			"The passkey or security key could not be verified. Try again.")
	case errors.Is(err, mfa.ErrChallengeDead), errors.Is(err, mfa.ErrUnknownChallenge):
		return httpx.NewProblem(http.StatusGone, TypeMFAExpired, "Challenge expired",
			"The challenge expired or was used up. Start again.")
	case errors.Is(err, mfa.ErrRateLimited):
		return httpx.NewProblem(http.StatusTooManyRequests, httpx.TypeRateLimited, "Too many requests",
			"Too many attempts. Wait a moment and try again.")
	case errors.Is(err, mfa.ErrNotAllowed):
		return httpx.Forbidden("The tenant's policy does not allow this factor.")
	}
	return err
}

// apiLimited maps a rate-limit refusal to 429 with Retry-After.
func LimitedProblem(err error) error {
	var el *LimitedError
	if errors.As(err, &el) {
		return ratelimit.TooManyRequests(el.RetryAfter)
	}
	return err
}

// WrongAnswer reports whether err refused the answer itself (a wrong,
// replayed or malformed code or assertion), not the challenge.
func WrongAnswer(err error) bool {
	return errors.Is(err, mfa.ErrInvalidCode) || errors.Is(err, mfa.ErrReplay) || errors.Is(err, mfa.ErrInvalid)
}
