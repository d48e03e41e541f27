package keys_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// The first SAML certificate is made once, sealed, RSA-2048; an announced
// certificate is published after the active one before it signs; a
// rotation activates it and drops the old one from metadata.
func TestSAMLCertificateLifecycle(t *testing.T) {
	m, st, ten, clk := setup(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	sets := make([]*keys.SAMLSet, 4)
	for i := range sets {
		wg.Go(func() {
			s, err := m.SAML(ctx, ten.ID)
			if err != nil {
				t.Error(err)
			}
			sets[i] = s
		})
	}
	wg.Wait()
	rows, err := st.SAMLCerts().List(ctx, ten.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("concurrent first use made %d certificates (%v), want 1", len(rows), err)
	}
	set := sets[0]
	if set.Active == nil || set.Active.Key.N.BitLen() != 2048 || len(set.Published) != 1 ||
		!set.Published[0].Equal(set.Active.Cert) || !set.Active.Key.PublicKey.Equal(set.Active.Cert.PublicKey) {
		t.Fatalf("first set: %+v", set)
	}
	if bytes.Contains(rows[0].Private, set.Active.Key.D.Bytes()[:16]) {
		t.Fatal("the private key is stored in the clear")
	}

	if err := m.AnnounceSAML(ctx, ten.ID); err != nil {
		t.Fatal(err)
	}
	if err := m.AnnounceSAML(ctx, ten.ID); err != nil { // one announced at a time
		t.Fatal(err)
	}
	announced, err := m.SAML(ctx, ten.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(announced.Published) != 2 || announced.Active.ID != set.Active.ID || announced.Published[1].Equal(set.Active.Cert) {
		t.Fatalf("after AnnounceSAML: active %s, %d published", announced.Active.ID, len(announced.Published))
	}
	next := announced.Published[1]

	clk.Advance(time.Hour)
	if err := m.RotateSAML(ctx, ten.ID); err != nil {
		t.Fatal(err)
	}
	rotated, err := m.SAML(ctx, ten.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.Active.ID == set.Active.ID || !rotated.Active.Cert.Equal(next) || len(rotated.Published) != 1 {
		t.Fatalf("after RotateSAML: %+v", rotated)
	}

	// Another node (a fresh Manager on the same store) signs with the same
	// certificate.
	other := keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, keyring(t), keys.Config{}, clk.Now, slog.Default())
	o, err := other.SAML(ctx, ten.ID)
	if err != nil {
		t.Fatal(err)
	}
	if o.Active.ID != rotated.Active.ID {
		t.Fatalf("another node's active certificate %s, want %s", o.Active.ID, rotated.Active.ID)
	}
}

func keyring(t testing.TB) *secret.Keyring {
	t.Helper()
	raw, _ := secret.ParseMasterKey("0123456789abcdef0123456789abcdef0123456789")
	kr, err := secret.NewKeyring(raw)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// Another node's rotation is seen at once after SAMLChanged (the cluster
// bus's saml_certs message), not after the refresh period; the key this
// node already opened is kept while it stays active.
func TestSAMLChangedDropsTheCache(t *testing.T) {
	m, st, ten, clk := setup(t)
	ctx := context.Background()
	raw, _ := secret.ParseMasterKey("0123456789abcdef0123456789abcdef0123456789")
	kr, err := secret.NewKeyring(raw)
	if err != nil {
		t.Fatal(err)
	}
	other := keys.New(func(context.Context, string) (store.Store, error) { return st, nil }, kr,
		keys.Config{RotateEvery: 30 * 24 * time.Hour, MaxTokenLifetime: time.Hour, RefreshEvery: time.Minute, RSABits: 2048},
		clk.Now, slog.Default())
	before, err := other.SAML(ctx, ten.ID)
	if err != nil {
		t.Fatal(err)
	}
	other.SAMLChanged(ten.ID) // nothing changed: the same opened key
	same, err := other.SAML(ctx, ten.ID)
	if err != nil || same.Active != before.Active {
		t.Fatalf("after a no-op SAMLChanged the active key was reopened (%v)", err)
	}
	if err := m.RotateSAML(ctx, ten.ID); err != nil {
		t.Fatal(err)
	}
	stale, _ := other.SAML(ctx, ten.ID)
	if stale.Active.ID != before.Active.ID {
		t.Fatal("the cache was not used")
	}
	other.SAMLChanged("")
	now, err := other.SAML(ctx, ten.ID)
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := m.SAML(ctx, ten.ID)
	if now.Active.ID == before.Active.ID || now.Active.ID != mine.Active.ID {
		t.Fatalf("after SAMLChanged: active %s, want %s", now.Active.ID, mine.Active.ID)
	}
}

// The schedule announces the next certificate Announce before the active
// one is Every old, and activates it once it has been announced that long.
func TestRotateSAMLDue(t *testing.T) {
	m, _, ten, clk := setup(t)
	ctx := context.Background()
	sched := keys.SAMLSchedule{Every: 10 * 24 * time.Hour, Announce: 2 * 24 * time.Hour}
	if err := m.RotateSAMLDue(ctx, []string{ten.ID}, sched); err != nil {
		t.Fatal(err)
	}
	if certs, err := m.SAMLCertificates(ctx, ten.ID); err != nil || len(certs) != 1 || !certs[0].Active {
		t.Fatalf("first certificate: %+v %v", certs, err)
	}
	first, _ := m.SAML(ctx, ten.ID)
	step := func(days int, wantPublished int, wantActive string) {
		t.Helper()
		clk.Advance(time.Duration(days) * 24 * time.Hour)
		if err := m.RotateSAMLDue(ctx, []string{ten.ID}, sched); err != nil {
			t.Fatal(err)
		}
		set, err := m.SAML(ctx, ten.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Published) != wantPublished || (wantActive != "" && set.Active.ID != wantActive) {
			t.Fatalf("after %d more days: %d published, active %s", days, len(set.Published), set.Active.ID)
		}
	}
	step(7, 1, first.Active.ID) // day 7: not yet
	step(1, 2, first.Active.ID) // day 8: announced, the old one still signs
	step(1, 2, first.Active.ID) // day 9: announced for one day only
	step(1, 1, "")              // day 10: the announced one signs
	if set, _ := m.SAML(ctx, ten.ID); set.Active.ID == first.Active.ID {
		t.Fatal("not rotated")
	}
	if err := m.RotateSAMLDue(ctx, []string{ten.ID}, keys.SAMLSchedule{}); err != nil { // off
		t.Fatal(err)
	}
	if err := m.ActivateSAML(ctx, ten.ID); err != keys.ErrNoAnnouncedSAML {
		t.Fatalf("ActivateSAML with none announced: %v", err)
	}
}
