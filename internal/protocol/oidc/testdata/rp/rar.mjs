// Rich authorization requests (RFC 9396) with oauth4webapi, an
// independent client, against a Gatehouse on loopback. Driven by
// internal/protocol/oidc's TestRARNodeClient; prints one JSON line.
//
//   node rar.mjs cc   '{"issuer","client_id","client_secret","details","resource"}'
//   node rar.mjs par  '{"issuer","client_id","client_secret","details"}'
//   node rar.mjs code '{"issuer","client_id","client_secret","callback","verifier","state"}'
//
// cc: a client-credentials token with authorization_details (and the
// error the server answers for bad ones). par: pushes a code-flow request
// with details and prints the authorization URL, the PKCE verifier and
// the state; the Go test signs in and consents in its browser. code:
// validates the callback (iss, state), redeems the code and refreshes.
import * as oauth from "oauth4webapi";

const [mode, raw] = process.argv.slice(2);
const cfg = JSON.parse(raw);
const insecure = { [oauth.allowInsecureRequests]: true }; // http on loopback
const issuer = new URL(cfg.issuer);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
const client = { client_id: cfg.client_id };
const auth = oauth.ClientSecretBasic(cfg.client_secret);
const out = {};

if (mode === "cc") {
  out.types = as.authorization_details_types_supported;
  const params = new URLSearchParams({ authorization_details: JSON.stringify(cfg.details) });
  if (cfg.resource) params.set("resource", cfg.resource);
  const res = await oauth.processClientCredentialsResponse(as, client,
    await oauth.clientCredentialsGrantRequest(as, client, auth, params, insecure));
  out.authorization_details = res.authorization_details;
  out.access_token = res.access_token;
  // A detail that does not match its type's schema.
  const bad = new URLSearchParams({ authorization_details: JSON.stringify([{ type: "payment_initiation" }]) });
  try {
    await oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, bad, insecure));
    out.bad_error = "accepted";
  } catch (e) {
    out.bad_error = e instanceof oauth.ResponseBodyError ? e.error : String(e);
  }
} else if (mode === "par") {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const params = new URLSearchParams({
    response_type: "code", redirect_uri: "https://app.example.com/cb", scope: "offline_access", state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    authorization_details: JSON.stringify(cfg.details),
  });
  const par = await oauth.processPushedAuthorizationResponse(as, client,
    await oauth.pushedAuthorizationRequest(as, client, auth, params, insecure));
  const u = new URL(as.authorization_endpoint);
  u.searchParams.set("client_id", client.client_id);
  u.searchParams.set("request_uri", par.request_uri);
  Object.assign(out, { url: u.href, verifier, state });
} else if (mode === "code") {
  const params = oauth.validateAuthResponse(as, client, new URL(cfg.callback), cfg.state);
  const res = await oauth.processAuthorizationCodeResponse(as, client,
    await oauth.authorizationCodeGrantRequest(as, client, auth, params, "https://app.example.com/cb", cfg.verifier, insecure));
  out.authorization_details = res.authorization_details;
  const ref = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, auth, res.refresh_token, insecure));
  out.refreshed_details = ref.authorization_details;
} else {
  throw new Error("unknown mode " + mode);
}
console.log(JSON.stringify(out));
