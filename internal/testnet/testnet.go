// Package testnet holds loopback helpers for tests that start real
// servers (PostgreSQL clusters, slapd, Apache, gatehouse processes).
package testnet

import (
	"net"
	"testing"
)

// FreePort returns a loopback TCP port that was free a moment ago. The
// server the test starts on it may still lose a race for it to another
// process; tests that can pass a listener instead should.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
