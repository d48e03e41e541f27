package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Webhook request headers.
const (
	HeaderSignature = "Gatehouse-Signature"
	HeaderEventID   = "Gatehouse-Event-Id"
	HeaderEventType = "Gatehouse-Event-Type"
)

// secretPurpose separates the webhook-secret sealing key from the others.
const secretPurpose = "webhook-secret"

// NewSecret returns a fresh signing secret (256 bits).
func NewSecret() string { return "whsec_" + secret.Token(32) }

// SealSecret encrypts a webhook's secret for storage, bound to the
// webhook's tenant and ID so a sealed value cannot be moved to another row.
func SealSecret(k *secret.Keyring, tenantID, webhookID, plain string) ([]byte, error) {
	return k.Seal(secretPurpose, []byte(plain), []byte(tenantID+"/"+webhookID))
}

// OpenSecret decrypts a stored webhook secret.
func OpenSecret(k *secret.Keyring, w *store.Webhook) (string, error) {
	b, err := k.Open(secretPurpose, w.SecretSealed, []byte(w.TenantID+"/"+w.ID))
	return string(b), err
}

// Sign returns the Gatehouse-Signature value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return m.Sum(nil)
}

// ErrSignature is returned by VerifySignature for any mismatch.
var ErrSignature = errors.New("audit: webhook signature does not verify")

// VerifySignature checks a Gatehouse-Signature header as a receiver
// should: a v1 HMAC over "t.body" in constant time, with the timestamp no
// further than tolerance from now (replay protection).
func VerifySignature(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrSignature
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrSignature
}
