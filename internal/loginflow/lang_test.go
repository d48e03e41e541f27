package loginflow

import (
	"testing"

	"golang.org/x/text/language"
)

func TestChooseLang(t *testing.T) {
	cases := []struct {
		ui     []string
		accept string
		want   language.Tag
	}{
		{nil, "", language.English},
		{[]string{"de"}, "en", language.German},
		{[]string{"fr", "de-CH"}, "", language.German},
		{[]string{"fr"}, "de;q=0.8, fr", language.German},
		{nil, "de-AT", language.German},
		{nil, "ja, zh", language.English},
		{[]string{"not a tag!"}, "garbage;;", language.English},
	}
	for _, tc := range cases {
		if got := ChooseLang(tc.ui, tc.accept); got != tc.want {
			t.Errorf("ChooseLang(%v, %q) = %v, want %v", tc.ui, tc.accept, got, tc.want)
		}
	}
}
