package password

import (
	"context"

	"github.com/gatehouse-iam/gatehouse/internal/telemetry"
)

// HashContext is Hash inside an "argon2id hash" span of ctx's trace.
func (h *Hasher) HashContext(ctx context.Context, password string) (string, error) {
	_, span := telemetry.Start(ctx, "argon2id hash")
	phc, err := h.Hash(password)
	telemetry.End(span, err)
	return phc, err
}

// VerifyContext is Verify inside a password-verification span of ctx's
// trace ("argon2id verify", or "bcrypt verify" for an imported hash).
func (h *Hasher) VerifyContext(ctx context.Context, password, phc string) (ok, needsRehash bool, err error) {
	name := "argon2id verify"
	if isBcrypt(phc) {
		name = "bcrypt verify"
	}
	_, span := telemetry.Start(ctx, name)
	ok, needsRehash, err = h.Verify(password, phc)
	telemetry.End(span, err)
	return ok, needsRehash, err
}

// DummyVerifyContext is DummyVerify inside an "argon2id verify" span, which
// looks like any other so that traces do not tell unknown users apart.
func (h *Hasher) DummyVerifyContext(ctx context.Context, password string) {
	_, span := telemetry.Start(ctx, "argon2id verify")
	h.DummyVerify(password)
	span.End()
}
