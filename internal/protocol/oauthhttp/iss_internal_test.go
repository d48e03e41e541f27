package oauthhttp

import "testing"

func TestWithIss(t *testing.T) {
	const iss = "https://id.example.com/t/acme"
	for _, tc := range []struct{ in, want string }{
		{"https://app.example.com/cb?code=c&state=s", "https://app.example.com/cb?code=c&state=s&iss=https%3A%2F%2Fid.example.com%2Ft%2Facme"},
		{"https://app.example.com/cb", "https://app.example.com/cb?iss=https%3A%2F%2Fid.example.com%2Ft%2Facme"},
		{"https://app.example.com/cb#error=access_denied", "https://app.example.com/cb#error=access_denied&iss=https%3A%2F%2Fid.example.com%2Ft%2Facme"},
		{"https://app.example.com/cb?a=1#code=c", "https://app.example.com/cb?a=1#code=c&iss=https%3A%2F%2Fid.example.com%2Ft%2Facme"},
		{"com.example.app:/cb?code=c", "com.example.app:/cb?code=c&iss=https%3A%2F%2Fid.example.com%2Ft%2Facme"},
		// Already present: left as it is.
		{"https://app.example.com/cb?code=c&iss=x", "https://app.example.com/cb?code=c&iss=x"},
		{"https://app.example.com/cb#code=c&iss=x", "https://app.example.com/cb#code=c&iss=x"},
	} {
		if got := withIss(tc.in, iss); got != tc.want {
			t.Errorf("withIss(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
