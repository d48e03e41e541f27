package loginflow

import (
	"net/http"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

// TypeMFARequired is the problem type of a consent answered by a session
// that still lacks the second factor its sign-in needs.
const TypeMFARequired = "urn:gatehouse:problem:mfa-required"

// MFARequired is the problem for a session that still lacks the second
// factor the request needs.
func MFARequired(in *oidc.Interaction) error {
	return httpx.NewProblem(http.StatusForbidden, TypeMFARequired, "Second factor required",
		"This sign-in needs a second factor: answer it with loginMFAChallenge and loginMFAVerify, or on the hosted login page at "+MFAURL(in, "")+" in the same browser.")
}

// The JSON API's refusals: a client that is not first-party, and a
// request no signed-in session satisfies.
var (
	ErrNotFirstParty = httpx.Forbidden("Only first-party clients may use the login API.")
	ErrNoSession     = httpx.NewProblem(http.StatusUnauthorized, httpx.TypeUnauthorized, "Unauthorized",
		"Sign in first: no session satisfies the authorization request.")
)
