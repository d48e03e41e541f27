package login

import "github.com/gatehouse-iam/gatehouse/internal/loginpage"

// Catalog entries of the registration and verification pages, merged into
// the page catalogs at start.

var registerEnglish = loginpage.Catalog{
	"register_title":          "Create account",
	"register_heading":        "Create your account",
	"register_link":           "No account yet? Create one",
	"register_have_account":   "Already have an account? Sign in",
	"field_email":             "Email",
	"field_new_password":      "Password",
	"field_given_name":        "First name",
	"field_family_name":       "Last name",
	"field_region":            "Where your data is stored",
	"field_terms":             "I accept the terms of service and the privacy policy.",
	"button_register":         "Create account",
	"terms_link":              "Read the terms (version %s)",
	"privacy_purposes_legend": "How we use your data",
	"privacy_required":        "(required)",
	"signin_unverified":       "Verify your email first. We have sent a new code to your address if the last one is older than a minute.",
	"signin_verify_link":      "Enter the verification code",
	"verify_title":            "Verify your email",
	"verify_heading":          "Check your inbox",
	"verify_sent":             "If %s can be used for a new account, we have sent a code and a link to it. Enter the code below or open the link.",
	"verify_resent":           "If a code can be sent to this address, a new one is on its way.",
	"verify_enter_code":       "Enter your email address and the code we sent you.",
	"verify_code_invalid":     "That code is not valid or has expired. Check the code, or ask for a new one.",
	"verify_link_body":        "Confirm your email address to finish creating your account.",
	"verify_link_invalid":     "This link is not valid, has expired or was already used. Ask for a new code.",
	"verify_done_heading":     "Email verified",
	"verify_done_body":        "Your email address is verified. Go back to the application to continue.",
	"field_verification_code": "Verification code",
	"button_verify":           "Verify",
	"button_resend":           "Send a new code",
	"error_rate_limited":      "Too many attempts. Please wait a moment and try again.",
}

var registerGerman = loginpage.Catalog{
	"register_title":          "Konto anlegen",
	"register_heading":        "Konto anlegen",
	"register_link":           "Noch kein Konto? Jetzt anlegen",
	"register_have_account":   "Schon ein Konto? Anmelden",
	"field_email":             "E-Mail",
	"field_new_password":      "Passwort",
	"field_given_name":        "Vorname",
	"field_family_name":       "Nachname",
	"field_region":            "Wo Ihre Daten gespeichert werden",
	"field_terms":             "Ich akzeptiere die Nutzungsbedingungen und die Datenschutzerklärung.",
	"button_register":         "Konto anlegen",
	"terms_link":              "Nutzungsbedingungen lesen (Version %s)",
	"privacy_purposes_legend": "Wofür wir Ihre Daten verwenden",
	"privacy_required":        "(erforderlich)",
	"signin_unverified":       "Bestätigen Sie zuerst Ihre E-Mail-Adresse. Ist der letzte Code älter als eine Minute, haben wir Ihnen einen neuen geschickt.",
	"signin_verify_link":      "Bestätigungscode eingeben",
	"verify_title":            "E-Mail bestätigen",
	"verify_heading":          "Sehen Sie in Ihr Postfach",
	"verify_sent":             "Falls %s für ein neues Konto verwendet werden kann, haben wir einen Code und einen Link dorthin geschickt. Geben Sie den Code unten ein oder öffnen Sie den Link.",
	"verify_resent":           "Falls an diese Adresse ein Code geschickt werden kann, ist ein neuer unterwegs.",
	"verify_enter_code":       "Geben Sie Ihre E-Mail-Adresse und den zugeschickten Code ein.",
	"verify_code_invalid":     "Dieser Code ist ungültig oder abgelaufen. Prüfen Sie den Code oder fordern Sie einen neuen an.",
	"verify_link_body":        "Bestätigen Sie Ihre E-Mail-Adresse, um Ihr Konto fertig anzulegen.",
	"verify_link_invalid":     "Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet. Fordern Sie einen neuen Code an.",
	"verify_done_heading":     "E-Mail bestätigt",
	"verify_done_body":        "Ihre E-Mail-Adresse ist bestätigt. Kehren Sie zur Anwendung zurück, um fortzufahren.",
	"field_verification_code": "Bestätigungscode",
	"button_verify":           "Bestätigen",
	"button_resend":           "Neuen Code senden",
	"error_rate_limited":      "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
}

func init() { loginpage.AddCatalog(registerEnglish, registerGerman) }
