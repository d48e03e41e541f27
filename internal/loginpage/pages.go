// Package loginpage is the hosted login's page kit, which every page of
// internal/login uses: the templates and embedded assets, the message
// catalogs (English and German; each page adds its own with AddPage),
// the tenant's branding and theme, the Content-Security-Policy of pages
// and of completion responses, double-submit CSRF tokens, and error
// pages. It knows no sign-in: internal/loginflow does.
package loginpage

import (
	"log/slog"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
)

// Pages renders the hosted login's pages and checks their forms.
type Pages struct {
	pages *pages
	// keys derives the CSRF token key.
	keys *secret.Keyring
	log  *slog.Logger
}

// New parses the templates (every page registered with AddPage by now,
// from init), so a broken template fails at start-up, not on the first
// visitor.
func New(keys *secret.Keyring, log *slog.Logger) *Pages {
	if log == nil {
		log = slog.Default()
	}
	return &Pages{pages: mustParsePages(), keys: keys, log: log}
}
