package login

import (
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

// Sessions and what they owe. A sign-in starts its session at once (the
// cookie is how the browser comes back for the next step), but a sign-in
// that still owes a step — the second factor the tenant's policy asks, the
// risk engine's challenge, a password change — starts a session that is
// not signed in (oauth.Session.Pending). sessions.Manager.Find does not
// return such a session, so nothing but the login's own step pages
// (pendingAccount: the second-factor page and its JSON API, the
// enrolment and password pages) ever takes it for a signed-in user: not
// the account API, not single sign-on or prompt=none, not consent, not
// device approval. Passing a step pays it in the same atomic update that
// records it (sessions.Manager.StepUp, Pay).

// nextURL is where the browser goes after a step of session s on the
// request: the password page when that is all it still owes, the
// second-factor page while it owes a factor or a challenge, else the
// sign-in page, which continues a signed-in request (consent, the client).
func nextURL(in *oidc.Interaction, s *oauth.Session) string {
	switch {
	case s.SignedIn():
		return loginflow.LoginURL(in.Tenant, in.Request.ID)
	case loginflow.OnlyOwes(s, oauth.StepPasswordChange):
		return loginflow.PasswordURL(in)
	}
	return loginflow.MFAURL(in, "")
}
