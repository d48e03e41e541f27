package loginflow_test

import (
	"testing"

	"github.com/gatehouse-iam/gatehouse/internal/federation"
	"github.com/gatehouse-iam/gatehouse/internal/loginflow"
)

// The upstream's amr says MFA with "mfa", or "otp"/"hwk" beside another
// method; a single method, "otp" alone included, is one factor.
func TestUpstreamMFA(t *testing.T) {
	for _, c := range []struct {
		amr  any
		want bool
	}{
		{[]any{"mfa"}, true},
		{[]any{"pwd", "mfa"}, true},
		{[]string{"pwd", "otp"}, true},
		{[]any{"hwk", "user"}, true},
		{[]any{"pwd", "hwk"}, true},
		{[]any{"otp"}, false},
		{[]any{"hwk"}, false},
		{[]any{"otp", "otp"}, false},
		{[]any{"pwd"}, false},
		{[]any{"pwd", "kba"}, false},
		{[]any{"MFA"}, false},
		{"mfa", false},
		{[]any{1, "mfa"}, true},
		{nil, false},
	} {
		if got := loginflow.UpstreamMFA(federation.Identity{Claims: map[string]any{"amr": c.amr}}); got != c.want {
			t.Errorf("amr %#v: %v, want %v", c.amr, got, c.want)
		}
	}
	claims := []string{"pwd", "otp"}
	loginflow.UpstreamMFA(federation.Identity{Claims: map[string]any{"amr": claims}})
	if claims[1] != "otp" {
		t.Error("the claims were changed")
	}
}
