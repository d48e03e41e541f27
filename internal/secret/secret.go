// Package secret generates random tokens and protects server-side secrets:
// keyed hashes for high-entropy credentials (client secrets, API keys) and
// authenticated encryption for data at rest. All keys derive from one
// master key, GATEHOUSE_SECRET_KEY, with HKDF-SHA256 per purpose.
package secret

import (
	"crypto/rand"
	"encoding/base64"
)

// Token returns nBytes of crypto/rand output as unpadded base64url, safe in
// URLs, headers and form values. Use at least 32 bytes for bearer secrets.
// It panics if nBytes < 1, which is a programming error.
func Token(nBytes int) string {
	if nBytes < 1 {
		panic("secret: Token length must be positive")
	}
	b := make([]byte, nBytes)
	rand.Read(b) // never returns an error since Go 1.24; it aborts instead
	return base64.RawURLEncoding.EncodeToString(b)
}
