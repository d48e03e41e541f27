package identity

import (
	"maps"
	"regexp"
	"slices"
)

// Residency modes: where a tenant's new users' personal data goes.
const (
	ResidencyFixed     = "fixed"      // every new user in Region
	ResidencyByCountry = "by_country" // by the country of the request (GeoIP), else Fallback
	ResidencyChoice    = "choice"     // the person picks one of Regions at registration
)

// Residency is a tenant's data-residency policy for new users. The zero
// value has no policy: users go to the server's default region.
type Residency struct {
	Mode      string            `json:"mode,omitempty"`
	Region    string            `json:"region,omitempty"`
	Countries map[string]string `json:"countries,omitempty"`
	Fallback  string            `json:"fallback,omitempty"`
	Regions   []string          `json:"regions,omitempty"`
}

// maxResidencyCountries bounds a by_country map (ISO 3166-1 has 249 codes).
const maxResidencyCountries = 250

var countryRe = regexp.MustCompile(`^[A-Z]{2}$`)

// Set reports whether the tenant has a policy.
func (p *Residency) Set() bool { return p.Mode != "" }

// ValidateResidency checks a policy; has reports whether a region is
// configured on this server. Field errors are under /residency.
func ValidateResidency(p *Residency, has func(string) bool) error {
	ve := &ValidationError{}
	region := func(field, name string) {
		if !has(name) {
			ve.Add(field, "not a region of this server (GATEHOUSE_REGIONS)")
		}
	}
	switch p.Mode {
	case "":
		*p = Residency{}
	case ResidencyFixed:
		region("/residency/region", p.Region)
		p.Countries, p.Fallback, p.Regions = nil, "", nil
	case ResidencyByCountry:
		if len(p.Countries) == 0 || len(p.Countries) > maxResidencyCountries {
			ve.Add("/residency/countries", "must map 1 to 250 countries to regions")
		}
		for _, cc := range slices.Sorted(maps.Keys(p.Countries)) {
			if !countryRe.MatchString(cc) {
				ve.Add("/residency/countries/"+cc, "must be an ISO 3166-1 alpha-2 code in capitals, e.g. DE")
				continue
			}
			region("/residency/countries/"+cc, p.Countries[cc])
		}
		region("/residency/fallback", p.Fallback)
		p.Region, p.Regions = "", nil
	case ResidencyChoice:
		if len(p.Regions) == 0 {
			ve.Add("/residency/regions", "must list at least one region")
		}
		seen := map[string]bool{}
		for _, r := range p.Regions {
			if seen[r] {
				ve.Add("/residency/regions", "must not repeat a region")
				break
			}
			seen[r] = true
			region("/residency/regions", r)
		}
		p.Region, p.Countries, p.Fallback = "", nil, ""
	default:
		ve.Add("/residency/mode", "must be fixed, by_country or choice")
	}
	return ve.Err()
}

// Place returns the region of a new user: country is the request's ISO
// country ("" when unknown), chosen the region the person picked ("" for
// none). ok is false when chosen is not allowed: a pick outside the
// choice list, or any pick when the tenant offers none. "" with ok means
// no policy (the server's default region).
func (p *Residency) Place(country, chosen string) (region string, ok bool) {
	if chosen != "" && (p.Mode != ResidencyChoice || !slices.Contains(p.Regions, chosen)) {
		return "", false
	}
	switch p.Mode {
	case ResidencyFixed:
		return p.Region, true
	case ResidencyByCountry:
		if r, found := p.Countries[country]; found && country != "" {
			return r, true
		}
		return p.Fallback, true
	case ResidencyChoice:
		if chosen != "" {
			return chosen, true
		}
		// No pick (a federated sign-in, the Admin API): the first listed.
		return p.Regions[0], true
	}
	return "", true
}
