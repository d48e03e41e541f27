package onboarding

import (
	"context"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/domain/identity"
	"github.com/gatehouse-iam/gatehouse/internal/mail"
)

// The notice to an address that is already registered: it tells the owner
// (and nobody else) that someone tried, and what to do if it was them.
// internal/mail has no kind for it yet, so the text lives here.

var noticeText = map[string]struct{ subject, body string }{
	"en": {
		subject: "Your %s account already exists",
		body: `Hello,

someone, hopefully you, tried to create a new %s account with this email address. You already have one.

If it was you, sign in with your existing password, or reset it from the sign-in page if you forgot it.

If it was not you, you can ignore this email: nothing has changed.
`,
	},
	"de": {
		subject: "Ihr Konto bei %s besteht bereits",
		body: `Hallo,

jemand, hoffentlich Sie, hat versucht, mit dieser E-Mail-Adresse ein neues Konto bei %s anzulegen. Sie haben bereits eines.

Wenn Sie das waren, melden Sie sich mit Ihrem bisherigen Passwort an oder setzen Sie es auf der Anmeldeseite zurück.

Wenn nicht, können Sie diese E-Mail ignorieren: Es wurde nichts geändert.
`,
	},
}

func (s *Service) sendNotice(ctx context.Context, tg Target, u *identity.User, lang string) error {
	t := noticeText[mailLang(lang)]
	name := tg.Name
	if name == "" {
		name = "Gatehouse"
	}
	return s.send(ctx, &mail.Message{To: u.Email, Subject: fmt.Sprintf(t.subject, name), Text: fmt.Sprintf(t.body, name)})
}
