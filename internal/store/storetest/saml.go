package storetest

import (
	"bytes"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

var samlTests = []test{
	{"SAMLServiceProviderCRUD", testSAMLSPCRUD},
	{"SAMLServiceProviderIsolation", testSAMLSPIsolation},
	{"SAMLRequestID/UseOnce", testSAMLRequestIDUseOnce},
	{"SAMLRequestID/ConcurrentUse", testSAMLRequestIDConcurrentUse},
	{"SAMLCerts", testSAMLCerts},
	{"SAMLSessions", testSAMLSessions},
	{"SAMLSessionIsolation", testSAMLSessionIsolation},
}

func mkSAMLSP(t testing.TB, s store.Store, tenantID string) *store.SAMLServiceProvider {
	t.Helper()
	sp := &store.SAMLServiceProvider{TenantID: tenantID, Name: "App", EntityID: "https://" + uniq("sp") + ".example.org/saml",
		ACSURLs: []string{"https://sp.example.org/acs", "https://sp.example.org/acs2"}, SLOURL: "https://sp.example.org/slo",
		SOAPSLOURL:   "https://sp.example.org/soap-slo",
		SigningCerts: []string{"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
		NameIDFormat: store.NameIDPersistent, Attributes: map[string]string{"email": "email", "groups": "groups"},
		SignResponse: true, SignAssertion: true, RequireSignedRequests: true, SessionLifetime: 8 * time.Hour}
	must(t, s.SAMLServiceProviders().Create(t.Context(), sp))
	return sp
}

func testSAMLSPCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.SAMLServiceProviders()
	tn, other := mkTenant(t, s), mkTenant(t, s)
	sp := mkSAMLSP(t, s, tn.ID)
	if sp.ID == "" || sp.Version != 1 || sp.CreatedAt.IsZero() {
		t.Fatalf("Create did not stamp: %+v", sp)
	}
	got, err := r.Get(ctx, tn.ID, sp.ID)
	must(t, err)
	equal(t, *got, *sp, "Get")
	got, err = r.GetByEntityID(ctx, tn.ID, sp.EntityID)
	must(t, err)
	equal(t, got.ID, sp.ID, "GetByEntityID")
	_, err = r.GetByEntityID(ctx, tn.ID, sp.EntityID+"/")
	wantErr(t, err, store.ErrNotFound, "GetByEntityID matches exactly")

	dup := *sp
	dup.ID = ""
	wantErr(t, r.Create(ctx, &dup), store.ErrConflict, "same entity ID in the tenant")
	dup.ID, dup.TenantID = "", other.ID
	must(t, r.Create(ctx, &dup)) // another tenant may register it

	up, err := r.Update(ctx, tn.ID, sp.ID, sp.Version, func(x *store.SAMLServiceProvider) error {
		x.ACSURLs, x.SLOURL, x.Attributes, x.AllowIdPInitiated = []string{"https://sp.example.org/new"}, "", nil, true
		return nil
	})
	must(t, err)
	equal(t, up.Version, sp.Version+1, "version bumped")
	got, err = r.Get(ctx, tn.ID, sp.ID)
	must(t, err)
	equal(t, *got, *up, "Get after Update")
	if got.SLOURL != "" || got.Attributes != nil || !got.AllowIdPInitiated || len(got.ACSURLs) != 1 {
		t.Fatalf("after Update: %+v", got)
	}
	_, err = r.Update(ctx, tn.ID, sp.ID, sp.Version, func(*store.SAMLServiceProvider) error { return nil })
	wantErr(t, err, store.ErrVersionMismatch, "stale If-Match")
	second := mkSAMLSP(t, s, tn.ID)
	_, err = r.Update(ctx, tn.ID, second.ID, 0, func(x *store.SAMLServiceProvider) error { x.EntityID = sp.EntityID; return nil })
	wantErr(t, err, store.ErrConflict, "Update to a taken entity ID")

	items, next, err := r.List(ctx, tn.ID, store.Page{Limit: 1})
	must(t, err)
	equal(t, len(items), 1, "first page")
	equal(t, items[0].ID, sp.ID, "creation order")
	items, next, err = r.List(ctx, tn.ID, store.Page{Limit: 1, After: next})
	must(t, err)
	equal(t, items[0].ID, second.ID, "second page")
	equal(t, next, "", "last page")

	must(t, s.SAMLRequestIDs().Use(ctx, tn.ID, sp.ID, hash("req"), time.Now().Add(time.Hour), time.Now()))
	must(t, r.Delete(ctx, tn.ID, sp.ID))
	wantErr(t, r.Delete(ctx, tn.ID, sp.ID), store.ErrNotFound, "second Delete")
	_, err = r.Get(ctx, tn.ID, sp.ID)
	wantErr(t, err, store.ErrNotFound, "Get after Delete")
	n, err := s.SAMLRequestIDs().DeleteExpired(ctx, time.Now().Add(2*time.Hour))
	count(t, n, err, 0, "the deleted service provider's request IDs went with it")
}

func testSAMLSPIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.SAMLServiceProviders()
	a, b := mkTenant(t, s), mkTenant(t, s)
	sp := mkSAMLSP(t, s, a.ID)
	_, err := r.Get(ctx, b.ID, sp.ID)
	wantErr(t, err, store.ErrNotFound, "Get from another tenant")
	_, err = r.GetByEntityID(ctx, b.ID, sp.EntityID)
	wantErr(t, err, store.ErrNotFound, "GetByEntityID from another tenant")
	_, err = r.Update(ctx, b.ID, sp.ID, 0, func(*store.SAMLServiceProvider) error { return nil })
	wantErr(t, err, store.ErrNotFound, "Update from another tenant")
	wantErr(t, r.Delete(ctx, b.ID, sp.ID), store.ErrNotFound, "Delete from another tenant")
	items, _, err := r.List(ctx, b.ID, store.Page{})
	must(t, err)
	equal(t, len(items), 0, "List of another tenant")
	now := time.Now()
	wantErr(t, s.SAMLRequestIDs().Use(ctx, b.ID, sp.ID, hash("x"), now.Add(time.Minute), now), store.ErrNotFound,
		"request ID for another tenant's service provider")
	c := mkSAMLCert(t, s, a.ID, nil)
	certs, err := s.SAMLCerts().List(ctx, b.ID)
	must(t, err)
	equal(t, len(certs), 0, "certificates of another tenant")
	wantErr(t, s.SAMLCerts().Activate(ctx, b.ID, c.ID, now), store.ErrNotFound, "Activate from another tenant")
	wantErr(t, s.SAMLCerts().Retire(ctx, b.ID, c.ID, now), store.ErrNotFound, "Retire from another tenant")
	must(t, s.Tenants().Delete(ctx, a.ID))
	_, err = r.Get(ctx, a.ID, sp.ID)
	wantErr(t, err, store.ErrNotFound, "deleting the tenant deletes its service providers")
}

// A request ID is accepted once per service provider until it expires.
func testSAMLRequestIDUseOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	sp, other := mkSAMLSP(t, s, tn.ID), mkSAMLSP(t, s, tn.ID)
	r := s.SAMLRequestIDs()
	now := time.Now()
	exp := now.Add(time.Minute)
	id := hash("_id-1")
	must(t, r.Use(ctx, tn.ID, sp.ID, id, exp, now))
	wantErr(t, r.Use(ctx, tn.ID, sp.ID, id, exp.Add(time.Hour), now.Add(59*time.Second)), store.ErrReused, "replay before expiry")
	must(t, r.Use(ctx, tn.ID, other.ID, id, exp, now))
	must(t, r.Use(ctx, tn.ID, sp.ID, id, exp.Add(time.Minute), exp)) // expired: accepted again
	wantErr(t, r.Use(ctx, tn.ID, "no-such-sp", hash("_id-2"), exp, now), store.ErrNotFound, "unknown service provider")
	n, err := r.DeleteExpired(ctx, exp.Add(time.Second))
	count(t, n, err, 1, "DeleteExpired")
	n, err = r.DeleteExpired(ctx, now.Add(time.Hour))
	count(t, n, err, 1, "the renewed use expires later")
}

func testSAMLRequestIDConcurrentUse(t *testing.T, s store.Store) {
	tn := mkTenant(t, s)
	sp := mkSAMLSP(t, s, tn.ID)
	now := time.Now()
	var ok, reused atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			switch err := s.SAMLRequestIDs().Use(t.Context(), tn.ID, sp.ID, hash("race"), now.Add(time.Minute), now); err {
			case nil:
				ok.Add(1)
			case store.ErrReused:
				reused.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || reused.Load() != 7 {
		t.Fatalf("%d uses succeeded, %d were refused; want 1 and 7", ok.Load(), reused.Load())
	}
}

func mkSAMLCert(t testing.TB, s store.Store, tenantID string, activated *time.Time) *store.SAMLCert {
	t.Helper()
	c := &store.SAMLCert{TenantID: tenantID, Private: []byte("sealed"), CertDER: []byte{0x30, 1, 2}, ActivatedAt: activated}
	must(t, s.SAMLCerts().Create(t.Context(), c))
	return c
}

// Certificates: announced, activated, retired; List leaves retired ones
// out, newest first; Locked hands over a repository in the transaction.
func testSAMLCerts(t *testing.T, s store.Store) {
	ctx := t.Context()
	tn := mkTenant(t, s)
	now := time.Now()
	cur := mkSAMLCert(t, s, tn.ID, &now)
	var next *store.SAMLCert
	must(t, s.SAMLCerts().Locked(ctx, tn.ID, func(r store.SAMLCertRepo) error {
		next = &store.SAMLCert{TenantID: tn.ID, Private: []byte("sealed2"), CertDER: []byte{0x30, 3}, CreatedAt: now.Add(time.Second)}
		return r.Create(ctx, next)
	}))
	list, err := s.SAMLCerts().List(ctx, tn.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != next.ID || list[0].ActivatedAt != nil || list[1].ActivatedAt == nil ||
		!bytes.Equal(list[1].CertDER, cur.CertDER) || !bytes.Equal(list[1].Private, cur.Private) {
		t.Fatalf("List = %+v", list)
	}
	later := now.Add(time.Hour)
	must(t, s.SAMLCerts().Activate(ctx, tn.ID, next.ID, later))
	must(t, s.SAMLCerts().Activate(ctx, tn.ID, next.ID, later.Add(time.Hour))) // the first activation wins
	must(t, s.SAMLCerts().Retire(ctx, tn.ID, cur.ID, later))
	list, err = s.SAMLCerts().List(ctx, tn.ID)
	must(t, err)
	if len(list) != 1 || list[0].ID != next.ID || list[0].ActivatedAt == nil || !list[0].ActivatedAt.Equal(micro(later)) {
		t.Fatalf("List after rotation = %+v", list)
	}
	wantErr(t, s.SAMLCerts().Retire(ctx, tn.ID, "no-such-cert", later), store.ErrNotFound, "Retire of an unknown certificate")
}

// A session's SAML participants: recorded once per SP (a second sign-in
// replaces the NameID and SessionIndex), found by NameID and SessionIndex,
// deleted with their session, their SP, or on logout.
func testSAMLSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.SAMLSessions()
	tn := mkTenant(t, s)
	u := mkUser(t, s, tn.ID, uniq("slo")+"@example.org")
	sess, other := mkSession(t, s, tn.ID, u.ID), mkSession(t, s, tn.ID, u.ID)
	a, b := mkSAMLSP(t, s, tn.ID), mkSAMLSP(t, s, tn.ID)
	rec := func(sessionID, spID, nameID, idx string) {
		t.Helper()
		must(t, r.Record(ctx, &store.SAMLSession{TenantID: tn.ID, SessionID: sessionID, SPID: spID, NameID: nameID,
			NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", SessionIndex: idx}))
	}
	rec(sess.ID, a.ID, "n-a", "_old")
	rec(sess.ID, a.ID, "n-a", "_a1") // replaces
	rec(sess.ID, b.ID, "n-b", "_b1")
	rec(other.ID, a.ID, "n-a", "_a2")
	got, err := r.ListBySession(ctx, tn.ID, sess.ID)
	must(t, err)
	equal(t, len(got), 2, "one row per SP")
	byIdx := map[string]string{}
	for _, p := range got {
		byIdx[p.SPID] = p.SessionIndex
		if p.CreatedAt.IsZero() || p.NameIDFormat == "" {
			t.Fatalf("participant not stamped or format lost: %+v", p)
		}
	}
	equal(t, byIdx[a.ID], "_a1", "the second sign-in replaced the SessionIndex")

	found, err := r.FindBySP(ctx, tn.ID, a.ID, "n-a", nil)
	must(t, err)
	equal(t, len(found), 2, "by NameID alone: both sessions at A")
	found, err = r.FindBySP(ctx, tn.ID, a.ID, "n-a", []string{"_a2", "_nope"})
	must(t, err)
	if len(found) != 1 || found[0].SessionID != other.ID {
		t.Fatalf("by SessionIndex: %+v", found)
	}
	found, err = r.FindBySP(ctx, tn.ID, a.ID, "n-b", []string{"_a1"})
	must(t, err)
	equal(t, len(found), 0, "the NameID must match too")
	found, err = r.FindBySP(ctx, tn.ID, b.ID, "n-a", nil)
	must(t, err)
	equal(t, len(found), 0, "another SP's NameID")

	wantErr(t, r.Record(ctx, &store.SAMLSession{TenantID: tn.ID, SessionID: "no-such-session", SPID: a.ID, NameID: "n",
		SessionIndex: "_x"}), store.ErrNotFound, "unknown session")
	wantErr(t, r.Record(ctx, &store.SAMLSession{TenantID: tn.ID, SessionID: sess.ID, SPID: "no-such-sp", NameID: "n",
		SessionIndex: "_x"}), store.ErrNotFound, "unknown SP")

	must(t, r.DeleteBySession(ctx, tn.ID, sess.ID))
	got, err = r.ListBySession(ctx, tn.ID, sess.ID)
	must(t, err)
	equal(t, len(got), 0, "after DeleteBySession")
	must(t, r.DeleteBySession(ctx, tn.ID, sess.ID)) // none left: no error

	must(t, s.SAMLServiceProviders().Delete(ctx, tn.ID, a.ID))
	got, err = r.ListBySession(ctx, tn.ID, other.ID)
	must(t, err)
	equal(t, len(got), 0, "deleting the SP deletes its participants")
}

func testSAMLSessionIsolation(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := s.SAMLSessions()
	a, b := mkTenant(t, s), mkTenant(t, s)
	u := mkUser(t, s, a.ID, uniq("slo")+"@example.org")
	sess := mkSession(t, s, a.ID, u.ID)
	sp := mkSAMLSP(t, s, a.ID)
	must(t, r.Record(ctx, &store.SAMLSession{TenantID: a.ID, SessionID: sess.ID, SPID: sp.ID, NameID: "n", SessionIndex: "_i"}))
	got, err := r.ListBySession(ctx, b.ID, sess.ID)
	must(t, err)
	equal(t, len(got), 0, "ListBySession from another tenant")
	found, err := r.FindBySP(ctx, b.ID, sp.ID, "n", []string{"_i"})
	must(t, err)
	equal(t, len(found), 0, "FindBySP from another tenant")
	wantErr(t, r.Record(ctx, &store.SAMLSession{TenantID: b.ID, SessionID: sess.ID, SPID: sp.ID, NameID: "n",
		SessionIndex: "_i"}), store.ErrNotFound, "Record into another tenant's session")
	must(t, r.DeleteBySession(ctx, b.ID, sess.ID))
	got, err = r.ListBySession(ctx, a.ID, sess.ID)
	must(t, err)
	equal(t, len(got), 1, "DeleteBySession from another tenant deletes nothing")
}
