package loginpage

import "golang.org/x/text/language"

// catalog maps message keys to text. Keys use underscores so templates
// can write {{.L.signin_heading}}; TestCatalogs checks both catalogs have
// every key the templates use.
type Catalog map[string]string

var Catalogs = map[language.Tag]Catalog{language.English: English, language.German: German}

// scopeText describes a scope in the user's words; unknown scopes are
// named as they are.
func ScopeText(l Catalog, scope string) string {
	if s, ok := l["scope_"+scope]; ok {
		return s
	}
	return l["scope_other"] + " " + scope
}

var English = Catalog{
	"footer":                 "Secured by Gatehouse",
	"signin_title":           "Sign in",
	"signin_heading":         "Sign in",
	"signin_continue":        "to continue to %s",
	"field_identifier":       "Email or username",
	"field_password":         "Password",
	"button_signin":          "Sign in",
	"error_credentials":      "Incorrect email/username or password.",
	"select_title":           "Choose an account",
	"select_heading":         "Choose an account",
	"select_continue_as":     "Continue as %s",
	"select_other":           "Use another account",
	"consent_title":          "Allow access",
	"consent_heading":        "%s wants to access your account",
	"consent_signed_in_as":   "Signed in as %s",
	"consent_intro":          "This will allow %s to:",
	"consent_links":          "Read the app's terms before you allow it:",
	"consent_policy":         "Privacy policy",
	"consent_tos":            "Terms of service",
	"button_allow":           "Allow",
	"button_deny":            "Deny",
	"scope_openid":           "Confirm who you are",
	"scope_profile":          "See your name and profile details",
	"scope_email":            "See your email address",
	"scope_phone":            "See your phone number",
	"scope_address":          "See your postal address",
	"scope_offline_access":   "Stay signed in and access your data when you're away",
	"scope_other":            "Use the permission:",
	"loggedout_title":        "Signed out",
	"loggedout_heading":      "You are signed out",
	"loggedout_body":         "You have been signed out. You can close this window.",
	"device_title":           "Connect a device",
	"device_heading":         "Connect a device",
	"device_enter":           "Enter the code shown on your device.",
	"device_signin":          "Sign in to connect your device.",
	"field_user_code":        "Code",
	"button_continue":        "Continue",
	"device_invalid":         "That code is not valid or has expired. Check the code on your device and try again.",
	"device_confirm_heading": "Connect %s?",
	"device_confirm_intro":   "A device showing the code %s wants to use your account. Continue only if you started this yourself. It will be able to:",
	"button_approve":         "Approve",
	"device_not_you":         "Not you? Use another account",
	"device_approved":        "Device connected",
	"device_approved_body":   "You can return to your device.",
	"device_denied":          "Request denied",
	"device_denied_body":     "The device was not connected.",
	"error_title":            "Error",
	"error_heading":          "Something went wrong",
	"error_request":          "This sign-in link is invalid or has expired. Go back to the application and start again.",
	"error_not_member":       "Your account is not a member of the organization this application asked you to sign in to. Ask its administrator for an invitation, or sign in with another account.",
	"error_authorize":        "The application sent a sign-in request that cannot be accepted. Go back to the application and try again, or contact its support.",
	"error_csrf":             "The form expired or was sent from another site. Go back and try again.",
	"error_not_found":        "This page does not exist.",
	"error_bad_request":      "The request could not be understood.",
	"error_internal":         "The server could not complete the request. Please try again later.",
	"error_reference":        "Reference: %s",
	"error_try_again":        "Try again",
}

var German = Catalog{
	"footer":                 "Geschützt durch Gatehouse",
	"signin_title":           "Anmelden",
	"signin_heading":         "Anmelden",
	"signin_continue":        "weiter zu %s",
	"field_identifier":       "E-Mail oder Benutzername",
	"field_password":         "Passwort",
	"button_signin":          "Anmelden",
	"error_credentials":      "E-Mail/Benutzername oder Passwort ist falsch.",
	"select_title":           "Konto auswählen",
	"select_heading":         "Konto auswählen",
	"select_continue_as":     "Weiter als %s",
	"select_other":           "Anderes Konto verwenden",
	"consent_title":          "Zugriff erlauben",
	"consent_heading":        "%s möchte auf Ihr Konto zugreifen",
	"consent_signed_in_as":   "Angemeldet als %s",
	"consent_intro":          "Damit erlauben Sie %s:",
	"consent_links":          "Lesen Sie die Bedingungen der App, bevor Sie zustimmen:",
	"consent_policy":         "Datenschutzerklärung",
	"consent_tos":            "Nutzungsbedingungen",
	"button_allow":           "Erlauben",
	"button_deny":            "Ablehnen",
	"scope_openid":           "Ihre Identität zu bestätigen",
	"scope_profile":          "Ihren Namen und Ihre Profilangaben zu sehen",
	"scope_email":            "Ihre E-Mail-Adresse zu sehen",
	"scope_phone":            "Ihre Telefonnummer zu sehen",
	"scope_address":          "Ihre Postanschrift zu sehen",
	"scope_offline_access":   "angemeldet zu bleiben und auf Ihre Daten zuzugreifen, wenn Sie nicht da sind",
	"scope_other":            "die Berechtigung zu nutzen:",
	"loggedout_title":        "Abgemeldet",
	"loggedout_heading":      "Sie sind abgemeldet",
	"loggedout_body":         "Sie wurden abgemeldet. Sie können dieses Fenster schließen.",
	"device_title":           "Gerät verbinden",
	"device_heading":         "Gerät verbinden",
	"device_enter":           "Geben Sie den Code ein, den Ihr Gerät anzeigt.",
	"device_signin":          "Melden Sie sich an, um Ihr Gerät zu verbinden.",
	"field_user_code":        "Code",
	"button_continue":        "Weiter",
	"device_invalid":         "Dieser Code ist ungültig oder abgelaufen. Prüfen Sie den Code auf Ihrem Gerät und versuchen Sie es erneut.",
	"device_confirm_heading": "%s verbinden?",
	"device_confirm_intro":   "Ein Gerät mit dem Code %s möchte Ihr Konto verwenden. Fahren Sie nur fort, wenn Sie das selbst begonnen haben. Es darf dann:",
	"button_approve":         "Bestätigen",
	"device_not_you":         "Nicht Sie? Anderes Konto verwenden",
	"device_approved":        "Gerät verbunden",
	"device_approved_body":   "Sie können zu Ihrem Gerät zurückkehren.",
	"device_denied":          "Anfrage abgelehnt",
	"device_denied_body":     "Das Gerät wurde nicht verbunden.",
	"error_title":            "Fehler",
	"error_heading":          "Etwas ist schiefgelaufen",
	"error_request":          "Dieser Anmeldelink ist ungültig oder abgelaufen. Kehren Sie zur Anwendung zurück und beginnen Sie erneut.",
	"error_not_member":       "Ihr Konto ist kein Mitglied der Organisation, bei der Sie sich für diese Anwendung anmelden sollen. Bitten Sie deren Administrator um eine Einladung oder melden Sie sich mit einem anderen Konto an.",
	"error_authorize":        "Die Anwendung hat eine Anmeldeanfrage gesendet, die nicht angenommen werden kann. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut, oder wenden Sie sich an deren Support.",
	"error_csrf":             "Das Formular ist abgelaufen oder wurde von einer anderen Website gesendet. Gehen Sie zurück und versuchen Sie es erneut.",
	"error_not_found":        "Diese Seite gibt es nicht.",
	"error_bad_request":      "Die Anfrage ist ungültig.",
	"error_internal":         "Der Server konnte die Anfrage nicht ausführen. Bitte versuchen Sie es später erneut.",
	"error_reference":        "Referenz: %s",
	"error_try_again":        "Erneut versuchen",
}

// addPage registers a page template (templates/name.html) and its
// catalog entries (called from init).
func AddPage(name string, en, de Catalog) {
	PageNames = append(PageNames, name)
	AddCatalog(en, de)
}

// addCatalog merges a page's English and German entries into the page
// catalogs (called from init). A key that is already there is a
// programming error and panics at start: two pages sharing a key would
// show one page's text on the other, depending on init order.
func AddCatalog(en, de Catalog) {
	merge(English, en)
	merge(German, de)
}

func merge(into, from Catalog) {
	for k, v := range from {
		if _, taken := into[k]; taken {
			panic("login: catalog key " + k + " is defined twice")
		}
		into[k] = v
	}
}
