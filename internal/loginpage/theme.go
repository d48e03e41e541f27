package loginpage

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// A tenant's primary colour reaches the pages as CSS custom properties in
// theme.css, a stylesheet of our own origin: the CSP allows no inline
// styles. The text colour on the brand colour and the link colour are
// chosen so that contrast stays at WCAG AA (4.5:1) whatever colour a
// tenant picks.

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Defaults, all AA on white: brand #1d4ed8 is 6.7:1.
const (
	defaultBrand = "#1d4ed8"
	darkText     = "#111827"
	lightText    = "#ffffff"
)

func themeCSS(b Branding) string {
	brand := defaultBrand
	if hexColor.MatchString(b.PrimaryColor) {
		brand = b.PrimaryColor
	}
	// Mid-tones readable with neither text colour are darkened until white
	// text reaches AA.
	for contrast(brand, lightText) < 4.5 && contrast(brand, darkText) < 4.5 {
		brand = darken(brand)
	}
	on := lightText
	if contrast(brand, lightText) < contrast(brand, darkText) {
		on = darkText
	}
	link := brand
	if contrast(brand, lightText) < 4.5 { // the page background is white
		link = defaultBrand
	}
	return fmt.Sprintf(":root{--brand:%s;--on-brand:%s;--link:%s}\n", brand, on, link)
}

// darken moves a #rrggbb colour a tenth of the way to black.
func darken(c string) string {
	out := "#"
	for i := range 3 {
		v, _ := strconv.ParseUint(c[1+2*i:3+2*i], 16, 8)
		out += fmt.Sprintf("%02x", v*9/10)
	}
	return out
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the WCAG 2 relative luminance of #rrggbb.
func luminance(c string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(c[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(0) + 0.7152*ch(1) + 0.0722*ch(2)
}
