package mail

import (
	"testing"
	"time"
)

func TestPickLanguage(t *testing.T) {
	tests := []struct {
		name, uiLocales, accept, want string
	}{
		{"nothing", "", "", "en"},
		{"accept-language german", "", "de-DE,de;q=0.9,en;q=0.8", "de"},
		{"accept-language english first", "", "en-US,de;q=0.5", "en"},
		{"ui_locales beats accept-language", "de", "en-US", "de"},
		{"ui_locales english beats german header", "en", "de", "en"},
		{"ui_locales order", "fr-CA de en", "", "de"},
		{"regional variant", "de-AT", "", "de"},
		{"swiss german header", "", "de-CH", "de"},
		{"unknown everywhere", "fr", "ja, zh;q=0.8", "en"},
		{"unknown ui_locales falls through", "fr", "de", "de"},
		{"garbage", "!!! ???", "%%%", "en"},
		{"quality order", "", "en;q=0.1, de;q=0.9", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PickLanguage(tt.uiLocales, tt.accept); got != tt.want {
				t.Errorf("PickLanguage(%q, %q) = %q, want %q", tt.uiLocales, tt.accept, got, tt.want)
			}
		})
	}
}

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		d      time.Duration
		en, de string
	}{
		{0, "", ""},
		{30 * time.Second, "30 seconds", "30 Sekunden"},
		{time.Second, "1 second", "1 Sekunde"},
		{time.Minute, "1 minute", "1 Minute"},
		{15 * time.Minute, "15 minutes", "15 Minuten"},
		{90 * time.Second, "2 minutes", "2 Minuten"},
		{90 * time.Minute, "90 minutes", "90 Minuten"},
		{time.Hour, "1 hour", "1 Stunde"},
		{2 * time.Hour, "2 hours", "2 Stunden"},
		{24 * time.Hour, "1 day", "1 Tag"},
		{7 * 24 * time.Hour, "7 days", "7 Tage"},
	}
	for _, tt := range tests {
		if got := HumanDuration(tt.d, "en"); got != tt.en {
			t.Errorf("HumanDuration(%v, en) = %q, want %q", tt.d, got, tt.en)
		}
		if got := HumanDuration(tt.d, "de"); got != tt.de {
			t.Errorf("HumanDuration(%v, de) = %q, want %q", tt.d, got, tt.de)
		}
	}
}

func TestHumanTime(t *testing.T) {
	at := time.Date(2026, time.March, 5, 8, 7, 0, 0, time.FixedZone("CET", 3600))
	if got, want := HumanTime(at, "en"), "5 March 2026, 07:07 UTC"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got, want := HumanTime(at, "de"), "5. März 2026, 07:07 UTC"; got != want {
		t.Errorf("de: %q, want %q", got, want)
	}
	if got := HumanTime(time.Time{}, "en"); got != "" {
		t.Errorf("zero time: %q", got)
	}
}
