package loginflow

import (
	"net/http"

	"golang.org/x/text/language"
)

// The pages speak English and German. The language is the first match of
// the authorization request's ui_locales (the client knows its user's
// language), then of Accept-Language, then English.

// Langs are the languages the pages and mails speak (internal/loginpage has
// a catalog for each), English first.
var Langs = []language.Tag{language.English, language.German}

var langMatcher = language.NewMatcher(Langs)

// ChooseLang picks the page language.
func ChooseLang(uiLocales []string, acceptLanguage string) language.Tag {
	var tags []language.Tag
	for _, l := range uiLocales {
		if t, err := language.Parse(l); err == nil {
			tags = append(tags, t)
		}
	}
	if t, ok := match(tags); ok {
		return t
	}
	if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil {
		if t, ok := match(tags); ok {
			return t
		}
	}
	return language.English
}

func match(tags []language.Tag) (language.Tag, bool) {
	if len(tags) == 0 {
		return language.Und, false
	}
	_, i, c := langMatcher.Match(tags...)
	if c == language.No {
		return language.Und, false
	}
	return Langs[i], true
}

// Lang is ChooseLang for a request, with the auth request's ui_locales
// when there is one.
func Lang(uiLocales []string, r *http.Request) language.Tag {
	return ChooseLang(uiLocales, r.Header.Get("Accept-Language"))
}
