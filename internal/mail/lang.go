package mail

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Languages are the languages the built-in templates speak; the first is
// the default.
var Languages = []string{"en", "de"}

// DefaultLanguage is used when nothing matches.
const DefaultLanguage = "en"

var (
	langTags    = []language.Tag{language.English, language.German}
	langMatcher = language.NewMatcher(langTags)
)

// PickLanguage chooses the mail language: the best match of ui_locales
// (space-separated BCP 47 tags, from the authorization request), then of
// an Accept-Language header, then English. It returns "en" or "de".
// Regional variants match their language ("de-AT" gives "de").
func PickLanguage(uiLocales, acceptLanguage string) string {
	var tags []language.Tag
	for _, l := range strings.Fields(uiLocales) {
		if t, err := language.Parse(l); err == nil {
			tags = append(tags, t)
		}
	}
	if l, ok := matchLang(tags); ok {
		return l
	}
	if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil {
		if l, ok := matchLang(tags); ok {
			return l
		}
	}
	return DefaultLanguage
}

func matchLang(tags []language.Tag) (string, bool) {
	if len(tags) == 0 {
		return "", false
	}
	_, i, c := langMatcher.Match(tags...)
	if c == language.No {
		return "", false
	}
	return Languages[i], true
}

// normLang maps a language to one the templates have, or the default.
func normLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	for _, l := range Languages {
		if lang == l {
			return l
		}
	}
	return PickLanguage(lang, "")
}

// HumanDuration writes d the way the mails say it: "15 minutes",
// "1 hour", "2 days" in English, "15 Minuten", "1 Stunde", "2 Tage" in
// German. It uses the largest unit that divides d exactly, rounding up to
// whole minutes (or seconds below a minute). Zero or less gives "".
func HumanDuration(d time.Duration, lang string) string {
	if d <= 0 {
		return ""
	}
	type unit struct {
		size               time.Duration
		en1, enN, de1, deN string
	}
	units := []unit{
		{24 * time.Hour, "day", "days", "Tag", "Tage"},
		{time.Hour, "hour", "hours", "Stunde", "Stunden"},
		{time.Minute, "minute", "minutes", "Minute", "Minuten"},
	}
	u := unit{time.Second, "second", "seconds", "Sekunde", "Sekunden"}
	if d >= time.Minute {
		d = (d + time.Minute - 1).Truncate(time.Minute)
		for _, c := range units {
			if d%c.size == 0 {
				u = c
				break
			}
		}
	} else {
		d = (d + time.Second - 1).Truncate(time.Second)
	}
	n := int64(d / u.size)
	word := u.enN
	switch {
	case normLang(lang) == "de" && n == 1:
		word = u.de1
	case normLang(lang) == "de":
		word = u.deN
	case n == 1:
		word = u.en1
	}
	return strconv.FormatInt(n, 10) + " " + word
}

var (
	monthsEN = [...]string{"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"}
	monthsDE = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni",
		"Juli", "August", "September", "Oktober", "November", "Dezember"}
)

// HumanTime writes t in UTC: "2 January 2026, 15:04 UTC" or
// "2. Januar 2026, 15:04 UTC". The zero time gives "".
func HumanTime(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	clock := t.Format("15:04") + " UTC"
	day, year := strconv.Itoa(t.Day()), strconv.Itoa(t.Year())
	if normLang(lang) == "de" {
		return day + ". " + monthsDE[t.Month()-1] + " " + year + ", " + clock
	}
	return day + " " + monthsEN[t.Month()-1] + " " + year + ", " + clock
}
