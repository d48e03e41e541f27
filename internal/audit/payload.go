package audit

import (
	"encoding/json"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Payload is the JSON body of a webhook delivery and, field for field, the
// Admin API's event representation.
type Payload struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	TenantID  string          `json:"tenant_id"`
	Seq       int64           `json:"seq"`
	Time      time.Time       `json:"time"`
	UserID    string          `json:"user_id,omitempty"`
	ActorID   string          `json:"actor_id,omitempty"`
	IP        string          `json:"ip,omitempty"`
	DeviceID  string          `json:"device_id,omitempty"`
	UserAgent string          `json:"user_agent,omitempty"`
	Decision  string          `json:"decision,omitempty"`
	Reasons   []string        `json:"reasons"`
	Data      json.RawMessage `json:"data"`
}

// PayloadOf renders an audit record.
func PayloadOf(r *store.AuditRecord) Payload {
	var reasons []string
	_ = json.Unmarshal([]byte(r.Reasons), &reasons) // written by recordOf: always a string array
	if reasons == nil {
		reasons = []string{}
	}
	return Payload{ID: r.ID, Type: r.Type, TenantID: r.TenantID, Seq: r.Seq, Time: r.Time, UserID: r.UserID,
		ActorID: r.ActorID, IP: r.IP, DeviceID: r.DeviceID, UserAgent: r.UserAgent, Decision: r.Decision,
		Reasons: reasons, Data: json.RawMessage(r.Data)}
}
