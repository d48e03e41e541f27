// Package rekey rotates the master key (GATEHOUSE_SECRET_KEY): it
// re-seals every stored secret under the current key while previous keys
// (GATEHOUSE_SECRET_KEY_OLD) still open the old ones, and it keeps the keys
// of the carried MAC purposes (secret.CarriedPurposes) in the database,
// sealed under the current key, so the credentials hashed with them keep
// working once the previous keys are removed.
//
// The procedure (docs/operations.md): deploy every node with the new key
// as GATEHOUSE_SECRET_KEY and the old one in GATEHOUSE_SECRET_KEY_OLD; run
// `gatehouse secret-key rotate`; then remove GATEHOUSE_SECRET_KEY_OLD.
package rekey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/audit"
	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/mfa"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Store is what a rotation reads and writes.
type Store interface {
	Settings() store.SettingsRepo
	Sealed() store.SealedRepo
}

// CarriedSetting is the settings row that holds the carried MAC keys,
// sealed under the current master key.
const CarriedSetting = "secret_key_carried"

const (
	carriedPurpose = "keyring-carried"
	carriedAD      = "settings/" + CarriedSetting
)

type carriedRecord struct {
	V    int               `json:"v"`
	Keys map[string][]byte `json:"keys"`
}

// ErrWrongKey means stored data opens with none of the configured keys.
var ErrWrongKey = errors.New("stored secrets open with neither GATEHOUSE_SECRET_KEY nor GATEHOUSE_SECRET_KEY_OLD: wrong key?")

// LoadCarried installs the carried MAC keys stored by an earlier rotation
// into k, and reports whether there were any. Without them the keyring
// derives those keys from its oldest master key, as before any rotation.
func LoadCarried(ctx context.Context, st store.SettingsRepo, k *secret.Keyring) (bool, error) {
	sealed, err := st.Get(ctx, CarriedSetting)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	rec, err := openCarried(k, sealed)
	if err != nil {
		return false, err
	}
	return true, k.Carry(rec.Keys)
}

func openCarried(k *secret.Keyring, sealed []byte) (*carriedRecord, error) {
	plain, err := k.Open(carriedPurpose, sealed, []byte(carriedAD))
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", ErrWrongKey, CarriedSetting)
	}
	var rec carriedRecord
	if err := json.Unmarshal(plain, &rec); err != nil || rec.V != 1 {
		return nil, fmt.Errorf("rekey: %s: unreadable record (%v)", CarriedSetting, err)
	}
	return &rec, nil
}

// resealers map each sealed column to the package that sealed it.
var resealers = map[store.SealedKind]func(*secret.Keyring, store.SealedValue) ([]byte, bool, error){
	store.SealedSigningKeys:          keys.Reseal,
	store.SealedWebhookSecrets:       audit.ResealSecret,
	store.SealedMFAFactors:           mfa.ResealFactor,
	store.SealedMFAChallenges:        mfa.ResealChallenge,
	store.SealedIdempotencyResponses: resealIdempotencyResponse,
	store.SealedConnectionSecrets:    federation.ResealSecrets,
	store.SealedSAMLCerts:            keys.ResealSAMLCert,
	store.SealedUserDataKeys:         audit.ResealUserKey,
}

// idempotencyPurpose is the Admin API's keyring purpose for stored
// responses (adminapi.sealPurpose), bound to the record's key. It is
// named here rather than imported, as a service does not import the HTTP
// layer; TestRotationKeepsIdempotentReplays fails if the two drift apart.
const idempotencyPurpose = "idempotency-response"

func resealIdempotencyResponse(k *secret.Keyring, v store.SealedValue) ([]byte, bool, error) {
	return k.Reseal(idempotencyPurpose, v.Value, []byte(v.ID))
}

// Count is the outcome for one kind of sealed value.
type Count struct {
	Kind store.SealedKind
	// Resealed were sealed under a previous key and are now (or, in a dry
	// run, would be) under the current one.
	Resealed int
	// Current were already sealed under the current key.
	Current int
	// Failed open with no configured key: "tenant/id" each.
	Failed []string
}

// Report is the outcome of a rotation.
type Report struct {
	Counts []Count
	// CarriedStored is set when this run stored or re-sealed the carried
	// MAC keys.
	CarriedStored bool
	// Done is set when every sealed value and the carried keys open with
	// the current key alone: the previous keys can be removed.
	Done bool
}

// pageSize bounds each read of sealed values.
const pageSize = 200

// maxPasses bounds the passes over the sealed values: a value a node
// rewrote while this pass read it is resealed in the next pass.
const maxPasses = 3

// Rotate re-seals every stored secret under k's current master key and
// stores the carried MAC keys sealed under it. It is idempotent and safe
// while nodes serve: each value is replaced only if it is still the one
// read (a node that rewrote it meanwhile sealed it with the current key,
// which the next pass checks). With dryRun it only counts. regions are the
// sealed values of the regional databases (data residency): they are
// re-sealed as the main database's, and Counts sums every database.
func Rotate(ctx context.Context, st Store, k *secret.Keyring, dryRun bool, regions ...store.SealedRepo) (*Report, error) {
	rep := &Report{}
	stored, err := rotateCarried(ctx, st.Settings(), k, dryRun)
	if err != nil {
		return nil, err
	}
	rep.CarriedStored = stored
	rep.Done = true
	for i, r := range append([]store.SealedRepo{st.Sealed()}, regions...) {
		counts, done, err := rotateSealed(ctx, r, k, dryRun)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			rep.Counts = counts
		} else {
			for j := range rep.Counts {
				rep.Counts[j].Resealed += counts[j].Resealed
				rep.Counts[j].Current += counts[j].Current
				rep.Counts[j].Failed = append(rep.Counts[j].Failed, counts[j].Failed...)
			}
		}
		rep.Done = rep.Done && done
	}
	return rep, nil
}

// rotateSealed re-seals the sealed values of one database, in passes until
// one finds everything under the current key (done).
func rotateSealed(ctx context.Context, r store.SealedRepo, k *secret.Keyring, dryRun bool) (out []Count, done bool, err error) {
	for pass := 1; pass <= maxPasses; pass++ {
		counts, moved, err := walk(ctx, r, k, dryRun)
		if err != nil {
			return nil, false, err
		}
		if pass == 1 {
			out = counts
		} else {
			for i := range out {
				out[i].Resealed += counts[i].Resealed
			}
		}
		failed := 0
		for _, c := range counts {
			failed += len(c.Failed)
		}
		if failed > 0 || dryRun {
			return out, false, nil
		}
		if moved == 0 { // this pass found everything under the current key
			return out, true, nil
		}
	}
	return out, false, nil
}

// rotateCarried stores the carried MAC keys sealed under the current key:
// the keys in use now (as LoadCarried installed them, or derived from the
// oldest master key before the first rotation).
func rotateCarried(ctx context.Context, st store.SettingsRepo, k *secret.Keyring, dryRun bool) (bool, error) {
	sealed, err := st.Get(ctx, CarriedSetting)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if dryRun {
			return true, nil
		}
		plain, err := json.Marshal(carriedRecord{V: 1, Keys: k.CarriedKeys()})
		if err != nil {
			return false, err
		}
		next, err := k.Seal(carriedPurpose, plain, []byte(carriedAD))
		if err != nil {
			return false, err
		}
		// Another rotation may have stored the same keys first; both are
		// the keys this keyring uses, so either record is right.
		if _, err := st.SetIfAbsent(ctx, CarriedSetting, next); err != nil {
			return false, err
		}
		return true, nil
	case err != nil:
		return false, err
	}
	next, changed, err := k.Reseal(carriedPurpose, sealed, []byte(carriedAD))
	if err != nil {
		return false, fmt.Errorf("%w (%s)", ErrWrongKey, CarriedSetting)
	}
	if !changed || dryRun {
		return changed, nil
	}
	return true, st.Set(ctx, CarriedSetting, next)
}

// walk goes over every sealed value once. moved counts the values it
// resealed or found rewritten by another writer meanwhile: a pass with
// none has seen every value under the current key.
func walk(ctx context.Context, r store.SealedRepo, k *secret.Keyring, dryRun bool) (counts []Count, moved int, err error) {
	for _, kind := range store.SealedKinds {
		c := Count{Kind: kind}
		reseal := resealers[kind]
		tenant, id := "", ""
		for {
			page, err := r.List(ctx, kind, tenant, id, pageSize)
			if err != nil {
				return nil, 0, fmt.Errorf("rekey: list %s: %w", kind, err)
			}
			for _, v := range page {
				next, changed, err := reseal(k, v)
				switch {
				case err != nil:
					c.Failed = append(c.Failed, v.TenantID+"/"+v.ID)
				case !changed:
					c.Current++
				case dryRun:
					c.Resealed++
				default:
					ok, err := r.Replace(ctx, kind, v.TenantID, v.ID, v.Value, next)
					if err != nil {
						return nil, 0, fmt.Errorf("rekey: replace %s %s/%s: %w", kind, v.TenantID, v.ID, err)
					}
					if ok {
						c.Resealed++
					}
					moved++ // resealed, or rewritten or deleted meanwhile: the next pass checks it
				}
			}
			if len(page) < pageSize {
				break
			}
			tenant, id = page[len(page)-1].TenantID, page[len(page)-1].ID
		}
		counts = append(counts, c)
	}
	return counts, moved, nil
}
