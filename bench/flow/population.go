package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
)

// A population is the people the flows sign in as, kept in a JSON file
// between runs of the driver: created once through the Admin API (-mode
// setup), signed in once each from a fresh browser (-mode first), then
// measured (-mode signin, consent, firstparty). Each person keeps one
// client address and one browser, so after the first sign-in the risk
// engine sees what it sees of a returning user: a known device on a known
// network.
type population struct {
	Password string    `json:"password"` // every person's (users are created with it)
	People   []*person `json:"people"`
}

// person is one user with their own address and browser.
type person struct {
	Email string `json:"email"`
	// IP is the person's client address, sent as X-Forwarded-For (the
	// server trusts the loopback proxy: GATEHOUSE_TRUSTED_PROXIES).
	IP string `json:"ip"`
	// Device is the value of the browser's device cookie once the server
	// issued it ("" before the first sign-in). It is the only cookie a
	// person keeps between sign-ins: each sign-in starts signed out.
	Device string `json:"device,omitempty"`
}

func loadPopulation(path string) (*population, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p population
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(p.People) == 0 {
		return nil, fmt.Errorf("%s: no people", path)
	}
	return &p, nil
}

func (p *population) save(path string) error {
	b, err := json.MarshalIndent(p, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}

// returning reports whether every person has signed in before (has a
// device cookie).
func (p *population) returning() bool {
	for _, x := range p.People {
		if x.Device == "" {
			return false
		}
	}
	return true
}

// setupPopulation creates n users through the Admin API, each with a
// public address of its own network (a /24 no other person uses).
func setupPopulation(c *http.Client, base, adminToken string, n int) (*population, error) {
	if n <= 0 {
		return nil, errors.New("-users must be positive")
	}
	p := &population{Password: "correct horse battery staple " + rand.Text()[:6]}
	tag := strings.ToLower(rand.Text()[:8])
	ips := addresses(n)
	p.People = make([]*person, n)
	// Each user costs the server one password hash: create them in as
	// many requests at once as the server has CPUs to hash with.
	sem := make(chan struct{}, 4)
	var (
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
	)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			email := fmt.Sprintf("bench-%s-%d@example.com", tag, i)
			var u struct {
				ID string `json:"id"`
			}
			if err := adminCall(c, base, adminToken, "/admin/v1/users", map[string]any{
				"email": email, "password": p.Password, "email_verified": true, "given_name": "Bench", "family_name": "User",
			}, &u); err != nil {
				errOnce.Do(func() { first = fmt.Errorf("create user: %w", err) })
				return
			}
			p.People[i] = &person{Email: email, IP: ips[i]}
		})
	}
	wg.Wait()
	return p, first
}

// reserved are the IPv4 ranges that are not public unicast besides those
// netip classifies (private, loopback, link-local, multicast).
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"), // documentation
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// addresses returns n public-looking IPv4 addresses, each in a /24 of its
// own (the risk engine's network key). The seed is fixed: every run uses
// the same addresses.
func addresses(n int) []string {
	r := mrand.New(mrand.NewPCG(24, 10))
	nets := map[netip.Prefix]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		var b [4]byte
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		b[3] = max(b[3], 1)
		a := netip.AddrFrom4(b)
		if !public(a) {
			continue
		}
		nw, _ := a.Prefix(24)
		if nets[nw] {
			continue
		}
		nets[nw] = true
		out = append(out, a.String())
	}
	return out
}

func public(a netip.Addr) bool {
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
