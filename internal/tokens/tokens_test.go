package tokens

import (
	"testing"
	"time"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/domain/oauth"
)

func TestLifetimes(t *testing.T) {
	s := New(Deps{Config: Config{AccessTokenLifetime: time.Hour, IDTokenLifetime: time.Hour,
		RefreshTokenLifetime: 30 * 24 * time.Hour, RefreshTokenMaxLifetime: 90 * 24 * time.Hour, MaxTokenLifetime: 24 * time.Hour}})
	for _, c := range []struct {
		name string
		cs   oauth.ClientSettings
		got  func(*oauth.ClientSettings) time.Duration
		want time.Duration
	}{
		{"access default", oauth.ClientSettings{}, s.AccessTokenLifetime, time.Hour},
		{"access set", oauth.ClientSettings{AccessTokenLifetime: 60}, s.AccessTokenLifetime, time.Minute},
		{"access capped", oauth.ClientSettings{AccessTokenLifetime: 90_000}, s.AccessTokenLifetime, 24 * time.Hour},
		{"id capped", oauth.ClientSettings{IDTokenLifetime: 90_000}, s.IDTokenLifetime, 24 * time.Hour},
	} {
		if d := c.got(&c.cs); d != c.want {
			t.Errorf("%s: %v, want %v", c.name, d, c.want)
		}
	}
	// A sliding refresh lifetime never outlives the family's.
	sliding, abs := s.refreshLifetimes(&oauth.ClientSettings{RefreshTokenLifetime: 7200, RefreshTokenMaxLifetime: 3600})
	if sliding != time.Hour || abs != time.Hour {
		t.Errorf("refresh lifetimes %v, %v; want 1h, 1h", sliding, abs)
	}
}

func TestUserClaimsNeverDiscloseTheAddressWithProfileAlone(t *testing.T) {
	u := &identity.User{ID: "u1", Email: "a@example.org"}
	if v, ok := UserClaims(u, []string{"profile"})["preferred_username"]; ok {
		t.Errorf("profile alone released preferred_username %v", v)
	}
	if v := UserClaims(u, []string{"profile", "email"})["preferred_username"]; v != "a@example.org" {
		t.Errorf("preferred_username %v with the email scope", v)
	}
}

func TestMappedClaimsNeverOverwrite(t *testing.T) {
	u := &identity.User{ID: "u1", Attributes: map[string]any{"dept": "ops", "evil": "x"}}
	claims := map[string]any{"sub": "u1"}
	AddMappedClaims(claims, u, &oauth.ClientSettings{ClaimMappings: map[string]string{"department": "dept", "sub": "evil", "iss": "evil"}})
	if claims["department"] != "ops" || claims["sub"] != "u1" || claims["iss"] != nil {
		t.Errorf("claims %v", claims)
	}
}
