package mail

import (
	"context"
	"log/slog"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// TenantOverrides turns a tenant's stored templates (set through the
// Admin API) into Overrides; nil when there are none.
func TenantOverrides(list []store.MailTemplate) Overrides {
	var o Overrides
	for _, t := range list {
		if o == nil {
			o = Overrides{}
		}
		o[t.Kind+"."+t.Lang] = Template{Subject: t.Subject, Text: t.Text, HTML: t.HTML}
	}
	return o
}

// TenantMessage is Message with the overrides of tenantID from repo.
// Overrides are checked when stored; should one still fail to render,
// the built-in template is used and the failure logged (nil log means
// slog.Default), so the user gets the mail all the same.
func (t *Templates) TenantMessage(ctx context.Context, log *slog.Logger, repo store.MailTemplateRepo, tenantID, to string, kind Kind, lang string, d Data) (*Message, error) {
	list, err := repo.List(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	o := TenantOverrides(list)
	m, err := t.Message(to, kind, lang, o, d)
	if err != nil && o != nil {
		if log == nil {
			log = slog.Default()
		}
		log.ErrorContext(ctx, "mail: tenant template failed, using the built-in one", "tenant_id", tenantID, "kind", kind, "lang", lang, "err", err)
		return t.Message(to, kind, lang, nil, d)
	}
	return m, err
}
