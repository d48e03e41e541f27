package mfa_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/mfa"
)

func TestPolicyEvaluate(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	admin := &identity.User{ID: "u1", CreatedAt: created, Attributes: map[string]any{"roles": []any{"admin", "staff"}}}
	customer := &identity.User{ID: "u2", CreatedAt: created}
	week := mfa.Duration(7 * 24 * time.Hour)
	enforced := created.Add(30 * 24 * time.Hour)
	day := func(n int) time.Time { return created.Add(time.Duration(n) * 24 * time.Hour) }
	ptr := func(t time.Time) *time.Time { return &t }
	tests := []struct {
		name      string
		p         mfa.Policy
		u         *identity.User
		client    string
		hasFactor bool
		now       time.Time
		want      mfa.Requirement
	}{
		{"zero policy is optional", mfa.Policy{}, customer, "app", false, day(1), mfa.Requirement{}},
		{"off", mfa.Policy{Mode: mfa.ModeOff, PhishingResistantRoles: []string{"admin"}}, admin, "app", true, day(1), mfa.Requirement{}},
		{"required", mfa.Policy{Mode: mfa.ModeRequired}, customer, "app", true, day(1), mfa.Requirement{Required: true}},
		{"conditional by role", mfa.Policy{Mode: mfa.ModeConditional, RequiredRoles: []string{"admin"}}, admin, "app", true, day(1), mfa.Requirement{Required: true}},
		{"conditional, other role", mfa.Policy{Mode: mfa.ModeConditional, RequiredRoles: []string{"admin"}}, customer, "app", true, day(1), mfa.Requirement{}},
		{"conditional by client", mfa.Policy{Mode: mfa.ModeConditional, RequiredClients: []string{"bank"}}, customer, "bank", true, day(1), mfa.Requirement{Required: true}},
		{"conditional, other client", mfa.Policy{Mode: mfa.ModeConditional, RequiredClients: []string{"bank"}}, customer, "shop", true, day(1), mfa.Requirement{}},
		{"phishing-resistant role in optional mode", mfa.Policy{PhishingResistantRoles: []string{"admin"}}, admin, "", true, day(1),
			mfa.Requirement{Required: true, PhishingResistant: true}},
		{"grace from creation", mfa.Policy{Mode: mfa.ModeRequired, GracePeriod: week}, customer, "", false, day(3),
			mfa.Requirement{Required: true, GraceUntil: ptr(day(7))}},
		{"grace over", mfa.Policy{Mode: mfa.ModeRequired, GracePeriod: week}, customer, "", false, day(7), mfa.Requirement{Required: true}},
		{"grace from enforcement", mfa.Policy{Mode: mfa.ModeRequired, GracePeriod: week, EnforcedSince: &enforced}, customer, "", false, day(32),
			mfa.Requirement{Required: true, GraceUntil: ptr(day(37))}},
		{"no grace with a factor", mfa.Policy{Mode: mfa.ModeRequired, GracePeriod: week}, customer, "", true, day(3), mfa.Requirement{Required: true}},
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
	var p mfa.Policy
	if err := json.Unmarshal([]byte(`{"mode":"required","grace_period":"168h","webauthn":{"rp_id":"example.com"}}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Mode != mfa.ModeRequired || p.GracePeriod != mfa.Duration(168*time.Hour) || p.WebAuthn.RPID != "example.com" {
		t.Fatalf("decoded %+v", p)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back mfa.Policy
	if err := json.Unmarshal(b, &back); err != nil || back.GracePeriod != p.GracePeriod {
		t.Fatalf("round trip %s: %+v, %v", b, back, err)
	}
	if err := json.Unmarshal([]byte(`{"grace_period":"soon"}`), &p); err == nil {
		t.Fatal("a bad duration was accepted")
	}
}

func TestAMRFor(t *testing.T) {
	tests := []struct {
		t            mfa.FactorType
		uv, platform bool
		want         []string
	}{
		{mfa.WebAuthn, true, false, []string{"hwk", "user"}},
		{mfa.WebAuthn, false, true, []string{"swk"}},
		{mfa.TOTP, false, false, []string{"otp"}},
		{mfa.EmailOTP, false, false, []string{"otp"}},
		{mfa.Recovery, false, false, []string{"otp"}},
		{mfa.SMS, false, false, []string{"otp", "sms"}},
		{"unknown", false, false, nil},
	}
	for _, tt := range tests {
		if got := mfa.AMRFor(tt.t, tt.uv, tt.platform); !slices.Equal(got, tt.want) {
			t.Errorf("AMRFor(%s, %v, %v) = %v, want %v", tt.t, tt.uv, tt.platform, got, tt.want)
		}
	}
}

func TestACRFor(t *testing.T) {
	tests := []struct {
		amr  []string
		want string
	}{
		{[]string{"pwd"}, mfa.ACRPassword},
		{[]string{"otp"}, mfa.ACRPassword},
		{[]string{"pwd", "otp"}, mfa.ACRMFA},
		{[]string{"pwd", "otp", "sms"}, mfa.ACRMFA},
		{[]string{"pwd", "hwk"}, mfa.ACRPhishingResistant},
		{[]string{"swk", "user"}, mfa.ACRPhishingResistant},
		{[]string{"hwk"}, mfa.ACRPassword},
		{[]string{"mfa", "otp"}, mfa.ACRMFA},
		{nil, mfa.ACRPassword},
	}
	for _, tt := range tests {
		if got := mfa.ACRFor(tt.amr); got != tt.want {
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
		{mfa.ACRPassword, nil, true},
		{mfa.ACRPassword, []string{mfa.ACRMFA}, false},
		{mfa.ACRMFA, []string{mfa.ACRMFA}, true},
		{mfa.ACRMFA, []string{"phr"}, false},
		{mfa.ACRMFA, []string{"urn:gatehouse:acr:phr"}, false},
		{"phr", []string{mfa.ACRMFA}, true},
		{"phr", []string{"urn:gatehouse:acr:phr"}, true},
		{mfa.ACRPassword, []string{"phr", mfa.ACRPassword}, true},
		{mfa.ACRPassword, []string{"urn:example:unknown"}, true},
		{"", []string{mfa.ACRPassword}, false},
	}
	for _, tt := range tests {
		if got := mfa.Satisfies(tt.have, tt.requested); got != tt.want {
			t.Errorf("Satisfies(%q, %v) = %v, want %v", tt.have, tt.requested, got, tt.want)
		}
	}
}
