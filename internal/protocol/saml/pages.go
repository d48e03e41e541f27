package saml

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
	"github.com/gatehouse-iam/gatehouse/internal/loginpage"
	"github.com/gatehouse-iam/gatehouse/internal/samlidp"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The SAML endpoints' two pages: the error page (a request that cannot
// be answered at its ACS — never posted there) and the auto-posting form
// that carries a Response or LogoutResponse to the SP. Both are plain
// HTML with a strict CSP; the form has a visible button, so it works
// without JavaScript, and posts only to http(s) URLs registered for the SP.

// userMessage is the catalog key of what the error page says (the
// hosted login's error page, in the user's language). The cause goes to
// the log, not the page.
type userMessage string

const (
	errMalformedPost = userMessage("saml_error_malformed")
	errUnknownSP     = userMessage("saml_error_unknown_sp")
	errUnknownACS    = userMessage("saml_error_unknown_acs")
	errSignature     = userMessage("saml_error_signature")
	errStale         = userMessage("saml_error_stale")
	errReplayed      = userMessage("saml_error_replayed")
	errBadRequest    = userMessage("saml_error_request")
	errNoPending     = userMessage("saml_error_no_pending")
	errNoEmail       = userMessage("saml_error_no_email")
	errInternal      = userMessage("error_internal")
	errBadLogout     = userMessage("saml_error_logout")
)

func init() {
	loginpage.AddCatalog(loginpage.Catalog{
		"saml_error_malformed":   "The sign-in request could not be read.",
		"saml_error_unknown_sp":  "The application that sent you here is not registered with this identity provider.",
		"saml_error_unknown_acs": "The application asked for its answer at an address that is not registered for it.",
		"saml_error_signature":   "The application's request is not signed as required.",
		"saml_error_stale":       "The sign-in request has expired. Go back to the application and try again.",
		"saml_error_replayed":    "This sign-in request was already used. Go back to the application and try again.",
		"saml_error_request":     "The sign-in request is not valid.",
		"saml_error_no_pending":  "This sign-in is unknown, expired or already finished. Go back to the application and try again.",
		"saml_error_no_email":    "Your account has no email address, which this application needs.",
		"saml_error_logout":      "The sign-out request is not valid.",
		"saml_post_signin":       "You are being signed in. If nothing happens, press the button.",
		"saml_post_signout":      "You are being signed out. If nothing happens, press the button.",
		"saml_post_continue":     "Continue",
	}, loginpage.Catalog{
		"saml_error_malformed":   "Die Anmeldeanfrage kann nicht gelesen werden.",
		"saml_error_unknown_sp":  "Die Anwendung, die Sie hierher geschickt hat, ist bei diesem Identitätsanbieter nicht registriert.",
		"saml_error_unknown_acs": "Die Anwendung möchte ihre Antwort an eine Adresse, die für sie nicht registriert ist.",
		"saml_error_signature":   "Die Anfrage der Anwendung ist nicht wie verlangt signiert.",
		"saml_error_stale":       "Die Anmeldeanfrage ist abgelaufen. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.",
		"saml_error_replayed":    "Diese Anmeldeanfrage wurde bereits verwendet. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.",
		"saml_error_request":     "Die Anmeldeanfrage ist ungültig.",
		"saml_error_no_pending":  "Diese Anmeldung ist unbekannt, abgelaufen oder bereits abgeschlossen. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.",
		"saml_error_no_email":    "Ihr Konto hat keine E-Mail-Adresse, die diese Anwendung aber braucht.",
		"saml_error_logout":      "Die Abmeldeanfrage ist ungültig.",
		"saml_post_signin":       "Sie werden angemeldet. Wenn nichts passiert, drücken Sie die Schaltfläche.",
		"saml_post_signout":      "Sie werden abgemeldet. Wenn nichts passiert, drücken Sie die Schaltfläche.",
		"saml_post_continue":     "Weiter",
	})
}

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

// errorPage shows msg on the hosted login's error page, in the user's
// language and the tenant's branding (never a form to an SP).
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, status int, msg userMessage, cause error) {
	if cause != nil && status < 500 {
		h.d.Log.InfoContext(r.Context(), "saml: request refused", "tenant_id", t.ID, "msg", string(msg), "err", cause)
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.pages.RenderError(w, r, h.pages.View(t, loginflow.Lang(nil, r)), status, string(msg), "")
}

// autoSubmit is the page's one script: it submits the form. Its hash is
// in the CSP; without it the visible button does the same.
const autoSubmit = `document.forms[0].submit()`

var autoSubmitHash = func() string {
	sum := sha256.Sum256([]byte(autoSubmit))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

var postTmpl = template.Must(template.New("p").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Button}}</title></head>
<body><main>
<form method="post" action="{{.Action}}">
<input type="hidden" name="{{.Field}}" value="{{.Value}}">{{if .RelayState}}
<input type="hidden" name="RelayState" value="{{.RelayState}}">{{end}}
<p>{{.Text}}</p>
<button type="submit">{{.Button}}</button>
</form>
</main>
<script>` + autoSubmit + `</script>
</body></html>
`))

// postPage renders the auto-posting page: field=value (and RelayState)
// to action, which must be an http(s) URL (checked again here), with the
// catalog's text under key.
func postPage(r *http.Request, action, field, value, relayState, key string) ([]byte, error) {
	if err := samlidp.CheckEndpointURL(action); err != nil {
		return nil, err
	}
	lang := loginflow.Lang(nil, r)
	l := loginpage.Catalogs[lang]
	var b bytes.Buffer
	err := postTmpl.Execute(&b, struct {
		Lang                     string
		Action                   template.URL
		Field, Value             string
		RelayState, Text, Button string
	}{lang.String(), template.URL(action), field, value, relayState, l[key], l["saml_post_continue"]})
	return b.Bytes(), err
}

// postHeaders are the auto-posting page's: its one script, a form only
// to action's origin.
func postHeaders(hdr http.Header, action string) {
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Security-Policy", "default-src 'none'; script-src "+autoSubmitHash+"; form-action "+formAction(action)+
		"; frame-ancestors 'none'; base-uri 'none'")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
}

// autoPost writes the page that posts a Response to the ACS.
func (h *Handler) autoPost(w http.ResponseWriter, r *http.Request, t *tenancy.Tenant, action, field, value, relayState string) {
	b, err := postPage(r, action, field, value, relayState, "saml_post_signin")
	if err != nil {
		h.internal(w, r, t, "rendering the form", err) // unreachable: callers pass registered URLs
		return
	}
	postHeaders(w.Header(), action)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// The pages crewjam's single logout writes (samlidp.SLOPages) go through
// the same auto-posting page: post renders it, and pageWriter gives it
// its headers. A refusal (crewjam's plain 4xx/5xx) is held back, for the
// caller to show its own error page instead.
var (
	sloRequestTmpl  = template.Must(template.New("r").Funcs(template.FuncMap{"post": noPost}).Parse(`{{post .URL "SAMLRequest" .SAMLRequest ""}}`))
	sloResponseTmpl = template.Must(template.New("s").Funcs(template.FuncMap{"post": noPost}).Parse(`{{post .URL "SAMLResponse" .SAMLResponse .RelayState}}`))
)

func noPost(string, string, string, string) (template.HTML, error) {
	return "", errors.New("saml: template used without pageWriter")
}

type pageWriter struct {
	http.ResponseWriter
	r       *http.Request
	action  string // the form's target, once post rendered one
	refused int    // the status of a refusal held back
	wrote   bool
}

func (p *pageWriter) WriteHeader(code int) {
	if p.wrote || p.refused != 0 {
		return
	}
	if code >= 400 {
		p.refused = code
		return
	}
	p.wrote = true
	if strings.HasPrefix(p.Header().Get("Content-Type"), "text/html") {
		postHeaders(p.Header(), p.action)
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *pageWriter) Write(b []byte) (int, error) {
	if p.refused != 0 {
		return len(b), nil
	}
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

// sloPages are this request's single logout pages.
func (p *pageWriter) sloPages() samlidp.SLOPages {
	funcs := template.FuncMap{"post": func(action, field, value, relayState string) (template.HTML, error) {
		b, err := postPage(p.r, action, field, value, relayState, "saml_post_signout")
		if err != nil {
			return "", err
		}
		p.action = action
		return template.HTML(b), nil // #nosec G203 -- postTmpl escaped it
	}}
	return samlidp.SLOPages{
		LogoutRequestForm: template.Must(sloRequestTmpl.Clone()).Funcs(funcs),
		ResponseForm:      template.Must(sloResponseTmpl.Clone()).Funcs(funcs),
	}
}
