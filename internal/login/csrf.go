package login

// Form names: each form's CSRF token is bound to one (loginpage.Pages.CSRFToken).
const (
	formLogin   = "login"
	formConsent = "consent"
	formDevice  = "device"
)
