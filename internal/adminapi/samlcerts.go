package adminapi

import (
	"context"
	"crypto/sha256"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// The tenant's SAML signing certificates (keys.Manager, saml.go): listed as
// the metadata publishes them, and rotated in two steps (announce, then
// activate).

func samlCertJSON(c *keys.SAMLCertInfo) gen.SamlSigningCertificate {
	sum := sha256.Sum256(c.Cert.Raw)
	fp := make([]string, len(sum))
	for i, b := range sum {
		fp[i] = fmt.Sprintf("%02X", b)
	}
	out := gen.SamlSigningCertificate{ID: c.ID, Status: gen.SamlSigningCertificateStatusAnnounced,
		Certificate:       string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})),
		Sha256Fingerprint: strings.Join(fp, ":"), CreatedAt: c.CreatedAt, NotAfter: c.Cert.NotAfter.UTC(),
		ActivatedAt: nullable.NewNullNullable[time.Time]()}
	if c.Active {
		out.Status = gen.SamlSigningCertificateStatusActive
	}
	if c.ActivatedAt != nil {
		out.ActivatedAt = nullable.NewNullableWithValue(*c.ActivatedAt)
	}
	return out
}

func (a *SigningKeys) samlCertificates(ctx context.Context) (gen.SamlSigningCertificateSet, error) {
	sc := tenancy.From(ctx)
	certs, err := a.keys.SAMLCertificates(ctx, sc.Tenant.ID)
	if err != nil {
		return gen.SamlSigningCertificateSet{}, err
	}
	out := gen.SamlSigningCertificateSet{Items: make([]gen.SamlSigningCertificate, len(certs))}
	for i := range certs {
		out.Items[i] = samlCertJSON(&certs[i])
	}
	return out, nil
}

func (a *SigningKeys) rotateSAMLCertificates(ctx context.Context, in *gen.SamlCertificateRotation) (gen.SamlSigningCertificateSet, error) {
	sc := tenancy.From(ctx)
	if in == nil {
		return gen.SamlSigningCertificateSet{}, httpx.Validation("A step is required.", httpx.FieldError{Field: "/step", Message: "announce or activate"})
	}
	var err error
	switch in.Step {
	case gen.SamlCertificateRotationStepAnnounce:
		err = a.keys.AnnounceSAML(ctx, sc.Tenant.ID)
	case gen.SamlCertificateRotationStepActivate:
		err = a.keys.ActivateSAML(ctx, sc.Tenant.ID)
		if errors.Is(err, keys.ErrNoAnnouncedSAML) {
			return gen.SamlSigningCertificateSet{}, httpx.Conflict("No certificate is announced: announce one first, and activate it once the service providers trust it.")
		}
	default:
		return gen.SamlSigningCertificateSet{}, httpx.Validation("Unknown step.", httpx.FieldError{Field: "/step", Message: "announce or activate"})
	}
	if err != nil {
		return gen.SamlSigningCertificateSet{}, err
	}
	a.recordAdmin(ctx, sc.Tenant.ID, "saml_certificate."+string(in.Step)+"d", "", nil)
	return a.samlCertificates(ctx)
}

func (a *SigningKeys) GetSamlCertificates(ctx context.Context, _ gen.GetSamlCertificatesRequestObject) (gen.GetSamlCertificatesResponseObject, error) {
	out, err := a.samlCertificates(ctx)
	if err != nil {
		return nil, err
	}
	return gen.GetSamlCertificates200JSONResponse(out), nil
}

func (a *SigningKeys) RotateSamlCertificates(ctx context.Context, r gen.RotateSamlCertificatesRequestObject) (gen.RotateSamlCertificatesResponseObject, error) {
	out, err := a.rotateSAMLCertificates(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RotateSamlCertificates200JSONResponse(out), nil
}

func (a *SigningKeys) GetTenantSamlCertificates(ctx context.Context, _ gen.GetTenantSamlCertificatesRequestObject) (gen.GetTenantSamlCertificatesResponseObject, error) {
	out, err := a.samlCertificates(ctx)
	if err != nil {
		return nil, err
	}
	return gen.GetTenantSamlCertificates200JSONResponse(out), nil
}

func (a *SigningKeys) RotateTenantSamlCertificates(ctx context.Context, r gen.RotateTenantSamlCertificatesRequestObject) (gen.RotateTenantSamlCertificatesResponseObject, error) {
	out, err := a.rotateSAMLCertificates(ctx, r.Body)
	if err != nil {
		return nil, err
	}
	return gen.RotateTenantSamlCertificates200JSONResponse(out), nil
}
