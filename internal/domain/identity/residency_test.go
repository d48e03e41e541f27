package identity

import (
	"strings"
	"testing"
)

func TestResidencyPlace(t *testing.T) {
	byCountry := Residency{Mode: ResidencyByCountry, Countries: map[string]string{"DE": "eu", "US": "us"}, Fallback: "eu"}
	choice := Residency{Mode: ResidencyChoice, Regions: []string{"us", "eu"}}
	for _, c := range []struct {
		name            string
		p               Residency
		country, chosen string
		want            string
		ok              bool
	}{
		{"no policy", Residency{}, "US", "", "", true},
		{"no policy refuses a pick", Residency{}, "", "eu", "", false},
		{"fixed", Residency{Mode: ResidencyFixed, Region: "us"}, "DE", "", "us", true},
		{"fixed refuses a pick", Residency{Mode: ResidencyFixed, Region: "us"}, "", "us", "", false},
		{"by country", byCountry, "US", "", "us", true},
		{"unlisted country", byCountry, "JP", "", "eu", true},
		{"unknown country", byCountry, "", "", "eu", true},
		{"by country refuses a pick", byCountry, "US", "us", "", false},
		{"choice", choice, "", "eu", "eu", true},
		{"choice without a pick", choice, "", "", "us", true},
		{"a pick outside the list", choice, "", "mars", "", false},
	} {
		got, ok := c.p.Place(c.country, c.chosen)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: %q %v, want %q %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestValidateResidency(t *testing.T) {
	has := func(r string) bool { return r == "eu" || r == "us" }
	for _, c := range []struct {
		p     Residency
		field string // "" for valid
	}{
		{Residency{}, ""},
		{Residency{Mode: ResidencyFixed, Region: "eu"}, ""},
		{Residency{Mode: ResidencyFixed, Region: "mars"}, "/residency/region"},
		{Residency{Mode: ResidencyByCountry, Countries: map[string]string{"DE": "eu"}, Fallback: "us"}, ""},
		{Residency{Mode: ResidencyByCountry, Countries: map[string]string{"de": "eu"}, Fallback: "us"}, "/residency/countries/de"},
		{Residency{Mode: ResidencyByCountry, Fallback: "us"}, "/residency/countries"},
		{Residency{Mode: ResidencyByCountry, Countries: map[string]string{"DE": "eu"}}, "/residency/fallback"},
		{Residency{Mode: ResidencyChoice, Regions: []string{"eu", "us"}}, ""},
		{Residency{Mode: ResidencyChoice}, "/residency/regions"},
		{Residency{Mode: ResidencyChoice, Regions: []string{"eu", "eu"}}, "/residency/regions"},
		{Residency{Mode: "nearest"}, "/residency/mode"},
	} {
		p := c.p
		err := ValidateResidency(&p, has)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%+v: %v", c.p, err)
		case c.field != "" && (err == nil || !strings.Contains(err.Error()+fieldsOf(err), c.field)):
			t.Errorf("%+v: %v, want an error on %s", c.p, err, c.field)
		}
	}
	// Members of other modes are dropped, not stored.
	p := Residency{Mode: ResidencyFixed, Region: "eu", Fallback: "us", Regions: []string{"us"}}
	if err := ValidateResidency(&p, has); err != nil || p.Fallback != "" || p.Regions != nil {
		t.Fatalf("fixed keeps other modes' members: %+v %v", p, err)
	}
}

func fieldsOf(err error) string {
	var b strings.Builder
	if ve, ok := err.(*ValidationError); ok {
		for _, fe := range ve.Errors {
			b.WriteString(fe.Field + " ")
		}
	}
	return b.String()
}
