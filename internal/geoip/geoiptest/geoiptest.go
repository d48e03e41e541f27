// Package geoiptest writes small MaxMind-format City databases for tests,
// with the MaxMind writer library, so no binary database is committed.
package geoiptest

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Entry places one network.
type Entry struct {
	CIDR     string
	Country  string // ISO code
	Lat, Lon float64
}

// Sample networks from the documentation ranges, placed in three cities.
var Sample = []Entry{
	{CIDR: "192.0.2.0/24", Country: "DE", Lat: 52.52, Lon: 13.405},       // Berlin
	{CIDR: "198.51.100.0/24", Country: "US", Lat: 40.7128, Lon: -74.006}, // New York
	{CIDR: "203.0.113.0/24", Country: "FR", Lat: 48.8566, Lon: 2.3522},   // Paris
	{CIDR: "2001:db8:aa::/48", Country: "JP", Lat: 35.6762, Lon: 139.6503},
}

// WriteCity writes a GeoIP2-City database holding entries into a temporary
// directory of tb and returns its path.
func WriteCity(tb testing.TB, entries []Entry) string {
	tb.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoIP2-City", RecordSize: 24, IncludeReservedNetworks: true})
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		_, network, err := net.ParseCIDR(e.CIDR)
		if err != nil {
			tb.Fatal(err)
		}
		rec := mmdbtype.Map{
			"country": mmdbtype.Map{"iso_code": mmdbtype.String(e.Country)},
			"location": mmdbtype.Map{
				"latitude":  mmdbtype.Float64(e.Lat),
				"longitude": mmdbtype.Float64(e.Lon),
			},
		}
		if err := tree.Insert(network, rec); err != nil {
			tb.Fatal(err)
		}
	}
	path := filepath.Join(tb.TempDir(), "city.mmdb")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}
