package geoip_test

import (
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/geoip"
	"github.com/gatehouse-iam/gatehouse/internal/geoip/geoiptest"
)

func TestLookup(t *testing.T) {
	r, err := geoip.Open(geoiptest.WriteCity(t, geoiptest.Sample))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for ip, want := range map[string]geoiptest.Entry{
		"192.0.2.10":          geoiptest.Sample[0],
		"::ffff:198.51.100.7": geoiptest.Sample[1],
		"2001:db8:aa:1::5":    geoiptest.Sample[3],
	} {
		loc, ok := r.Lookup(netip.MustParseAddr(ip))
		if !ok || loc.Country != want.Country || !loc.HasCoords ||
			math.Abs(loc.Lat-want.Lat) > 1e-9 || math.Abs(loc.Lon-want.Lon) > 1e-9 {
			t.Errorf("%s: %+v %v, want %+v", ip, loc, ok, want)
		}
	}
	if loc, ok := r.Lookup(netip.MustParseAddr("8.8.8.8")); ok {
		t.Errorf("unknown address located: %+v", loc)
	}
	if _, ok := r.Lookup(netip.Addr{}); ok {
		t.Error("invalid address located")
	}
}

func TestOffAndBroken(t *testing.T) {
	r, err := geoip.Open("")
	if err != nil || r != nil {
		t.Fatalf("empty path: %v %v", r, err)
	}
	if _, ok := r.Lookup(netip.MustParseAddr("192.0.2.1")); ok {
		t.Error("nil reader located an address")
	}
	if err := r.Close(); err != nil {
		t.Error(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.mmdb")
	if err := os.WriteFile(bad, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := geoip.Open(bad); err == nil {
		t.Error("garbage file opened")
	}
}
