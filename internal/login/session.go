package login

import (
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/protocol/oidc"
)

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
