package login

import "github.com/gatehouse-iam/gatehouse/internal/loginpage"

// Catalog entries of the password recovery pages, merged into the page
// catalogs at start.

var recoverEnglish = loginpage.Catalog{
	"recover_link":             "Forgot password?",
	"recover_title":            "Reset password",
	"recover_heading":          "Reset your password",
	"recover_start_body":       "Enter the email address of your account. We will send you a code and a link to choose a new password.",
	"recover_sent":             "If an account with a verified address %s exists, we have sent a code and a link to it. Enter the code below or open the link.",
	"recover_enter_code":       "Enter your email address and the reset code we sent you.",
	"recover_code_invalid":     "That code is not valid or has expired. Check the code, or ask for a new one.",
	"recover_link_invalid":     "This link is not valid, has expired or was already used.",
	"recover_again":            "Send me a new code",
	"recover_have_code":        "I already have a code",
	"recover_password_heading": "Choose a new password",
	"recover_done_heading":     "Password changed",
	"recover_done_body":        "Your password was changed and you were signed out everywhere. Sign in with your new password.",
	"recover_sign_in":          "Sign in",
	"field_reset_code":         "Reset code",
	"button_recover":           "Send code",
	"button_reset_password":    "Change password",
}

var recoverGerman = loginpage.Catalog{
	"recover_link":             "Passwort vergessen?",
	"recover_title":            "Passwort zurücksetzen",
	"recover_heading":          "Passwort zurücksetzen",
	"recover_start_body":       "Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir schicken Ihnen einen Code und einen Link, um ein neues Passwort zu wählen.",
	"recover_sent":             "Falls ein Konto mit der bestätigten Adresse %s besteht, haben wir einen Code und einen Link dorthin geschickt. Geben Sie den Code unten ein oder öffnen Sie den Link.",
	"recover_enter_code":       "Geben Sie Ihre E-Mail-Adresse und den zugeschickten Code ein.",
	"recover_code_invalid":     "Dieser Code ist ungültig oder abgelaufen. Prüfen Sie den Code oder fordern Sie einen neuen an.",
	"recover_link_invalid":     "Dieser Link ist ungültig, abgelaufen oder wurde schon verwendet.",
	"recover_again":            "Neuen Code senden",
	"recover_have_code":        "Ich habe schon einen Code",
	"recover_password_heading": "Neues Passwort wählen",
	"recover_done_heading":     "Passwort geändert",
	"recover_done_body":        "Ihr Passwort wurde geändert, und Sie wurden überall abgemeldet. Melden Sie sich mit dem neuen Passwort an.",
	"recover_sign_in":          "Anmelden",
	"field_reset_code":         "Code zum Zurücksetzen",
	"button_recover":           "Code senden",
	"button_reset_password":    "Passwort ändern",
}

func init() { loginpage.AddCatalog(recoverEnglish, recoverGerman) }
