package login

// The pages speak English and German. The language is the first match of
// the authorization request's ui_locales (the client knows its user's
// language), then of Accept-Language, then English.
