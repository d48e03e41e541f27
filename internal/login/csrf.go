package login

// CSRF protection is a double-submit token bound to the server key: the
// browser holds a random cookie, and each form carries
// HMAC(cookie, tenant, form name). Another site can neither read the
// cookie nor compute the MAC, and a token is valid only for the form and
// tenant it was made for. The cookie is SameSite=Strict, so even a
// stolen token is useless from another site.

// Form names: each form's token is bound to one.
const (
	formLogin   = "login"
	formConsent = "consent"
	formDevice  = "device"
)
