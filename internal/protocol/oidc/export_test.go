package oidc

import "net/http"

// UnreachableMsg is logged when the engine reaches a refused storage
// method (storage.go).
const UnreachableMsg = unreachableMsg

// SetRequestURIClient makes the provider fetch request_uris with c (a
// client that trusts a test's loopback TLS server).
func SetRequestURIClient(p *Provider, c *http.Client) { p.requestURIClient = c }
