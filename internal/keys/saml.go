package keys

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Each tenant's SAML identity provider signs with an RSA key whose
// self-signed certificate its metadata publishes. The first certificate is
// made on first use, active at once. A rotation is two steps, so service
// providers that read metadata on a schedule learn the next certificate
// before it signs: AnnounceSAML adds the next certificate (metadata lists
// it after the active one), RotateSAML activates it and retires the old
// one, which leaves metadata. Creation and rotation hold the tenant's key
// lock (the OIDC signing keys' lock), so nodes take turns.

const samlSealPurpose = "saml-signing-key"

// samlCertValidity is how long a SAML signing certificate is valid. SAML
// relies on the key, not on the certificate's dates, but some service
// providers refuse an expired certificate.
const samlCertValidity = 10 * 365 * 24 * time.Hour

// SAMLCert is an opened SAML signing certificate.
type SAMLCert struct {
	ID   string
	Key  *rsa.PrivateKey
	Cert *x509.Certificate
}

// SAMLSet is a tenant's SAML certificates: Active signs; Published are the
// certificates metadata lists (the active one, then the announced one).
type SAMLSet struct {
	Active    *SAMLCert
	Published []*x509.Certificate
	loadedAt  time.Time
}

// SAML returns the tenant's SAML certificates, creating the first one.
func (m *Manager) SAML(ctx context.Context, tenantID string) (*SAMLSet, error) {
	if v, ok := m.saml.Load(tenantID); ok {
		if set := v.(*SAMLSet); m.now().Sub(set.loadedAt) < m.cfg.RefreshEvery {
			return set, nil
		}
	}
	return m.loadSAML(ctx, tenantID)
}

// SAMLChanged marks a tenant's cached SAML certificates stale (another
// node changed them), or every tenant's for "": the next use re-reads
// them, keeping the already opened active key if it is still active.
func (m *Manager) SAMLChanged(tenantID string) {
	stale := func(k, v any) bool {
		set := *v.(*SAMLSet)
		set.loadedAt = time.Time{}
		m.saml.Store(k, &set)
		return true
	}
	if tenantID == "" {
		m.saml.Range(stale)
		return
	}
	if v, ok := m.saml.Load(tenantID); ok {
		stale(tenantID, v)
	}
}

// samlRows are the tenant's store and its certificates that are not
// retired.
func (m *Manager) samlRows(ctx context.Context, tenantID string) (store.Store, []store.SAMLCert, error) {
	st, err := m.stores(ctx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	rows, err := st.SAMLCerts().List(ctx, tenantID)
	return st, rows, err
}

func (m *Manager) loadSAML(ctx context.Context, tenantID string) (*SAMLSet, error) {
	st, rows, err := m.samlRows(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if activeSAML(rows) == nil {
		err := m.lockedSAML(ctx, st, tenantID, func(repo store.SAMLCertRepo) error {
			if rows, err = repo.List(ctx, tenantID); err != nil || activeSAML(rows) != nil {
				return err
			}
			m.log.InfoContext(ctx, "creating the tenant's first SAML signing certificate", "tenant_id", tenantID)
			_, err := m.generateSAML(ctx, repo, tenantID, true)
			return err
		})
		if err != nil {
			return nil, err
		}
		if rows, err = st.SAMLCerts().List(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	set, err := m.decodeSAML(tenantID, rows)
	if err != nil {
		return nil, err
	}
	m.saml.Store(tenantID, set)
	return set, nil
}

func (m *Manager) lockedSAML(ctx context.Context, st store.Store, tenantID string, fn func(store.SAMLCertRepo) error) error {
	m.gen.Lock()
	defer m.gen.Unlock()
	return st.SAMLCerts().Locked(ctx, tenantID, fn)
}

// activeSAML returns the newest activated row (rows are newest first).
func activeSAML(rows []store.SAMLCert) *store.SAMLCert {
	for i := range rows {
		if rows[i].ActivatedAt != nil {
			return &rows[i]
		}
	}
	return nil
}

// pendingSAML returns the newest announced row, if any.
func pendingSAML(rows []store.SAMLCert) *store.SAMLCert {
	for i := range rows {
		if rows[i].ActivatedAt == nil {
			return &rows[i]
		}
	}
	return nil
}

func (m *Manager) decodeSAML(tenantID string, rows []store.SAMLCert) (*SAMLSet, error) {
	set := &SAMLSet{loadedAt: m.now()}
	act := activeSAML(rows)
	if act == nil {
		return nil, errors.New("keys: the tenant has no active SAML certificate")
	}
	var prev *SAMLSet
	if v, ok := m.saml.Load(tenantID); ok {
		prev = v.(*SAMLSet)
	}
	if prev != nil && prev.Active != nil && prev.Active.ID == act.ID {
		set.Active = prev.Active
	} else {
		der, err := m.keys.Open(samlSealPurpose, act.Private, sealAD(tenantID, act.ID))
		if err != nil {
			return nil, fmt.Errorf("keys: decrypt SAML key %s (was GATEHOUSE_SECRET_KEY changed?): %w", act.ID, err)
		}
		parsed, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("keys: parse SAML key %s: %w", act.ID, err)
		}
		key, ok := parsed.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("keys: SAML key %s is not RSA", act.ID)
		}
		cert, err := x509.ParseCertificate(act.CertDER)
		if err != nil {
			return nil, fmt.Errorf("keys: parse SAML certificate %s: %w", act.ID, err)
		}
		set.Active = &SAMLCert{ID: act.ID, Key: key, Cert: cert}
	}
	set.Published = append(set.Published, set.Active.Cert)
	if p := pendingSAML(rows); p != nil {
		cert, err := x509.ParseCertificate(p.CertDER)
		if err != nil {
			return nil, fmt.Errorf("keys: parse SAML certificate %s: %w", p.ID, err)
		}
		set.Published = append(set.Published, cert)
	}
	return set, nil
}

// generateSAML creates a certificate, active at once or announced.
func (m *Manager) generateSAML(ctx context.Context, repo store.SAMLCertRepo, tenantID string, active bool) (*store.SAMLCert, error) {
	bits := m.cfg.RSABits
	if bits < 2048 {
		bits = 2048
	}
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	now := m.now().UTC()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Gatehouse SAML signing " + tenantID},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(samlCertValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return nil, err
	}
	id := secret.Token(12)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	sealed, err := m.keys.Seal(samlSealPurpose, der, sealAD(tenantID, id))
	if err != nil {
		return nil, err
	}
	c := &store.SAMLCert{TenantID: tenantID, ID: id, Private: sealed, CertDER: certDER, CreatedAt: now}
	if active {
		c.ActivatedAt = &now
	}
	return c, repo.Create(ctx, c)
}

// AnnounceSAML adds the tenant's next SAML certificate, listed in metadata
// but not signing, unless one is announced already.
func (m *Manager) AnnounceSAML(ctx context.Context, tenantID string) error {
	if _, err := m.SAML(ctx, tenantID); err != nil { // the active one first
		return err
	}
	st, err := m.stores(ctx, tenantID)
	if err != nil {
		return err
	}
	err = m.lockedSAML(ctx, st, tenantID, func(repo store.SAMLCertRepo) error {
		rows, err := repo.List(ctx, tenantID)
		if err != nil || pendingSAML(rows) != nil {
			return err
		}
		_, err = m.generateSAML(ctx, repo, tenantID, false)
		return err
	})
	if err != nil {
		return err
	}
	_, err = m.loadSAML(ctx, tenantID)
	return err
}

// RotateSAML activates the announced certificate (announcing one first if
// there is none; service providers that have not read metadata since
// then must be told) and retires the active one.
func (m *Manager) RotateSAML(ctx context.Context, tenantID string) error {
	if err := m.AnnounceSAML(ctx, tenantID); err != nil {
		return err
	}
	return m.ActivateSAML(ctx, tenantID)
}

// ErrNoAnnouncedSAML: ActivateSAML found no announced certificate.
var ErrNoAnnouncedSAML = errors.New("keys: no announced SAML certificate to activate")

// ActivateSAML makes the announced certificate sign and retires the
// active one. ErrNoAnnouncedSAML if none is announced.
func (m *Manager) ActivateSAML(ctx context.Context, tenantID string) error {
	st, err := m.stores(ctx, tenantID)
	if err != nil {
		return err
	}
	err = m.lockedSAML(ctx, st, tenantID, func(repo store.SAMLCertRepo) error {
		rows, err := repo.List(ctx, tenantID)
		if err != nil {
			return err
		}
		next, cur := pendingSAML(rows), activeSAML(rows)
		if next == nil {
			return ErrNoAnnouncedSAML
		}
		now := m.now().UTC()
		if err := repo.Activate(ctx, tenantID, next.ID, now); err != nil {
			return err
		}
		if cur != nil {
			return repo.Retire(ctx, tenantID, cur.ID, now)
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = m.loadSAML(ctx, tenantID)
	return err
}

// SAMLCertInfo describes a published SAML certificate.
type SAMLCertInfo struct {
	ID          string
	Cert        *x509.Certificate
	Active      bool // else announced
	CreatedAt   time.Time
	ActivatedAt *time.Time
}

// SAMLCertificates lists the certificates the tenant's metadata publishes:
// the active one first, then the announced one. The first certificate is
// made if the tenant has none.
func (m *Manager) SAMLCertificates(ctx context.Context, tenantID string) ([]SAMLCertInfo, error) {
	if _, err := m.SAML(ctx, tenantID); err != nil {
		return nil, err
	}
	_, rows, err := m.samlRows(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var out []SAMLCertInfo
	for _, r := range []*store.SAMLCert{activeSAML(rows), pendingSAML(rows)} {
		if r == nil {
			continue
		}
		cert, err := x509.ParseCertificate(r.CertDER)
		if err != nil {
			return nil, fmt.Errorf("keys: parse SAML certificate %s: %w", r.ID, err)
		}
		out = append(out, SAMLCertInfo{ID: r.ID, Cert: cert, Active: r.ActivatedAt != nil, CreatedAt: r.CreatedAt, ActivatedAt: r.ActivatedAt})
	}
	return out, nil
}

// SAMLSchedule is the scheduled rotation of SAML certificates: off when
// Every is 0. A certificate that has signed for Every-Announce gets an
// announced successor, which activates once it has been announced for
// Announce.
type SAMLSchedule struct {
	Every, Announce time.Duration
}

// RotateSAMLDue takes each tenant's SAML certificates one step along the
// schedule (tenants without any are left alone: they get theirs on first
// use).
func (m *Manager) RotateSAMLDue(ctx context.Context, tenantIDs []string, sched SAMLSchedule) error {
	if sched.Every <= 0 {
		return nil
	}
	now := m.now()
	var errs []error
	for _, tid := range tenantIDs {
		_, rows, err := m.samlRows(ctx, tid)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		act, next := activeSAML(rows), pendingSAML(rows)
		switch {
		case next != nil && now.Sub(next.CreatedAt) >= sched.Announce:
			m.log.InfoContext(ctx, "activating the announced SAML certificate", "tenant_id", tid, "cert_id", next.ID)
			errs = append(errs, m.ActivateSAML(ctx, tid))
		case next == nil && act != nil && act.ActivatedAt != nil && now.Sub(*act.ActivatedAt) >= sched.Every-sched.Announce:
			m.log.InfoContext(ctx, "announcing the next SAML certificate", "tenant_id", tid)
			errs = append(errs, m.AnnounceSAML(ctx, tid))
		}
	}
	return errors.Join(errs...)
}

// ResealSAMLCert returns a stored SAML signing key (store.SealedSAMLCerts)
// sealed under the keyring's current master key; changed is false when it
// already was.
func ResealSAMLCert(k *secret.Keyring, v store.SealedValue) (next []byte, changed bool, err error) {
	return k.Reseal(samlSealPurpose, v.Value, sealAD(v.TenantID, v.ID))
}
