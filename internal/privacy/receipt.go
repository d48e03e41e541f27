package privacy

import (
	"context"
	"encoding/json"

	"github.com/gatehouse-iam/gatehouse/internal/keys"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/gatehouse-iam/gatehouse/internal/tenancy"
)

// ReceiptVersion is the Kantara Initiative Consent Receipt specification
// the receipts follow (v1.1, its field names).
const ReceiptVersion = "KI-CR-v1.1.0"

// ReceiptAlg is the algorithm receipts are signed with: the tenant's
// RS256 token-signing key, published in its JWKS.
const ReceiptAlg = keys.RS256

// Receipt is the claims of a consent receipt: the registered JWT claims
// and the Kantara consent receipt fields that apply to one decision.
type Receipt struct {
	Issuer   string `json:"iss"`
	Subject  string `json:"sub"`
	IssuedAt int64  `json:"iat"`
	JWTID    string `json:"jti"`
	Version  string `json:"version"`
	// Jurisdiction is the tenant's data residency region, or "global"
	// for a tenant without one.
	Jurisdiction     string           `json:"jurisdiction"`
	ConsentTimestamp int64            `json:"consentTimestamp"`
	CollectionMethod string           `json:"collectionMethod"`
	ConsentReceiptID string           `json:"consentReceiptID"`
	PIIPrincipalID   string           `json:"piiPrincipalId"`
	PIIControllers   []ReceiptControl `json:"piiControllers"`
	PolicyURL        string           `json:"policyUrl,omitempty"`
	Services         []ReceiptService `json:"services"`
	Sensitive        bool             `json:"sensitive"`
	SPICat           []string         `json:"spiCat"`
}

// ReceiptControl is the controller: the tenant.
type ReceiptControl struct {
	PIIController string `json:"piiController"`
	URL           string `json:"piiControllerUrl"`
	OnBehalf      bool   `json:"onBehalf"`
}

// ReceiptService is the tenant's service and the purpose decided on.
type ReceiptService struct {
	Service  string           `json:"service"`
	Purposes []ReceiptPurpose `json:"purposes"`
}

// ReceiptPurpose is the purpose, its version and the decision.
type ReceiptPurpose struct {
	Purpose              string   `json:"purpose"`
	PurposeID            string   `json:"purposeId"`
	PurposeVersion       int64    `json:"purposeVersion"`
	PurposeCategory      []string `json:"purposeCategory"`
	ConsentType          string   `json:"consentType"`
	LegalBasis           string   `json:"legalBasis"`
	Granted              bool     `json:"granted"`
	PrimaryPurpose       bool     `json:"primaryPurpose"`
	Termination          string   `json:"termination"`
	ThirdPartyDisclosure bool     `json:"thirdPartyDisclosure"`
}

// NewReceipt returns the receipt of entry e about purpose p.
func NewReceipt(t *tenancy.Tenant, e *store.ConsentEntry, p *store.Purpose) *Receipt {
	jur := t.Tenant.Region
	if jur == "" {
		jur = "global"
	}
	name := t.Tenant.DisplayName
	if name == "" {
		name = t.Tenant.Slug
	}
	termination := "withdrawal through the account's privacy settings"
	if p.Required {
		termination = "deletion of the account"
	}
	return &Receipt{
		Issuer: t.Issuer, Subject: e.UserID, IssuedAt: e.At.Unix(), JWTID: e.ID, Version: ReceiptVersion,
		Jurisdiction: jur, ConsentTimestamp: e.At.Unix(), CollectionMethod: e.Channel, ConsentReceiptID: e.ID,
		PIIPrincipalID: e.UserID,
		PIIControllers: []ReceiptControl{{PIIController: name, URL: t.Issuer}},
		PolicyURL:      t.Tenant.Onboarding.TermsURI,
		Services: []ReceiptService{{Service: name, Purposes: []ReceiptPurpose{{
			Purpose: p.Name, PurposeID: p.ID, PurposeVersion: p.Version, PurposeCategory: []string{p.ID},
			ConsentType: "EXPLICIT", LegalBasis: p.LegalBasis, Granted: e.Granted, PrimaryPurpose: p.Required,
			Termination: termination,
		}}}},
		SPICat: []string{},
	}
}

// sign makes the compact JWS of e's receipt with the tenant's key.
func (s *Service) sign(ctx context.Context, t *tenancy.Tenant, e *store.ConsentEntry, p *store.Purpose) (string, error) {
	claims, err := json.Marshal(NewReceipt(t, e, p))
	if err != nil {
		return "", err
	}
	k, err := s.Keys.Active(ctx, t.Tenant.ID, ReceiptAlg)
	if err != nil {
		return "", err
	}
	return k.SignJWT(false, claims)
}
