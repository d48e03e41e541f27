package main

import (
	"net/netip"
	"slices"
	"testing"
)

// The population's addresses are public, each in a /24 of its own (the
// risk engine's network), and the same in every run.
func TestAddresses(t *testing.T) {
	got := addresses(2000)
	nets := map[netip.Prefix]bool{}
	for _, s := range got {
		a := netip.MustParseAddr(s)
		if !public(a) || !a.Is4() {
			t.Fatalf("%s is not a public IPv4 address", a)
		}
		nw, _ := a.Prefix(24)
		if nets[nw] {
			t.Fatalf("two people in %s", nw)
		}
		nets[nw] = true
	}
	if !slices.Equal(got[:10], addresses(10)) {
		t.Fatal("the addresses differ between runs")
	}
	for _, s := range []string{"10.1.2.3", "100.64.0.1", "127.0.0.1", "169.254.1.1", "172.16.0.1", "192.168.1.1",
		"192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "224.0.0.1", "240.0.0.1", "0.1.2.3"} {
		if public(netip.MustParseAddr(s)) {
			t.Errorf("%s counted as public", s)
		}
	}
}
