package oauthhttp

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	httphelper "github.com/zitadel/oidc/v3/pkg/http"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Mix-up defence (RFC 9207): every authorization response, success or
// error, carries the issuer as "iss", so a client that talks to several
// issuers (tenants share one host) can tell which one answered. Responses
// the hosted login completes go through an authorizer whose encoder adds
// the parameter; errors the engine redirects from /authorize itself are
// rewritten on their way out.

// issEncoder adds iss to every authorization response it encodes.
type issEncoder struct {
	httphelper.Encoder
	issuer string
}

func (e issEncoder) Encode(src any, dst map[string][]string) error {
	if err := e.Encoder.Encode(src, dst); err != nil {
		return err
	}
	dst["iss"] = []string{e.issuer}
	return nil
}

// IssuerAuthorizer is the engine with an issuer in its encoder: every
// authorization response it encodes carries iss.
type IssuerAuthorizer struct {
	*op.Provider
	enc issEncoder
}

// Encoder implements op.Authorizer.
func (a IssuerAuthorizer) Encoder() httphelper.Encoder { return a.enc }

// Authorizer answers authorization requests of the issuer through engine.
func Authorizer(engine *op.Provider, issuer string) IssuerAuthorizer {
	return IssuerAuthorizer{Provider: engine, enc: issEncoder{Encoder: engine.Encoder(), issuer: issuer}}
}

// IssRedirects makes w add issuer as iss to the redirects /authorize
// sends to the client; a redirect to login (the hosted login's URL
// prefix, under the issuer) is left alone.
func IssRedirects(w http.ResponseWriter, issuer, login string) http.ResponseWriter {
	return &issRedirects{ResponseWriter: w, issuer: issuer, login: login}
}

type issRedirects struct {
	http.ResponseWriter
	issuer, login string
}

func (w *issRedirects) WriteHeader(code int) {
	if code >= 300 && code < 400 {
		if loc := w.Header().Get("Location"); loc != "" && !strings.HasPrefix(loc, w.login) {
			w.Header().Set("Location", withIss(loc, w.issuer))
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *issRedirects) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withIss adds iss to a response URL where its other parameters are: the
// fragment when it carries them, else the query. The rest of the URL is
// kept byte for byte.
func withIss(loc, issuer string) string {
	param := "iss=" + url.QueryEscape(issuer)
	base, frag, hasFrag := strings.Cut(loc, "#")
	if hasFrag {
		if v, err := url.ParseQuery(frag); err == nil && v.Has("iss") {
			return loc
		}
		return base + "#" + join(frag, param)
	}
	path, query, _ := strings.Cut(loc, "?")
	if v, err := url.ParseQuery(query); err == nil && v.Has("iss") {
		return loc
	}
	return path + "?" + join(query, param)
}

func join(params, param string) string {
	if params == "" {
		return param
	}
	return params + "&" + param
}

// formPostTmpl answers response_mode=form_post (OAuth 2.0 Form Post
// Response Mode) with every response parameter; the engine's page knows
// a fixed list that lacks iss. The onload handler is the engine's, byte
// for byte: the hosted login's CSP allows exactly that handler by hash.
var formPostTmpl = template.Must(template.New("form_post").Parse(`<!doctype html>
<html>
<head><meta charset="UTF-8" /></head>
<body onload="javascript:document.forms[0].submit()">
<form method="post" action="{{ .RedirectURI }}">
{{range .Params}}<input type="hidden" name="{{ .Name }}" value="{{ .Value }}"/>
{{end}}</form>
</body>
</html>
`))

type formParam struct{ Name, Value string }

// WriteFormPost writes the auto-submitting page that posts response to
// redirectURI.
func WriteFormPost(w http.ResponseWriter, redirectURI string, response any, enc httphelper.Encoder) error {
	values := map[string][]string{}
	if err := enc.Encode(response, values); err != nil {
		return err
	}
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	slices.Sort(names)
	data := struct {
		RedirectURI string
		Params      []formParam
	}{RedirectURI: redirectURI}
	for _, k := range names {
		for _, v := range values[k] {
			data.Params = append(data.Params, formParam{k, v})
		}
	}
	var buf bytes.Buffer
	if err := formPostTmpl.Execute(&buf, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err := buf.WriteTo(w)
	return err
}
