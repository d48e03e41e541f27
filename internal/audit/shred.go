package audit

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Crypto-shredding. The personal fields of an audit event about a user
// (its address, user agent and the personal members of its data: email,
// names, the identifier typed at sign-in, …) are stored sealed with that
// user's data key, a random AES-256 key kept in user_data_keys, itself
// sealed with the master keyring. The chain hashes the sealed text, so
// erasing the user — which deletes the key with the user row — leaves the
// events verifiable and their personal fields unreadable for good.

// userKeyPurpose separates the sealing of users' data keys from the
// keyring's other uses.
const userKeyPurpose = "user-data-key"

// sealedPrefix marks a sealed field value: "ghs1:" + base64url(nonce ||
// ciphertext || tag).
const sealedPrefix = "ghs1:"

// PersonalDataKeys are the members of an event's data that are sealed
// with the subject's key. Everything else in data (client and purpose IDs,
// factor types, reasons) stays readable as evidence.
var PersonalDataKeys = map[string]bool{
	"email": true, "new_email": true, "old_email": true, "previous_email": true, "identifier": true,
	"login": true, "username": true, "name": true, "given_name": true, "family_name": true,
	"nickname": true, "phone": true, "phone_number": true, "name_id": true, "to": true, "address": true,
}

// Erased is what a sealed field reads as once its key is gone.
const Erased = "erased subject"

// sealRecord seals rec's personal fields with its subject's key, creating
// the key on the subject's first event, and reports whether it did. A
// subject that no longer exists (erased meanwhile) gets no key: the
// personal fields are dropped. Events without a subject, or without
// personal fields, are left alone. rec.ID must be set.
func sealRecord(ctx context.Context, k *secret.Keyring, tx store.Store, rec *store.AuditRecord) (bool, error) {
	if k == nil || rec.UserID == "" {
		return false, nil
	}
	data, personal, err := splitData(rec.Data)
	if err != nil {
		return false, err
	}
	if rec.IP == "" && rec.UserAgent == "" && len(personal) == 0 {
		return false, nil
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return false, err
	}
	sealedKey, err := k.Seal(userKeyPurpose, raw, keyAD(rec.TenantID, rec.UserID))
	if err != nil {
		return false, err
	}
	stored, err := tx.UserKeys().Ensure(ctx, rec.TenantID, rec.UserID, sealedKey)
	if errors.Is(err, store.ErrNotFound) {
		rec.IP, rec.UserAgent = "", ""
		rec.Data, err = joinData(data, nil)
		return false, err
	}
	if err != nil {
		return false, err
	}
	a, err := userAEAD(k, rec.TenantID, rec.UserID, stored)
	if err != nil {
		return false, err
	}
	seal := func(field, v string) string {
		if v == "" {
			return ""
		}
		ct := a.Seal(nil, nil, []byte(v), fieldAD(rec, field))
		return sealedPrefix + base64.RawURLEncoding.EncodeToString(ct)
	}
	rec.IP, rec.UserAgent = seal("ip", rec.IP), seal("user_agent", rec.UserAgent)
	sealed := make(map[string]json.RawMessage, len(personal))
	for name, v := range personal {
		s, _ := json.Marshal(seal("data."+name, string(v))) // a string always encodes
		sealed[name] = s
	}
	rec.Data, err = joinData(data, sealed)
	return err == nil, err
}

// OpenRecords replaces the sealed fields of recs with their plaintext, in
// place, with the subjects' keys read from st. It reports, per record,
// whether its subject was erased: then the sealed fields read as Erased.
func OpenRecords(ctx context.Context, k *secret.Keyring, st store.Store, recs []store.AuditRecord) ([]bool, error) {
	erased := make([]bool, len(recs))
	var ids []string
	seen := map[string]bool{}
	for i := range recs {
		r := &recs[i]
		if r.UserID != "" && hasSealed(r) && !seen[r.UserID] {
			seen[r.UserID] = true
			ids = append(ids, r.UserID)
		}
	}
	if len(ids) == 0 {
		return erased, nil
	}
	sort.Strings(ids)
	var tenantID string
	if len(recs) > 0 {
		tenantID = recs[0].TenantID
	}
	keys, err := st.UserKeys().Keys(ctx, tenantID, ids)
	if err != nil {
		return nil, err
	}
	aeads := map[string]cipher.AEAD{}
	for i := range recs {
		r := &recs[i]
		if !seen[r.UserID] || !hasSealed(r) {
			continue
		}
		a, ok := aeads[r.UserID]
		if !ok {
			if sk, has := keys[r.UserID]; has && k != nil {
				a, _ = userAEAD(k, r.TenantID, r.UserID, sk) // a key that does not open reads as erased
			}
			aeads[r.UserID] = a
		}
		erased[i] = openRecord(a, r)
	}
	return erased, nil
}

// openRecord opens r's sealed fields with a (nil: the key is gone) and
// reports whether any could not be opened.
func openRecord(a cipher.AEAD, r *store.AuditRecord) (lost bool) {
	open := func(field, v string) string {
		b64, ok := strings.CutPrefix(v, sealedPrefix)
		if !ok {
			return v
		}
		if a != nil {
			if ct, err := base64.RawURLEncoding.DecodeString(b64); err == nil {
				if pt, err := a.Open(nil, nil, ct, fieldAD(r, field)); err == nil {
					return string(pt)
				}
			}
		}
		lost = true
		return Erased
	}
	r.IP, r.UserAgent = open("ip", r.IP), open("user_agent", r.UserAgent)
	var data map[string]json.RawMessage
	if json.Unmarshal([]byte(r.Data), &data) != nil {
		return lost
	}
	changed := false
	for name, v := range data {
		var s string
		if json.Unmarshal(v, &s) != nil || !strings.HasPrefix(s, sealedPrefix) {
			continue
		}
		changed = true
		pt := open("data."+name, s)
		if pt != Erased && json.Valid([]byte(pt)) {
			data[name] = json.RawMessage(pt)
			continue
		}
		data[name], _ = json.Marshal(Erased)
	}
	if changed {
		if b, err := json.Marshal(data); err == nil {
			r.Data = string(b)
		}
	}
	return lost
}

func hasSealed(r *store.AuditRecord) bool {
	return strings.HasPrefix(r.IP, sealedPrefix) || strings.HasPrefix(r.UserAgent, sealedPrefix) ||
		strings.Contains(r.Data, `"`+sealedPrefix)
}

// splitData separates the personal members of an event's data (their JSON
// values) from the rest.
func splitData(s string) (rest, personal map[string]json.RawMessage, err error) {
	if err := json.Unmarshal([]byte(s), &rest); err != nil {
		return nil, nil, err
	}
	for name, v := range rest {
		if PersonalDataKeys[name] && string(v) != "null" && string(v) != `""` {
			if personal == nil {
				personal = map[string]json.RawMessage{}
			}
			personal[name] = v
			delete(rest, name)
		}
	}
	return rest, personal, nil
}

func joinData(rest, sealed map[string]json.RawMessage) (string, error) {
	out := make(map[string]json.RawMessage, len(rest)+len(sealed))
	for n, v := range rest {
		out[n] = v
	}
	for n, v := range sealed {
		out[n] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func userAEAD(k *secret.Keyring, tenantID, userID string, sealed []byte) (cipher.AEAD, error) {
	raw, err := k.Open(userKeyPurpose, sealed, keyAD(tenantID, userID))
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

func keyAD(tenantID, userID string) []byte { return []byte(tenantID + "/" + userID) }

// fieldAD ties a sealed value to its event and field, so it cannot be
// moved to another.
func fieldAD(r *store.AuditRecord, field string) []byte {
	return []byte(r.TenantID + "/" + r.ID + "/" + field)
}
