package saml

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The SAML endpoints' two pages: the error page (a request that cannot
// be answered at its ACS — never posted there) and the auto-posting form
// that carries a Response or LogoutResponse to the SP. Both are plain
// HTML with a strict CSP; the form has a visible button, so it works
// without JavaScript, and posts only to http(s) URLs registered for the SP.

// userMessage is what the error page says. The cause goes to the log,
// not the page.
type userMessage string

const (
	errMalformedPost = userMessage("The sign-in request could not be read.")
	errUnknownSP     = userMessage("The application that sent you here is not registered with this identity provider.")
	errUnknownACS    = userMessage("The application asked for its answer at an address that is not registered for it.")
	errSignature     = userMessage("The application's request is not signed as required.")
	errStale         = userMessage("The sign-in request has expired. Go back to the application and try again.")
	errReplayed      = userMessage("This sign-in request was already used. Go back to the application and try again.")
	errBadRequest    = userMessage("The sign-in request is not valid.")
	errNoPending     = userMessage("This sign-in is unknown, expired or already finished. Go back to the application and try again.")
	errNoEmail       = userMessage("Your account has no email address, which this application needs.")
	errInternal      = userMessage("Something went wrong on our side. Please try again.")
	errBadLogout     = userMessage("The sign-out request is not valid.")
)

// refused shows why ParseAuthnRequest refused a request.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, err error) {
	msg := errBadRequest
	switch {
	case errors.Is(err, samlidp.ErrUnknownSP):
		msg = errUnknownSP
	case errors.Is(err, samlidp.ErrUnknownACS):
		msg = errUnknownACS
	case errors.Is(err, samlidp.ErrSignature):
		msg = errSignature
	case errors.Is(err, samlidp.ErrStale):
		msg = errStale
	case errors.Is(err, samlidp.ErrReplayed):
		msg = errReplayed
	case errors.Is(err, samlidp.ErrMalformed), errors.Is(err, samlidp.ErrTooLarge), errors.Is(err, samlidp.ErrUnsupported):
	default:
		h.internal(w, r, t, "parsing the AuthnRequest", err)
		return
	}
	h.recordType(r, t, EventSSO, "", nil, map[string]any{"outcome": "rejected", "reason": string(msg)})
	h.count("sso", "rejected")
	h.errorPage(w, r, t, http.StatusBadRequest, msg, err)
}

func (h *Handler) internal(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, what string, err error) {
	h.d.Log.ErrorContext(r.Context(), "saml: "+what, "tenant_id", t.ID, "err", err)
	h.errorPage(w, r, t, http.StatusInternalServerError, errInternal, nil)
}

var errorTmpl = template.Must(template.New("e").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in failed</title></head>
<body><main><h1>Sign-in failed</h1><p>{{.}}</p></main></body></html>
`))

const errorCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, status int, msg userMessage, cause error) {
	if cause != nil && status < 500 {
		h.d.Log.InfoContext(r.Context(), "saml: request refused", "tenant_id", t.ID, "msg", string(msg), "err", cause)
	}
	var b bytes.Buffer
	_ = errorTmpl.Execute(&b, string(msg))
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Security-Policy", errorCSP)
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// autoSubmit is the page's one script: it submits the form. Its hash is
// in the CSP; without it the visible button does the same.
const autoSubmit = `document.forms[0].submit()`

var autoSubmitHash = func() string {
	sum := sha256.Sum256([]byte(autoSubmit))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

var postTmpl = template.Must(template.New("p").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Continue</title></head>
<body><main>
<form method="post" action="{{.Action}}">
<input type="hidden" name="{{.Field}}" value="{{.Value}}">{{if .RelayState}}
<input type="hidden" name="RelayState" value="{{.RelayState}}">{{end}}
<p>You are being signed in. If nothing happens, press the button.</p>
<button type="submit">Continue</button>
</form>
</main>
<script>` + autoSubmit + `</script>
</body></html>
`))

// autoPost writes the page that posts field=value (and RelayState) to
// action, which must be an http(s) URL (checked again here).
func (h *Handler) autoPost(w http.ResponseWriter, action, field, value, relayState string) {
	if samlidp.CheckEndpointURL(action) != nil {
		http.Error(w, "refused", http.StatusBadRequest) // unreachable: callers pass registered URLs
		return
	}
	var b bytes.Buffer
	if err := postTmpl.Execute(&b, struct {
		Action       template.URL
		Field, Value string
		RelayState   string
	}{template.URL(action), field, value, relayState}); err != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Security-Policy", "default-src 'none'; script-src "+autoSubmitHash+"; form-action "+formAction(action)+
		"; frame-ancestors 'none'; base-uri 'none'")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Content-Length", strconv.Itoa(b.Len()))
	_, _ = w.Write(b.Bytes())
}
