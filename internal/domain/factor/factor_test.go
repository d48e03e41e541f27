package factor_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/factor"
	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
)

func TestPolicyEvaluate(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	admin := &identity.User{ID: "u1", CreatedAt: created, Attributes: map[string]any{"roles": []any{"admin", "staff"}}}
	customer := &identity.User{ID: "u2", CreatedAt: created}
	week := factor.Duration(7 * 24 * time.Hour)
	enforced := created.Add(30 * 24 * time.Hour)
	day := func(n int) time.Time { return created.Add(time.Duration(n) * 24 * time.Hour) }
	ptr := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name      string
		p         factor.Policy
		u         *identity.User
		client    string
		hasFactor bool
		now       time.Time
		want      factor.Requirement
	}{
		{"zero policy is optional", factor.Policy{}, customer, "app", false, day(1), factor.Requirement{}},
		{"off", factor.Policy{Mode: factor.ModeOff, PhishingResistantRoles: []string{"admin"}}, admin, "app", true, day(1), factor.Requirement{}},
		{"required", factor.Policy{Mode: factor.ModeRequired}, customer, "app", true, day(1), factor.Requirement{Required: true}},
		{"conditional by role", factor.Policy{Mode: factor.ModeConditional, RequiredRoles: []string{"admin"}}, admin, "app", true, day(1), factor.Requirement{Required: true}},
		{"conditional, other role", factor.Policy{Mode: factor.ModeConditional, RequiredRoles: []string{"admin"}}, customer, "app", true, day(1), factor.Requirement{}},
		{"conditional by client", factor.Policy{Mode: factor.ModeConditional, RequiredClients: []string{"bank"}}, customer, "bank", true, day(1), factor.Requirement{Required: true}},
		{"conditional, other client", factor.Policy{Mode: factor.ModeConditional, RequiredClients: []string{"bank"}}, customer, "shop", true, day(1), factor.Requirement{}},
		{"phishing-resistant role in optional mode", factor.Policy{PhishingResistantRoles: []string{"admin"}}, admin, "", true, day(1),
			factor.Requirement{Required: true, PhishingResistant: true}},
		{"grace from creation", factor.Policy{Mode: factor.ModeRequired, GracePeriod: week}, customer, "", false, day(3),
			factor.Requirement{Required: true, GraceUntil: ptr(day(7))}},
		{"grace over", factor.Policy{Mode: factor.ModeRequired, GracePeriod: week}, customer, "", false, day(7), factor.Requirement{Required: true}},
		{"grace from enforcement", factor.Policy{Mode: factor.ModeRequired, GracePeriod: week, EnforcedSince: &enforced}, customer, "", false, day(32),
			factor.Requirement{Required: true, GraceUntil: ptr(day(37))}},
		{"no grace with a factor", factor.Policy{Mode: factor.ModeRequired, GracePeriod: week}, customer, "", true, day(3), factor.Requirement{Required: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.Evaluate(tt.u, tt.client, tt.hasFactor, tt.now)
			if got.Required != tt.want.Required || got.PhishingResistant != tt.want.PhishingResistant ||
				(got.GraceUntil == nil) != (tt.want.GraceUntil == nil) || (got.GraceUntil != nil && !got.GraceUntil.Equal(*tt.want.GraceUntil)) {
				t.Fatalf("Evaluate = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPolicyJSON(t *testing.T) {
	var p factor.Policy
	if err := json.Unmarshal([]byte(`{"mode":"required","grace_period":"168h","webauthn":{"rp_id":"example.com"}}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Mode != factor.ModeRequired || p.GracePeriod != factor.Duration(168*time.Hour) || p.WebAuthn.RPID != "example.com" {
		t.Fatalf("decoded %+v", p)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back factor.Policy
	if err := json.Unmarshal(b, &back); err != nil || back.GracePeriod != p.GracePeriod {
		t.Fatalf("round trip %s: %+v, %v", b, back, err)
	}
	if err := json.Unmarshal([]byte(`{"grace_period":"soon"}`), &p); err == nil {
		t.Fatal("a bad duration was accepted")
	}
}

func TestAMRFor(t *testing.T) {
	tests := []struct {
		t            factor.FactorType
		uv, platform bool
		want         []string
	}{
		{factor.WebAuthn, true, false, []string{"hwk", "user"}},
		{factor.WebAuthn, false, true, []string{"swk"}},
		{factor.TOTP, false, false, []string{"otp"}},
		{factor.EmailOTP, false, false, []string{"otp"}},
		{factor.Recovery, false, false, []string{"otp"}},
		{factor.SMS, false, false, []string{"otp", "sms"}},
		{"unknown", false, false, nil},
	}
	for _, tt := range tests {
		if got := factor.AMRFor(tt.t, tt.uv, tt.platform); !slices.Equal(got, tt.want) {
			t.Errorf("AMRFor(%s, %v, %v) = %v, want %v", tt.t, tt.uv, tt.platform, got, tt.want)
		}
	}
}

func TestACRFor(t *testing.T) {
	tests := []struct {
		amr  []string
		want string
	}{
		{[]string{"pwd"}, factor.ACRPassword},
		{[]string{"otp"}, factor.ACRPassword},
		{[]string{"pwd", "otp"}, factor.ACRMFA},
		{[]string{"pwd", "otp", "sms"}, factor.ACRMFA},
		{[]string{"pwd", "hwk"}, factor.ACRPhishingResistant},
		{[]string{"swk", "user"}, factor.ACRPhishingResistant},
		{[]string{"hwk"}, factor.ACRPassword},
		{[]string{"mfa", "otp"}, factor.ACRMFA},
		{nil, factor.ACRPassword},
	}
	for _, tt := range tests {
		if got := factor.ACRFor(tt.amr); got != tt.want {
			t.Errorf("ACRFor(%v) = %q, want %q", tt.amr, got, tt.want)
		}
	}
}

func TestSatisfies(t *testing.T) {
	tests := []struct {
		have      string
		requested []string
		want      bool
	}{
		{factor.ACRPassword, nil, true},
		{factor.ACRPassword, []string{factor.ACRMFA}, false},
		{factor.ACRMFA, []string{factor.ACRMFA}, true},
		{factor.ACRMFA, []string{"phr"}, false},
		{factor.ACRMFA, []string{"urn:gatehouse:acr:phr"}, false},
		{"phr", []string{factor.ACRMFA}, true},
		{"phr", []string{"urn:gatehouse:acr:phr"}, true},
		{factor.ACRPassword, []string{"phr", factor.ACRPassword}, true},
		{factor.ACRPassword, []string{"urn:example:unknown"}, true},
		{"", []string{factor.ACRPassword}, false},
	}
	for _, tt := range tests {
		if got := factor.Satisfies(tt.have, tt.requested); got != tt.want {
			t.Errorf("Satisfies(%q, %v) = %v, want %v", tt.have, tt.requested, got, tt.want)
		}
	}
}
