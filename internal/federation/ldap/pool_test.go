package ldap_test

import (
	"errors"
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/federation/ldap"
)

// proxy forwards TCP to the directory and can cut every connection, as
// a directory restart or a firewall dropping idle connections would.
type proxy struct {
	l     net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l}
	t.Cleanup(func() { l.Close(); p.cut() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); u.Close() }()
			go func() { _, _ = io.Copy(c, u); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestLDAPPool(t *testing.T) {
	d := startSlapd(t)
	px := newProxy(t, d.URL[len("ldap://"):])
	c := connector(t, "ldap://"+px.l.Addr().String(), 3*time.Second)
	defer c.Close()
	ctx := t.Context()

	t.Run("sign-ins reuse connections", func(t *testing.T) {
		for i := range 20 {
			user, pw := "alice", "alicepw"
			if i%3 == 1 {
				pw = "wrong" // a failed user bind must not poison the connection
			}
			if i%3 == 2 {
				user, pw = "bob", "bobpw"
			}
			id, ok, err := c.Login(ctx, user, pw)
			if err != nil || ok != (pw != "wrong") || (ok && id.PreferredUsername != user) {
				t.Fatalf("%d: %+v %v %v", i, id, ok, err)
			}
		}
		if n := c.Dials(); n != 1 {
			t.Fatalf("20 sequential sign-ins dialled %d times", n)
		}
	})
	t.Run("concurrent sign-ins stay apart", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 8 {
					user, pw, groups := "alice", "alicepw", []string{"admins", "staff"}
					if (g+i)%2 == 1 {
						user, pw, groups = "bob", "bobpw", []string{"staff"}
					}
					if (g+i)%5 == 0 {
						pw = "wrong"
					}
					id, ok, err := c.Login(ctx, user, pw)
					if err != nil || ok != (pw != "wrong") || (ok && (id.PreferredUsername != user || !slices.Equal(id.Groups, groups))) {
						errs <- errors.New(user + ": unexpected result")
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n := c.Dials(); n > 1+ldap.DefaultMaxOpen {
			t.Fatalf("dialled %d times", n)
		}
	})
	t.Run("dropped pooled connections are replaced", func(t *testing.T) {
		px.cut()
		before := c.Dials()
		if _, ok, err := c.Login(ctx, "alice", "alicepw"); !ok || err != nil {
			t.Fatalf("after the cut: ok=%v err=%v", ok, err)
		}
		if c.Dials() == before {
			t.Fatal("no new connection after the cut")
		}
	})
	t.Run("closed connector still signs in (without pooling)", func(t *testing.T) {
		c2 := connector(t, d.URL, 3*time.Second)
		c2.Close()
		if _, ok, err := c2.Login(ctx, "alice", "alicepw"); !ok || err != nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})
	t.Run("directory gone: unavailable, no retry loop", func(t *testing.T) {
		px.l.Close()
		px.cut()
		if _, ok, err := c.Login(ctx, "alice", "alicepw"); ok || !errors.Is(err, federation.ErrUnavailable) {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})
}

func TestLDAPSync(t *testing.T) {
	d := startSlapd(t)
	c := connector(t, d.URL, 3*time.Second)
	ids, err := c.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]federation.Identity{}
	for _, id := range ids {
		got[id.PreferredUsername] = id
	}
	if len(ids) != 3 || !slices.Equal(got["alice"].Groups, []string{"admins", "staff"}) || !slices.Equal(got["bob"].Groups, []string{"staff"}) ||
		got["mallory"].Email != "mallory@example.org" {
		t.Fatalf("%+v", ids)
	}
	// The same subject as at sign-in.
	a, ok, err := c.Login(t.Context(), "alice", "alicepw")
	if !ok || err != nil || a.Subject != got["alice"].Subject {
		t.Fatalf("%v %v %q %q", ok, err, a.Subject, got["alice"].Subject)
	}
	down := connector(t, "ldap://127.0.0.1:1", time.Second)
	if _, err := down.Sync(t.Context()); !errors.Is(err, federation.ErrUnavailable) {
		t.Fatalf("down: %v", err)
	}
}
