package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const spMetadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.net/saml">` +
	`<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
	`<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.net/acs" index="0"/>` +
	`</md:SPSSODescriptor></md:EntityDescriptor>`

// SAML service providers: create from metadata and from explicit fields
// (bad input is the API's 400 on the form), the page shows the entity
// ID, ACS URLs, NameID format and attribute map; edit; delete; a viewer
// sees no form and is refused; no CSRF token → 403; another tenant's
// admin neither sees nor changes them.
func TestSAMLAppPages(t *testing.T) {
	engines(t, func(t *testing.T, database []string) {
		e, b, token := resourceEnv(t, database, "/console/saml-apps", `id="no-saml-apps"`, `id="create-saml"`)
		for name, form := range map[string]url.Values{
			"nothing":       {"csrf": {token}, "name": {"Empty"}},
			"bad ACS":       {"csrf": {token}, "entity_id": {"https://x.example"}, "acs_urls": {"ftp://x.example/acs"}},
			"bad metadata":  {"csrf": {token}, "metadata_xml": {"<not-metadata/>"}},
			"metadata+both": {"csrf": {token}, "metadata_xml": {spMetadata}, "entity_id": {"https://x.example"}, "acs_urls": {"https://x.example/acs"}},
		} {
			if r := b.post("/console/saml-apps", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
				t.Errorf("%s: %d %.500s", name, r.status, r.body)
			}
		}
		if r := b.post("/console/saml-apps", url.Values{"metadata_xml": {spMetadata}}); r.status != http.StatusForbidden {
			t.Errorf("no CSRF token: %d", r.status)
		}
		if r := b.get("/console/saml-apps"); !strings.Contains(r.body, `id="no-saml-apps"`) {
			t.Fatal("a refused form made a service provider")
		}
		r := b.post("/console/saml-apps", url.Values{"csrf": {token}, "name": {"Wiki"}, "metadata_xml": {spMetadata}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create from metadata: %d %.1500s", r.status, r.body)
		}
		fromMeta := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
		page := b.get(fromMeta)
		if page.status != 200 || !strings.Contains(page.body, `<code id="saml-entity-id">https://sp.example.net/saml</code>`) ||
			!strings.Contains(page.body, "<code>https://sp.example.net/acs</code>") {
			t.Fatalf("SP page: %d %.3000s", page.status, page.body)
		}
		r = b.post("/console/saml-apps", url.Values{"csrf": {token}, "name": {"CRM"}, "entity_id": {"https://crm.example.com"},
			"acs_urls": {"https://crm.example.com/acs\nhttps://crm.example.com/acs2"}, "name_id_format": {"persistent"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create from fields: %d %.1500s", r.status, r.body)
		}
		crm := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
		page = b.get(crm)
		if !strings.Contains(page.body, `id="saml-nameid-format">persistent<`) || !strings.Contains(page.body, "https://crm.example.com/acs2") {
			t.Fatalf("CRM page: %.3000s", page.body)
		}
		form := url.Values{"csrf": {token}, "version": {versionRe.FindStringSubmatch(page.body)[1]}, "name": {"CRM"},
			"entity_id": {"https://crm.example.com"}, "acs_urls": {"https://crm.example.com/acs"}, "name_id_format": {"emailAddress"},
			"attributes": {"mail = email\ngivenName = given_name"}, "lifetime": {"3600"}, "sign_response": {"1"}, "sign_assertion": {"1"}}
		if r := b.post(crm, form); r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %.3000s", r.status, r.body)
		}
		page = b.get(crm)
		for _, want := range []string{`id="saml-nameid-format">emailAddress<`, "<code>mail</code>", "<code>given_name</code>"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("after the edit, the page lacks %s", want)
			}
		}
		if strings.Contains(page.body, "https://crm.example.com/acs2") {
			t.Error("the removed ACS URL is still shown")
		}
		form.Set("version", versionRe.FindStringSubmatch(page.body)[1])
		form.Set("attributes", "no equals sign")
		if r := b.post(crm, form); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("unreadable attribute map: %d", r.status)
		}
		form.Set("attributes", "mail = email")
		form.Set("acs_urls", "http://crm.example.com/acs")
		if r := b.post(crm, form); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
			t.Errorf("http ACS URL: %d", r.status)
		}

		v := e.signedIn("", "viewer@example.com")
		if vp := v.get(crm); vp.status != 200 || strings.Contains(vp.body, `id="save-saml"`) || strings.Contains(vp.body, `id="delete"`) ||
			!strings.Contains(vp.body, "https://crm.example.com") {
			t.Errorf("viewer's page: %d", vp.status)
		}
		if vl := v.get("/console/saml-apps"); strings.Contains(vl.body, `id="create-saml"`) {
			t.Error("viewer sees the create form")
		}
		v.refused("/console/saml-apps", http.StatusForbidden, url.Values{"metadata_xml": {spMetadata}}, "/console/saml-apps", crm, crm+"/delete")

		o := e.signedIn("bee", "boss@bee.example")
		o.hidden(crm, "/console/saml-apps", "crm.example.com")
		o.refused("/console/saml-apps", http.StatusNotFound, url.Values{"name": {"evil"}}, crm, crm+"/delete")

		b.deleteAll(token, crm, fromMeta)
	})
}
