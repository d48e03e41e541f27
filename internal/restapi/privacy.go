package restapi

// The consent ledger on the wire, the same for the Admin API and the
// account API (issue 15).

import (
	"errors"
	"strconv"
	"time"

	"github.com/gatehouse-iam/gatehouse/api/gen"
	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/privacy"
	"github.com/gatehouse-iam/gatehouse/internal/store"
	"github.com/oapi-codegen/nullable"
)

// TypeRequiredPurpose is the problem of withdrawing a required purpose.
const TypeRequiredPurpose = "urn:gatehouse:problem:required-purpose"

// PrivacyProblem maps the privacy service's refusals; other errors go
// through Problem.
func PrivacyProblem(err error) error {
	var re *privacy.RequiredError
	switch {
	case errors.As(err, &re):
		return httpx.NewProblem(409, TypeRequiredPurpose, "Required purpose",
			"The purpose \""+re.PurposeID+"\" is required to have an account: consent to it cannot be withdrawn. "+
				"Deleting the account (DELETE /v1/me, or the Admin API's user delete), which erases the person, ends it.")
	case errors.Is(err, privacy.ErrUnknownPurpose):
		return httpx.NotFound("No such privacy purpose in this tenant.")
	}
	return err
}

// PurposeJSON renders a purpose.
func PurposeJSON(p *store.Purpose) gen.PrivacyPurpose {
	return gen.PrivacyPurpose{ID: p.ID, Name: p.Name, Description: p.Description, LegalBasis: gen.LegalBasis(p.LegalBasis),
		Required: p.Required, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// PrivacyStateJSON renders a person's decisions.
func PrivacyStateJSON(items []privacy.Item) gen.PrivacyState {
	out := gen.PrivacyState{Purposes: make([]gen.PrivacyPurposeState, len(items))}
	for i := range items {
		it := &items[i]
		p := it.Purpose
		s := gen.PrivacyPurposeState{PurposeID: p.ID, Name: p.Name, Description: p.Description,
			LegalBasis: gen.LegalBasis(p.LegalBasis), Required: p.Required, Version: p.Version,
			Granted: it.Granted(), ReconsentRequired: it.ReconsentRequired()}
		if d := it.Decision; d != nil {
			s.AgreedVersion = nullable.NewNullableWithValue(d.Version)
			s.At = nullable.NewNullableWithValue(d.At)
			s.ReceiptID = nullable.NewNullableWithValue(d.ReceiptID)
		} else {
			s.AgreedVersion, s.At, s.ReceiptID = nullable.NewNullNullable[int64](), nullable.NewNullNullable[time.Time](), nullable.NewNullNullable[string]()
		}
		out.Purposes[i] = s
	}
	return out
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// LedgerEntryJSON renders a ledger entry.
func LedgerEntryJSON(e *store.ConsentEntry) gen.PrivacyLedgerEntry {
	return gen.PrivacyLedgerEntry{ID: e.ID, PurposeID: e.PurposeID, Version: e.PurposeVersion, Granted: e.Granted, At: e.At,
		Channel: gen.PrivacyChannel(e.Channel), IP: optString(e.IP), UserAgent: optString(e.UserAgent),
		ActorID: optString(e.ActorID), Evidence: optString(e.Evidence), ReceiptID: e.ID}
}

// PrivacyHistoryJSON renders a page of the ledger.
func PrivacyHistoryJSON(items []store.ConsentEntry, next string) gen.PrivacyHistory {
	out := gen.PrivacyHistory{Items: make([]gen.PrivacyLedgerEntry, len(items)), NextCursor: NextCursor(next)}
	for i := range items {
		out.Items[i] = LedgerEntryJSON(&items[i])
	}
	return out
}

// ReceiptJSON renders an entry's receipt.
func ReceiptJSON(e *store.ConsentEntry) gen.PrivacyReceipt {
	return gen.PrivacyReceipt{ReceiptID: e.ID, Jws: e.Receipt}
}

// PurposeETag is a purpose's entity tag: its version and when it last
// changed (a change of `required` alone keeps the version).
func PurposeETag(p *gen.PrivacyPurpose) string {
	return `"` + strconv.FormatInt(p.Version, 10) + "." + strconv.FormatInt(p.UpdatedAt.UnixMicro(), 10) + `"`
}

// EntryETag is a ledger entry's entity tag: its ID (entries never change).
func EntryETag(e *gen.PrivacyLedgerEntry) string { return `"` + e.ID + `"` }
