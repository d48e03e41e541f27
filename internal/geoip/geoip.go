// Package geoip locates client addresses with a MaxMind-format database
// (GeoLite2/GeoIP2 City or Country, or a compatible one) that the operator
// supplies at GATEHOUSE_GEOIP_DB. A nil *Reader is valid and locates
// nothing, so callers need no "geolocation off" branch.
package geoip

import (
	"fmt"
	"net/netip"

	"github.com/oschwald/geoip2-golang/v2"
)

// Location is what the risk engine needs to know about an address.
type Location struct {
	// Country is the ISO 3166-1 alpha-2 code, "" when unknown.
	Country string
	// Lat and Lon are degrees, meaningful only when HasCoords.
	Lat, Lon  float64
	HasCoords bool
}

// Reader looks addresses up in one database.
type Reader struct {
	db   *geoip2.Reader
	city bool
}

// Open opens the database at path; "" returns a nil Reader (no
// geolocation). City databases give coordinates, Country databases only the
// country.
func Open(path string) (*Reader, error) {
	if path == "" {
		return nil, nil
	}
	db, err := geoip2.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geoip: open %s: %w", path, err)
	}
	r := &Reader{db: db, city: true}
	if _, err := db.City(netip.IPv4Unspecified()); err != nil {
		if _, err := db.Country(netip.IPv4Unspecified()); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("geoip: %s is neither a City nor a Country database: %w", path, err)
		}
		r.city = false
	}
	return r, nil
}

// Lookup locates a. ok is false when the reader is nil, the address is not
// in the database, or the lookup failed (a broken record must not fail a
// sign-in; it only loses the geo signals).
func (r *Reader) Lookup(a netip.Addr) (loc Location, ok bool) {
	if r == nil || !a.IsValid() {
		return Location{}, false
	}
	a = a.Unmap()
	if !r.city {
		c, err := r.db.Country(a)
		if err != nil || !c.HasData() {
			return Location{}, false
		}
		return Location{Country: c.Country.ISOCode}, c.Country.ISOCode != ""
	}
	c, err := r.db.City(a)
	if err != nil || !c.HasData() {
		return Location{}, false
	}
	loc.Country = c.Country.ISOCode
	if c.Location.HasCoordinates() {
		loc.Lat, loc.Lon, loc.HasCoords = *c.Location.Latitude, *c.Location.Longitude, true
	}
	return loc, loc.Country != "" || loc.HasCoords
}

// Close releases the database.
func (r *Reader) Close() error {
	if r == nil {
		return nil
	}
	return r.db.Close()
}
