// A SAML service provider built on @node-saml/node-saml, driven by
// internal/protocol/saml's TestNodeSP: "authorize" prints the IdP URL of a
// new AuthnRequest (HTTP-Redirect); "validate" reads a SAMLResponse from
// stdin, validates it (signatures, audience, times, InResponseTo) and
// prints the profile as JSON; "logout" prints the IdP URL of a signed
// LogoutRequest (HTTP-Redirect) for cfg's nameID and sessionIndex;
// "logout-response" reads the URL the IdP sent the browser to from stdin,
// validates the LogoutResponse there and prints what it says as JSON;
// "logout-request" reads the URL the IdP sent the browser to with a
// LogoutRequest (an IdP-initiated logout) from stdin, validates the request
// (signature, issuer) and prints JSON with what it names and the IdP URL of
// node-saml's signed LogoutResponse (HTTP-Redirect) to it.
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
  logoutUrl: cfg.slo,
  privateKey: cfg.privateKey,
  signatureAlgorithm: "sha256",
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
} else if (mode === "logout") {
  const user = { nameID: cfg.nameID, nameIDFormat: cfg.nameIDFormat, sessionIndex: cfg.sessionIndex };
  console.log(await saml.getLogoutUrlAsync(user, "node-bye", {}));
} else if (mode === "logout-response") {
  const u = new URL(readFileSync(0, "utf8").trim());
  const container = Object.fromEntries(u.searchParams);
  const result = await saml.validateRedirectAsync(container, u.search.slice(1));
  console.log(JSON.stringify({ loggedOut: result.loggedOut, relayState: container.RelayState }));
} else if (mode === "logout-request") {
  const u = new URL(readFileSync(0, "utf8").trim());
  const container = Object.fromEntries(u.searchParams);
  const { profile, loggedOut } = await saml.validateRedirectAsync(container, u.search.slice(1));
  if (profile.issuer !== cfg.idpEntityID) throw new Error(`LogoutRequest from ${profile.issuer}`);
  const response = await saml.getLogoutResponseUrlAsync(profile, container.RelayState ?? "", {}, true);
  console.log(JSON.stringify({ loggedOut, nameID: profile.nameID, sessionIndex: profile.sessionIndex, requestID: profile.ID, response }));
} else {
  throw new Error("mode: authorize | validate | logout | logout-response | logout-request");
}
