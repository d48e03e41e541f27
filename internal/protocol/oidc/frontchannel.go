package oidc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// OIDC Front-Channel Logout 1.0: when end_session ends the browser's own
// session, the browser is sent, on its way to the target, to a page that
// loads each frontchannel_logout_uri of the clients that had tokens in
// the session in a hidden iframe (with iss and sid when the client asked
// for them), then goes on. end_session seals the list and the target in
// a short-lived ticket bound to the tenant, so the page needs no state,
// reveals nothing to whoever lacks the ticket, and redirects nowhere
// end_session would not have.

// frontchannelPath serves the page, under each tenant base.
const frontchannelPath = "/end_session/frontchannel"

const (
	frontchannelPurpose = "oidc-frontchannel-logout"
	// frontchannelTicketLifetime bounds the redirect from end_session to
	// the page (and a SAML logout on the way).
	frontchannelTicketLifetime = 10 * time.Minute
	// maxFrontchannelFrames bounds the page and the ticket.
	maxFrontchannelFrames = 20
	maxFrontchannelTicket = 16 << 10
)

type frontchannelTicket struct {
	Frames   []string  `json:"f"`
	ReturnTo string    `json:"r"`
	Expires  time.Time `json:"e"`
}

// frontchannelURIs are the iframe URIs for the clients that had tokens
// in session s: read before the session ends, since its end forgets them.
func (p *Provider) frontchannelURIs(ctx context.Context, t *tenancy.Tenant, s *oauth.Session) []string {
	rows, err := t.Store.Logouts().SessionClients(ctx, t.ID, s.ID)
	if err != nil {
		p.log.WarnContext(ctx, "front-channel logout: listing the session's clients failed", "tenant_id", t.ID, "err", err)
		return nil
	}
	var out []string
	for _, r := range rows {
		c, err := p.clients.get(ctx, t, r.ClientID)
		if err != nil || c.c.FrontchannelLogoutURI == "" {
			continue
		}
		u, err := url.Parse(c.c.FrontchannelLogoutURI)
		if err != nil {
			continue
		}
		if c.c.FrontchannelLogoutSessionRequired {
			q := u.Query()
			q.Set("iss", t.Issuer)
			q.Set("sid", s.ID)
			u.RawQuery = q.Encode()
		}
		if out = append(out, u.String()); len(out) == maxFrontchannelFrames {
			break
		}
	}
	return out
}

// frontchannelTarget returns where end_session sends the browser: the
// page when there are frames to load, else returnTo (also on failure,
// which is logged).
func (p *Provider) frontchannelTarget(ctx context.Context, t *tenancy.Tenant, frames []string, returnTo string) string {
	kr := p.keyring()
	if len(frames) == 0 || kr == nil {
		return returnTo
	}
	b, _ := json.Marshal(frontchannelTicket{Frames: frames, ReturnTo: returnTo, Expires: p.now().Add(frontchannelTicketLifetime)})
	sealed, err := kr.Seal(frontchannelPurpose, b, []byte(t.ID))
	if err != nil {
		p.log.WarnContext(ctx, "front-channel logout: sealing the ticket failed", "tenant_id", t.ID, "err", err)
		return returnTo
	}
	return t.Issuer + frontchannelPath + "?ticket=" + base64.RawURLEncoding.EncodeToString(sealed)
}

func (p *Provider) keyring() *secret.Keyring {
	if p.dir == nil {
		return nil
	}
	return p.dir.Keyring
}

var frontchannelPage = template.Must(template.New("fc").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing out</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"></head>
<body><p>Signing you out of your applications…</p>
{{range .Frames}}<iframe src="{{.}}" title="logout" width="0" height="0" style="display:none" sandbox="allow-scripts allow-same-origin"></iframe>
{{end}}<p><a id="next" href="{{.ReturnTo}}">Continue</a></p>
<script nonce="{{.Nonce}}">
(function () {
  var left = document.getElementsByTagName("iframe").length, done = false;
  function next() { if (!done) { done = true; location.replace(document.getElementById("next").href); } }
  Array.prototype.forEach.call(document.getElementsByTagName("iframe"), function (f) {
    f.addEventListener("load", function () { if (--left <= 0) next(); });
    f.addEventListener("error", function () { if (--left <= 0) next(); });
  });
  setTimeout(next, 5000);
})();
</script></body></html>
`))

// serveFrontchannel renders the iframes of a sealed ticket. A ticket that
// does not open (another tenant's, tampered, expired) gets a 400 and
// loads nothing.
func (p *Provider) serveFrontchannel(w http.ResponseWriter, r *http.Request) {
	t := tenancy.From(r.Context())
	raw := r.URL.Query().Get("ticket")
	var tk frontchannelTicket
	ok := false
	if kr := p.keyring(); kr != nil && raw != "" && len(raw) <= maxFrontchannelTicket {
		if sealed, err := base64.RawURLEncoding.DecodeString(raw); err == nil {
			if b, err := kr.Open(frontchannelPurpose, sealed, []byte(t.ID)); err == nil {
				ok = json.Unmarshal(b, &tk) == nil && p.now().Before(tk.Expires) && tk.ReturnTo != "" &&
					len(tk.Frames) <= maxFrontchannelFrames
			}
		}
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	if !ok {
		http.Error(w, "This sign-out link is not valid or has expired.", http.StatusBadRequest)
		return
	}
	nonce := secret.Token(16)
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; frame-src "+
		frameSources(tk.Frames)+"; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_ = frontchannelPage.Execute(w, struct {
		Frames   []template.URL
		ReturnTo string
		Nonce    string
	}{Frames: trustedURLs(tk.Frames), ReturnTo: tk.ReturnTo, Nonce: nonce})
}

// trustedURLs marks the frames' URIs, validated as http(s) when their
// clients registered them and sealed since, as safe for src.
func trustedURLs(in []string) []template.URL {
	out := make([]template.URL, 0, len(in))
	for _, u := range in {
		if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			out = append(out, template.URL(u))
		}
	}
	return out
}

// frameSources are the frames' origins, for the CSP's frame-src.
func frameSources(frames []string) string {
	seen := map[string]bool{}
	var out []string
	for _, f := range frames {
		u, err := url.Parse(f)
		if err != nil || u.Host == "" {
			continue
		}
		o := u.Scheme + "://" + u.Host
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return "'none'"
	}
	return strings.Join(out, " ")
}
