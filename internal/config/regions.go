package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Region is one regional database of GATEHOUSE_REGIONS.
type Region struct {
	Name     string // lower-case slug, e.g. "eu"; it is the tokens' region claim
	Database string // sqlite:PATH or postgres://URL, as GATEHOUSE_DATABASE
}

var regionName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// ParseRegions reads "eu=sqlite:./data/eu.db;us=postgres://…". Errors never
// repeat a URL: it may carry a password.
func ParseRegions(v string) ([]Region, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	var out []Region
	seen := map[string]bool{}
	for i, pair := range strings.Split(v, ";") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		name, url, ok := strings.Cut(pair, "=")
		name, url = strings.TrimSpace(name), strings.TrimSpace(url)
		if !ok || url == "" {
			return nil, fmt.Errorf("entry %d: want name=URL", i+1)
		}
		if !regionName.MatchString(name) {
			return nil, fmt.Errorf("entry %d: region name %q: want a lower-case slug like eu or us-east", i+1, name)
		}
		if seen[name] {
			return nil, fmt.Errorf("region %q declared twice", name)
		}
		switch {
		case strings.HasPrefix(url, "sqlite:") && len(url) > len("sqlite:"):
		case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		default:
			return nil, fmt.Errorf("region %q: want sqlite:PATH or postgres://URL", name)
		}
		seen[name] = true
		out = append(out, Region{Name: name, Database: url})
	}
	if len(out) == 0 {
		return nil, errors.New("no region declared")
	}
	return out, nil
}

// Region returns the declared region called name, or nil.
func (c *Config) Region(name string) *Region {
	for i := range c.Regions {
		if c.Regions[i].Name == name {
			return &c.Regions[i]
		}
	}
	return nil
}
