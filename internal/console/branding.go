package console

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// Branding: the tenant's logo and brand colour (updateTenant's
// branding), with a preview of the hosted sign-in page drawn on the
// server as SVG, so it needs no script: "Preview" shows the form's values
// without saving them, "Save" sends them with the ETag the form was made
// from (If-Match), so a concurrent change is not overwritten.

var colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

const defaultColor = "#1d4ed8" // the hosted pages' default (internal/loginpage)

type brandingPage struct {
	Logo, Color, ETag string
	Preview           template.HTML
	Previewing        bool
}

func (c *Console) branding(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "branding")
	v.Notice = noticeOf(r, v.L)
	var t gen.Tenant
	h, err := c.callHeaders(r.Context(), s, http.MethodGet, "/admin/v1/tenants/"+s.scope.ID, nil, nil, nil, &t)
	if err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	p := brandingPage{ETag: h.Get("ETag")}
	if t.Branding.LogoURI != nil {
		p.Logo = *t.Branding.LogoURI
	}
	if t.Branding.PrimaryColor != nil {
		p.Color = *t.Branding.PrimaryColor
	}
	p.Preview = previewSVG(v.L, t.DisplayName, p.Color)
	v.Page = p
	c.render(w, r, http.StatusOK, "branding", v)
}

func (c *Console) saveBranding(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.newView(r, s, "branding")
	p := brandingPage{Logo: strings.TrimSpace(r.PostFormValue("logo_uri")), Color: strings.TrimSpace(r.PostFormValue("primary_color")),
		ETag: r.PostFormValue("etag")}
	if r.PostFormValue("action") == "preview" {
		p.Previewing = true
		if p.Color != "" && !colorRe.MatchString(p.Color) {
			v.Problem = &problem{Status: http.StatusBadRequest, Title: v.L["branding_bad_color"]}
		}
		p.Preview = previewSVG(v.L, s.scope.DisplayName, p.Color)
		v.Page = p
		c.render(w, r, http.StatusOK, "branding", v)
		return
	}
	body := map[string]any{"branding": map[string]string{"logo_uri": p.Logo, "primary_color": p.Color}}
	hdr := http.Header{"If-Match": {p.ETag}}
	if _, err := c.callHeaders(r.Context(), s, http.MethodPatch, "/admin/v1/tenants/"+s.scope.ID, hdr, nil, body, nil); err != nil {
		pr := asProblem(err)
		v.Problem = pr
		p.Preview = previewSVG(v.L, s.scope.DisplayName, p.Color)
		v.Page = p
		c.render(w, r, pr.Status, "branding", v)
		return
	}
	back(w, r, Prefix+"/branding", "notice_saved")
}

// previewSVG draws the hosted sign-in page in the colour: a card with the
// fields and the button, its text dark or light as the pages choose it.
func previewSVG(l Catalog, name, color string) template.HTML {
	if !colorRe.MatchString(color) {
		color = defaultColor
	}
	text := "#ffffff"
	if luminance(color) > 0.4 {
		text = "#111827"
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="preview" viewBox="0 0 320 260" role="img" aria-label="%s" id="branding-preview">`, esc(l["branding_preview"]))
	b.WriteString(`<rect x="0" y="0" width="320" height="260" fill="#f3f4f6"></rect>`)
	b.WriteString(`<rect x="30" y="20" width="260" height="220" rx="8" fill="#ffffff" stroke="#d1d5db"></rect>`)
	fmt.Fprintf(&b, `<text x="50" y="55" font-size="16" font-weight="700" fill="#111827">%s</text>`, esc(l["branding_signin"]))
	fmt.Fprintf(&b, `<text x="50" y="75" font-size="11" fill="#374151">%s</text>`, esc(name))
	b.WriteString(`<rect x="50" y="90" width="220" height="30" rx="4" fill="#ffffff" stroke="#6b7280"></rect>`)
	b.WriteString(`<rect x="50" y="132" width="220" height="30" rx="4" fill="#ffffff" stroke="#6b7280"></rect>`)
	fmt.Fprintf(&b, `<rect x="50" y="180" width="220" height="34" rx="4" fill="%s" data-color="%s"></rect>`, color, color)
	fmt.Fprintf(&b, `<text x="160" y="202" font-size="13" font-weight="600" text-anchor="middle" fill="%s">%s</text>`, text, esc(l["branding_signin"]))
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // colour checked against #rrggbb, text escaped
}

// luminance is the WCAG relative luminance of #rrggbb.
func luminance(c string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(c[i:i+2], 16, 8)
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}
