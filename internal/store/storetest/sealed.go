package storetest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var sealedTests = []test{
	{"SealedListAndReplace", testSealedListAndReplace},
	{"SealedPaging", testSealedPaging},
}

// capability returns s as the optional store interface T (SealedStore,
// StatsStore), which every backend must implement.
func capability[T any](t *testing.T, s store.Store) T {
	t.Helper()
	v, ok := s.(T)
	if !ok {
		var want T
		t.Fatalf("%T does not implement %T", s, &want)
	}
	return v
}

func sealedRepo(t *testing.T, s store.Store) store.SealedRepo {
	return capability[store.SealedStore](t, s).Sealed()
}

// listAll walks every page of kind, one value per page.
func listAll(t *testing.T, r store.SealedRepo, kind store.SealedKind) []store.SealedValue {
	t.Helper()
	var all []store.SealedValue
	tenant, id := "", ""
	for {
		page, err := r.List(t.Context(), kind, tenant, id, 1)
		must(t, err)
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
		tenant, id = page[len(page)-1].TenantID, page[len(page)-1].ID
	}
}

// Every sealed column is listed with its row's identity, and Replace
// rewrites a value only while it is the one the caller read, touching
// nothing else of the row.
func testSealedListAndReplace(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := sealedRepo(t, s)
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("sealed")+"@example.org")
	key := mkSigningKey(t, s, tn.ID)
	hook := mkWebhook(t, s, tn.ID)
	samlCert := mkSAMLCert(t, s, tn.ID, nil)
	totp := newFactor(tn.ID, u.ID, factor.TOTP)
	totp.Data = json.RawMessage(`{"secret":"AQID","last_step":7}`)
	must(t, s.MFA().CreateFactor(ctx, totp))
	enrol := &store.MFAChallenge{TenantID: tn.ID, UserID: u.ID, Kind: "totp_enrol", Data: []byte{1, 2, 3, 0xff},
		ExpiresAt: time.Now().Add(time.Hour)}
	must(t, s.MFA().CreateChallenge(ctx, enrol))
	noData := &store.MFAChallenge{TenantID: tn.ID, UserID: u.ID, Kind: "email_otp", CodeHash: []byte{9},
		ExpiresAt: time.Now().Add(time.Hour)}
	must(t, s.MFA().CreateChallenge(ctx, noData))
	idem := &store.IdempotencyRecord{TenantID: "*", Key: uniq("admin POST /admin/v1/clients k"), RequestHash: []byte{1}}
	_, err := s.Idempotency().Begin(ctx, idem)
	must(t, err)
	must(t, s.Idempotency().Finish(ctx, "*", idem.Key, 201, map[string]string{"Content-Type": "application/json"}, []byte{7, 7, 0}))
	inFlight := &store.IdempotencyRecord{TenantID: "*", Key: uniq("admin POST /admin/v1/users k"), RequestHash: []byte{2}}
	_, err = s.Idempotency().Begin(ctx, inFlight) // no body yet: not listed
	must(t, err)

	conn := mkConnection(t, s, tn.ID, "corp")
	must(t, s.Connections().Create(ctx, &store.Connection{TenantID: tn.ID, ID: "no-secrets", Type: "google", DisplayName: "G"}))
	_, err = s.UserKeys().Ensure(ctx, tn.ID, u.ID, []byte{5, 5, 5})
	must(t, err)
	want := map[store.SealedKind]store.SealedValue{
		store.SealedSigningKeys:          {TenantID: tn.ID, ID: key.ID, Value: key.Private},
		store.SealedWebhookSecrets:       {TenantID: tn.ID, ID: hook.ID, Value: hook.SecretSealed},
		store.SealedMFAFactors:           {TenantID: tn.ID, ID: totp.ID, UserID: u.ID, Type: "totp", Value: []byte(totp.Data)},
		store.SealedMFAChallenges:        {TenantID: tn.ID, ID: enrol.ID, UserID: u.ID, Type: "totp_enrol", Value: enrol.Data},
		store.SealedIdempotencyResponses: {TenantID: "*", ID: idem.Key, Value: []byte{7, 7, 0}},
		store.SealedConnectionSecrets:    {TenantID: tn.ID, ID: conn.ID, Value: conn.SecretsSealed},
		store.SealedSAMLCerts:            {TenantID: tn.ID, ID: samlCert.ID, Value: samlCert.Private},
		store.SealedUserDataKeys:         {TenantID: tn.ID, ID: u.ID, UserID: u.ID, Value: []byte{5, 5, 5}},
	}
	for _, kind := range store.SealedKinds {
		got := listAll(t, r, kind)
		equal(t, got, []store.SealedValue{want[kind]}, string(kind)+" listed (rows without a value left out)")
	}
	if _, err := r.List(ctx, "no_such_kind", "", "", 10); err == nil {
		t.Fatal("List of an unknown kind did not fail")
	}

	for _, kind := range store.SealedKinds {
		v := want[kind]
		next := append(bytes.Clone(v.Value), 'x')
		if kind == store.SealedMFAFactors {
			next = []byte(`{"secret":"BAUG","last_step":7}`)
		}
		ok, err := r.Replace(ctx, kind, v.TenantID, v.ID, []byte("stale"), next)
		must(t, err)
		if ok {
			t.Fatalf("%s: Replace with a stale old value succeeded", kind)
		}
		ok, err = r.Replace(ctx, kind, v.TenantID, v.ID, v.Value, next)
		must(t, err)
		if !ok {
			t.Fatalf("%s: Replace with the current value did nothing", kind)
		}
		got := listAll(t, r, kind)
		if len(got) != 1 || !bytes.Equal(got[0].Value, next) {
			t.Fatalf("%s after Replace: %+v", kind, got)
		}
		ok, err = r.Replace(ctx, kind, v.TenantID, "no-such-row", next, v.Value)
		must(t, err)
		if ok {
			t.Fatalf("%s: Replace of a missing row succeeded", kind)
		}
	}

	// The rows are otherwise as they were.
	keys, err := s.SigningKeys().List(ctx, tn.ID)
	must(t, err)
	if len(keys) != 1 || !bytes.HasSuffix(keys[0].Private, []byte("x")) || !keys[0].CreatedAt.Equal(micro(key.CreatedAt)) {
		t.Fatalf("signing key after Replace: %+v", keys)
	}
	w, err := s.Webhooks().Get(ctx, tn.ID, hook.ID)
	must(t, err)
	if w.Version != hook.Version || !w.UpdatedAt.Equal(hook.UpdatedAt) || w.URL != hook.URL || !bytes.HasSuffix(w.SecretSealed, []byte("x")) {
		t.Fatalf("webhook after Replace: %+v, was %+v", w, hook)
	}
	f, err := s.MFA().GetFactor(ctx, tn.ID, u.ID, totp.ID)
	must(t, err)
	if f.Version != totp.Version || string(f.Data) != `{"secret":"BAUG","last_step":7}` {
		t.Fatalf("factor after Replace: %+v", f)
	}
	c, err := s.MFA().GetChallenge(ctx, tn.ID, enrol.ID)
	must(t, err)
	if c.Attempts != 0 || c.UsedAt != nil || !bytes.HasSuffix(c.Data, []byte("x")) {
		t.Fatalf("challenge after Replace: %+v", c)
	}
	rec, err := s.Idempotency().Begin(ctx, &store.IdempotencyRecord{TenantID: "*", Key: idem.Key, RequestHash: []byte{1}})
	wantErr(t, err, store.ErrConflict, "Begin of a stored key")
	if rec.Status != 201 || rec.Header["Content-Type"] != "application/json" || !bytes.Equal(rec.Body, []byte{7, 7, 0, 'x'}) {
		t.Fatalf("idempotency record after Replace: %+v", rec)
	}
}

// Pages follow (tenant, ID) order across tenants, so a walk in small pages
// sees every value once.
func testSealedPaging(t *testing.T, s store.Store) {
	r := sealedRepo(t, s)
	want := map[string]bool{}
	for range 3 {
		tn := mkTenant(t, s)
		for range 3 {
			want[tn.ID+"/"+mkWebhook(t, s, tn.ID).ID] = true
		}
	}
	seen := map[string]bool{}
	var prevTenant, prevID string
	for _, v := range listAll(t, r, store.SealedWebhookSecrets) {
		k := v.TenantID + "/" + v.ID
		if seen[k] || !want[k] {
			t.Fatalf("%s listed twice or unexpected", k)
		}
		if v.TenantID < prevTenant || (v.TenantID == prevTenant && v.ID <= prevID) {
			t.Fatalf("%s listed after %s/%s", k, prevTenant, prevID)
		}
		seen[k], prevTenant, prevID = true, v.TenantID, v.ID
	}
	if len(seen) != len(want) {
		t.Fatalf("listed %d of %d webhooks", len(seen), len(want))
	}
	page, err := r.List(t.Context(), store.SealedWebhookSecrets, "", "", 4)
	must(t, err)
	if len(page) != 4 {
		t.Fatalf("a page of 4 has %d values", len(page))
	}
}
