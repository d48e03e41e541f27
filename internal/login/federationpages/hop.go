package federationpages

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
)

// A callback that arrives as a cross-site POST — an OAuth 2.0 form_post
// (Sign in with Apple) or a SAML IdP's HTTP-POST binding to the ACS —
// comes without the state cookie, which is SameSite=Lax: browsers send
// Lax cookies on cross-site top-level GETs only. Rather than weaken the
// cookie to SameSite=None, the callback answers such a POST with a page
// that posts the same answer again, to the same URL, from this origin: a
// same-site POST carries the cookie, and the callback then checks it
// (state in constant time, cleared at once) exactly as it checks a GET.
// The hop posts only the parameters a callback reads, marked with
// hopParam so that a second cookieless POST is refused rather than
// bounced again. It changes nothing an attacker can do: whoever can make
// a victim's browser post a callback could as well make it GET one, and
// the state in the victim's cookie decides either way.

// hopParam marks the re-posted callback.
const hopParam = "gh_hop"

// hopFields are the callback parameters the hop re-posts: OAuth 2.0 /
// OpenID Connect (RFC 6749, RFC 9207, Apple's user) and SAML's
// HTTP-POST binding.
var hopFields = []string{"state", "code", "id_token", "user", "error", "error_description", "error_uri", "iss",
	"SAMLResponse", "RelayState"}

// hopScript submits the form; the visible button does the same without
// scripts. Its hash is the page's only script-src.
const hopScript = `document.getElementById("hop").submit()`

var hopScriptSrc = func() string {
	sum := sha256.Sum256([]byte(hopScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

var hopPage = template.Must(template.New("hop").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signing in</title></head>
<body><main>
<form id="hop" method="post" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<p>Signing you in. If nothing happens, press Continue.</p>
<button type="submit">Continue</button>
</form>
</main>
<script>` + hopScript + `</script>
</body></html>
`))

type hopField struct{ Name, Value string }

// writeHop answers a cookieless POSTed callback with the page that posts
// it again from this origin.
func writeHop(w http.ResponseWriter, r *http.Request) error {
	fields := []hopField{{hopParam, "1"}}
	for _, n := range hopFields {
		if v, ok := r.PostForm[n]; ok && len(v) == 1 {
			fields = append(fields, hopField{n, v[0]})
		}
	}
	var b bytes.Buffer
	// The action is this request's own path: a relative URL on this origin.
	if err := hopPage.Execute(&b, struct {
		Action string
		Fields []hopField
	}{r.URL.EscapedPath(), fields}); err != nil {
		return err
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	// No form-action: the callback answers the re-post with a redirect to
	// the client, which Chromium would check against it; the form's action
	// is fixed here and nothing on the page comes unescaped.
	hdr.Set("Content-Security-Policy", "default-src 'none'; script-src "+hopScriptSrc+"; base-uri 'none'; frame-ancestors 'none'")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")
	hdr.Set("Content-Length", strconv.Itoa(b.Len()))
	_, err := w.Write(b.Bytes())
	return err
}
