package adminapi

import (
	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

// residencyFrom is the domain form of a residency policy; the directory
// validates it (regions configured, nothing half-written).
func residencyFrom(in *gen.Residency) identity.Residency {
	if in == nil {
		return identity.Residency{}
	}
	p := identity.Residency{Mode: string(in.Mode)}
	if in.Region != nil {
		p.Region = *in.Region
	}
	if in.Fallback != nil {
		p.Fallback = *in.Fallback
	}
	if in.Countries != nil {
		p.Countries = make(map[string]string, len(*in.Countries))
		for cc, r := range *in.Countries {
			p.Countries[cc] = r
		}
	}
	if in.Regions != nil {
		p.Regions = append([]string(nil), *in.Regions...)
	}
	return p
}

// residencyJSON is the wire form of a policy; nil for none.
func residencyJSON(p *identity.Residency) *gen.Residency {
	if !p.Set() {
		return nil
	}
	out := &gen.Residency{Mode: gen.ResidencyMode(p.Mode)}
	switch p.Mode {
	case identity.ResidencyFixed:
		out.Region = &p.Region
	case identity.ResidencyByCountry:
		m := make(map[string]gen.RegionName, len(p.Countries))
		for cc, r := range p.Countries {
			m[cc] = r
		}
		out.Countries, out.Fallback = &m, &p.Fallback
	case identity.ResidencyChoice:
		rs := append([]string(nil), p.Regions...)
		out.Regions = &rs
	}
	return out
}
