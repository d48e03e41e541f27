package gateway

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"time"
)

// ReloadFile loads path and serves it. An invalid file changes nothing:
// the error says why, and the old configuration stays.
func (g *Gateway) ReloadFile(path string) error {
	cfg, err := LoadFile(path)
	if err != nil {
		return err
	}
	if old := g.Config(); old.Listen != cfg.Listen {
		g.opts.Log.Warn("gateway: listen changed in the config file; it takes effect on restart", "listen", old.Listen, "new", cfg.Listen)
	}
	return g.Reload(cfg)
}

// Watch reloads path on every value from hup (SIGHUP) and whenever the
// file's content changes (checked every interval), until ctx ends. A file
// that does not load is logged and the old configuration kept.
func (g *Gateway) Watch(ctx context.Context, path string, hup <-chan os.Signal, interval time.Duration) {
	sum := func() []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		h := sha256.Sum256(b)
		return h[:]
	}
	last := sum()
	reload := func(why string) {
		last = sum()
		if err := g.ReloadFile(path); err != nil {
			g.opts.Log.Error("gateway: config reload rejected, keeping the previous configuration", "trigger", why, "path", path, "err", err)
			return
		}
		g.opts.Log.Info("gateway: config reloaded", "trigger", why, "path", path, "routes", len(g.Config().Routes))
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			reload("SIGHUP")
		case <-t.C:
			if s := sum(); s != nil && !bytes.Equal(s, last) {
				reload("file changed")
			}
		}
	}
}
