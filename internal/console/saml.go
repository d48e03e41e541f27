package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-iam/gatehouse/api/gen"
)

// SAML service providers (the apps the tenant's SAML IdP signs users in
// to): list, create from the SP's metadata XML or from an entity ID and
// ACS URLs, the SP's settings and attribute map, edit, delete. An edit
// sends only the members the admin changed, so a setting made through
// the API that the form does not show stays as it is.

// nameIDFormats are the NameID formats the forms offer.
var nameIDFormats = []string{"emailAddress", "persistent", "transient", "unspecified"}

type samlSPsPage struct {
	SPs     []gen.SamlServiceProvider
	Next    string
	Form    samlForm
	Formats []string
}

// samlForm is the create and edit form.
type samlForm struct {
	ID, Name, EntityID, ACSURLs, NameIDFormat, Attributes, MetadataXML, Lifetime string
	SignResponse, SignAssertion, AllowIdPInitiated, RequireSignedRequests        bool
	Version                                                                      int64
}

func (c *Console) samlSPs(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "saml")
	list := listOf[gen.SamlServiceProviderList](c, r, s, v, "/saml-service-providers")
	v.Page = samlSPsPage{SPs: list.Items, Next: nextOf(list.NextCursor), Formats: nameIDFormats}
	c.render(w, r, http.StatusOK, "samlapps", v)
}

func (c *Console) createSAMLSP(w http.ResponseWriter, r *http.Request, s *session) {
	f := samlForm{Name: strings.TrimSpace(r.PostFormValue("name")), EntityID: strings.TrimSpace(r.PostFormValue("entity_id")),
		ACSURLs: r.PostFormValue("acs_urls"), MetadataXML: strings.TrimSpace(r.PostFormValue("metadata_xml")),
		NameIDFormat: r.PostFormValue("name_id_format")}
	body := map[string]any{}
	if f.MetadataXML != "" {
		body["metadata_xml"] = f.MetadataXML
	}
	if f.EntityID != "" {
		body["entity_id"] = f.EntityID
	}
	if acs := formLines(f.ACSURLs); len(acs) > 0 {
		body["acs_urls"] = acs
	}
	if f.Name != "" {
		body["name"] = f.Name
	}
	if slices.Contains(nameIDFormats, f.NameIDFormat) {
		body["name_id_format"] = f.NameIDFormat
	}
	var out gen.SamlServiceProvider
	err := c.call(r.Context(), s, http.MethodPost, "/saml-service-providers", nil, body, &out)
	c.afterCreate(w, r, s, err, "saml", "samlapps", samlSPsPage{Form: f, Formats: nameIDFormats}, "/saml-apps/"+url.PathEscape(out.ID))
}

func samlFormOf(sp gen.SamlServiceProvider) samlForm {
	return samlForm{ID: sp.ID, Name: sp.Name, EntityID: sp.EntityID, ACSURLs: strings.Join(sp.AcsUrls, "\n"),
		NameIDFormat: string(sp.NameIDFormat), Attributes: mapLines(sp.Attributes),
		Lifetime: strconv.Itoa(int(sp.SessionLifetimeSeconds)), SignResponse: sp.SignResponse, SignAssertion: sp.SignAssertion,
		AllowIdPInitiated: sp.AllowIdpInitiated, RequireSignedRequests: sp.RequireSignedRequests, Version: sp.Version}
}

type samlSPPage struct {
	SP      gen.SamlServiceProvider
	Form    samlForm
	Formats []string
}

func (c *Console) samlSP(w http.ResponseWriter, r *http.Request, s *session) {
	v := c.noticeView(r, s, "saml")
	var sp gen.SamlServiceProvider
	if err := c.call(r.Context(), s, http.MethodGet, "/saml-service-providers/"+url.PathEscape(r.PathValue("id")), nil, nil, &sp); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	v.Page = samlSPPage{SP: sp, Form: samlFormOf(sp), Formats: nameIDFormats}
	c.render(w, r, http.StatusOK, "samlapp", v)
}

// samlPatch is the merge patch from the SP as it is (old) to the form;
// a line of the attribute map or a lifetime it cannot read is returned.
func samlPatch(old samlForm, f samlForm) (map[string]any, string) {
	body := map[string]any{}
	if f.MetadataXML != "" {
		body["metadata_xml"] = f.MetadataXML
	}
	if f.Name != old.Name {
		body["name"] = f.Name
	}
	if f.EntityID != old.EntityID && f.MetadataXML == "" {
		body["entity_id"] = f.EntityID
	}
	if acs := formLines(f.ACSURLs); !slices.Equal(acs, formLines(old.ACSURLs)) && f.MetadataXML == "" {
		body["acs_urls"] = acs
	}
	if f.NameIDFormat != old.NameIDFormat {
		body["name_id_format"] = f.NameIDFormat
	}
	if f.Attributes != old.Attributes {
		m, bad := formMap(f.Attributes)
		if bad != "" {
			return nil, bad
		}
		if mapLines(m) != old.Attributes {
			body["attributes"] = m
		}
	}
	if f.Lifetime != old.Lifetime {
		n, err := strconv.Atoi(f.Lifetime)
		if err != nil {
			return nil, f.Lifetime
		}
		body["session_lifetime_seconds"] = n
	}
	for k, pair := range map[string][2]bool{"sign_response": {old.SignResponse, f.SignResponse},
		"sign_assertion": {old.SignAssertion, f.SignAssertion}, "allow_idp_initiated": {old.AllowIdPInitiated, f.AllowIdPInitiated},
		"require_signed_requests": {old.RequireSignedRequests, f.RequireSignedRequests}} {
		if pair[0] != pair[1] {
			body[k] = pair[1]
		}
	}
	return body, ""
}

func (c *Console) updateSAMLSP(w http.ResponseWriter, r *http.Request, s *session) {
	path := "/saml-service-providers/" + url.PathEscape(r.PathValue("id"))
	var sp gen.SamlServiceProvider
	if err := c.call(r.Context(), s, http.MethodGet, path, nil, nil, &sp); err != nil {
		c.apiFail(w, r, s, err)
		return
	}
	f := samlForm{ID: sp.ID, Name: strings.TrimSpace(r.PostFormValue("name")), EntityID: strings.TrimSpace(r.PostFormValue("entity_id")),
		ACSURLs: r.PostFormValue("acs_urls"), NameIDFormat: r.PostFormValue("name_id_format"),
		Attributes: r.PostFormValue("attributes"), MetadataXML: strings.TrimSpace(r.PostFormValue("metadata_xml")),
		Lifetime: strings.TrimSpace(r.PostFormValue("lifetime")), SignResponse: checked(r, "sign_response"),
		SignAssertion: checked(r, "sign_assertion"), AllowIdPInitiated: checked(r, "allow_idp_initiated"),
		RequireSignedRequests: checked(r, "require_signed_requests")}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	v := c.newView(r, s, "saml")
	body, bad := samlPatch(samlFormOf(sp), f)
	var err error
	switch {
	case bad != "":
		err = badForm(v.L, "attributes, lifetime", bad)
	case len(body) > 0:
		err = c.patch(r, s, path, body)
	}
	if err != nil {
		v.Problem = asProblem(err)
		v.Page = samlSPPage{SP: sp, Form: f, Formats: nameIDFormats}
		c.render(w, r, v.Problem.Status, "samlapp", v)
		return
	}
	back(w, r, Prefix+"/saml-apps/"+url.PathEscape(sp.ID), "notice_saved")
}

func (c *Console) deleteSAMLSP(w http.ResponseWriter, r *http.Request, s *session) {
	id := url.PathEscape(r.PathValue("id"))
	c.deleteResource(w, r, s, "/saml-service-providers/"+id, "/saml-apps/"+id, "/saml-apps")
}
