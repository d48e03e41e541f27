// Command go-webapp is an example of a server-rendered web app that signs
// its users in with Gatehouse: the authorization code flow with PKCE
// (golang.org/x/oauth2), ID token verification (github.com/coreos/go-oidc),
// the profile from the ID token and userinfo, refreshing tokens, and
// RP-initiated logout.
//
//	GATEHOUSE_ADMIN_TOKEN=gha_... go run ./examples/go-webapp   # then open http://localhost:3000
//
// Environment: GATEHOUSE_ISSUER (default http://localhost:8080; a tenant's
// issuer is .../t/{slug}), CLIENT_ID and CLIENT_SECRET of a registered
// client, or else GATEHOUSE_ADMIN_TOKEN to register one at start (through
// the Go SDK), APP_ADDR (default 127.0.0.1:3000) and APP_URL (default
// http://localhost:3000, the address the browser uses).
package main

import (
	"cmp"
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	cfg := Config{
		Issuer:       cmp.Or(os.Getenv("GATEHOUSE_ISSUER"), "http://localhost:8080"),
		ClientID:     os.Getenv("CLIENT_ID"),
		ClientSecret: os.Getenv("CLIENT_SECRET"),
		AppURL:       cmp.Or(os.Getenv("APP_URL"), "http://localhost:3000"),
	}
	if cfg.ClientID == "" {
		token := os.Getenv("GATEHOUSE_ADMIN_TOKEN")
		if token == "" {
			log.Fatal("set CLIENT_ID and CLIENT_SECRET of a registered client, or GATEHOUSE_ADMIN_TOKEN to register one")
		}
		var err error
		if cfg.ClientID, cfg.ClientSecret, err = Register(ctx, cfg, token); err != nil {
			log.Fatal(err)
		}
		log.Printf("registered client %s (a new one on every start while CLIENT_ID is unset)", cfg.ClientID)
	}
	app, err := New(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: cmp.Or(os.Getenv("APP_ADDR"), "127.0.0.1:3000"), Handler: app, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("example web app on %s (issuer %s)", cfg.AppURL, cfg.Issuer)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
