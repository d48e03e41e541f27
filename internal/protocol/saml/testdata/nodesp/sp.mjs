// A SAML service provider built on @node-saml/node-saml, driven by
// internal/protocol/saml's TestNodeSP: "authorize" prints the IdP URL of a
// new AuthnRequest (HTTP-Redirect); "validate" reads a SAMLResponse from
// stdin, validates it (signatures, audience, times, InResponseTo) and
// prints the profile as JSON.
import { SAML } from "@node-saml/node-saml";
import { readFileSync } from "node:fs";

const [mode, cfgJSON] = process.argv.slice(2);
const cfg = JSON.parse(cfgJSON);
const ids = new Map();
const saml = new SAML({
  callbackUrl: cfg.acs,
  entryPoint: cfg.sso,
  issuer: cfg.entityID,
  idpCert: cfg.idpCert,
  audience: cfg.entityID,
  identifierFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
  wantAssertionsSigned: true,
  wantAuthnResponseSigned: true,
  validateInResponseTo: cfg.requestID ? "always" : "never",
  cacheProvider: {
    saveAsync: async (k, v) => { ids.set(k, v); return { value: v, createdAt: Date.now() }; },
    getAsync: async (k) => ids.get(k) ?? (k === cfg.requestID ? new Date().toISOString() : null),
    removeAsync: async (k) => { ids.delete(k); return k; },
  },
});

if (mode === "authorize") {
  console.log(await saml.getAuthorizeUrlAsync("node-relay", undefined, {}));
} else if (mode === "validate") {
  const SAMLResponse = readFileSync(0, "utf8").trim();
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse });
  console.log(JSON.stringify(profile));
} else {
  throw new Error("mode: authorize | validate");
}
