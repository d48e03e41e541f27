package federation

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/secret"
)

// Linking an identity from the account settings (/v1/me/identities): the
// account API seals a ticket naming the user and the connection, and the
// hosted login's link page opens it. The ticket is sealed with the keyring
// (bound to the tenant and connection), short-lived, and only honoured
// for a browser whose hosted session is the same user's, so a ticket
// handed to someone else links nothing.

// LinkTicketTTL is how long a link ticket is valid.
const LinkTicketTTL = 5 * time.Minute

const linkPurpose = "federation-link-v1"

// ErrLinkTicket: a link ticket that does not open, is for another tenant
// or connection, or expired.
var ErrLinkTicket = errors.New("federation: invalid or expired link ticket")

// LinkTicket is what a link ticket says.
type LinkTicket struct {
	UserID  string `json:"u"`
	Expires int64  `json:"e"`
}

// SealLinkTicket seals a ticket for userID to link their identity at the
// tenant's connection, valid until expires.
func SealLinkTicket(k *secret.Keyring, tenantID, connectionID, userID string, expires time.Time) (string, error) {
	raw, err := json.Marshal(LinkTicket{UserID: userID, Expires: expires.Unix()})
	if err != nil {
		return "", err
	}
	sealed, err := k.Seal(linkPurpose, raw, []byte(tenantID+"/"+connectionID))
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// OpenLinkTicket opens a ticket for the tenant's connection at now.
func OpenLinkTicket(k *secret.Keyring, tenantID, connectionID, ticket string, now time.Time) (*LinkTicket, error) {
	if len(ticket) > 1024 {
		return nil, ErrLinkTicket
	}
	sealed, err := base64.RawURLEncoding.DecodeString(ticket)
	if err != nil {
		return nil, ErrLinkTicket
	}
	raw, err := k.Open(linkPurpose, sealed, []byte(tenantID+"/"+connectionID))
	if err != nil {
		return nil, ErrLinkTicket
	}
	var lt LinkTicket
	if json.Unmarshal(raw, &lt) != nil || lt.UserID == "" || !now.Before(time.Unix(lt.Expires, 0)) {
		return nil, ErrLinkTicket
	}
	return &lt, nil
}
