package accountapi

import (
	"net/http"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
)

// requireRecentAuth refuses an account request whose token stems from a
// sign-in older than reauthMaxAge (RFC 9470 step-up): the client signs
// the user in again, e.g. with max_age=300.
func (a *base) requireRecentAuth(acct *account, what string) error {
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
func (a *base) recentAuth(acct *account) bool {
	at := acct.token.AuthTime
	return at != 0 && a.now().Sub(time.Unix(at, 0)) <= reauthMaxAge
}
