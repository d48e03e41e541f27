// The app signs in with the authorization code flow and PKCE, entirely in
// the browser (oauth4webapi), as a public client: no secret. Tokens stay in
// memory; a reload signs in again (quickly, through the Gatehouse session).
import * as oauth from "/vendor/oauth4webapi.js";

const $ = (id) => document.getElementById(id);
const config = await (await fetch("/config.json")).json();
const issuer = new URL(config.issuer);
// oauth4webapi insists on https; plain http is allowed for a local Gatehouse only.
const local = issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
const options = local ? { [oauth.allowInsecureRequests]: true } : {};
const client = { client_id: config.clientId };
let as;
let tokens;

function show(signedIn) {
  $("signed-in").hidden = !signedIn;
  $("signed-out").hidden = signedIn;
  $("status").textContent = signedIn ? "" : "You are signed out.";
}

function fail(err) {
  $("error").hidden = false;
  $("error").textContent = String(err?.message ?? err);
}

async function signIn() {
  const verifier = oauth.generateRandomCodeVerifier();
  const flight = { verifier, state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce() };
  sessionStorage.setItem("sign-in", JSON.stringify(flight)); // survives the round trip, nothing longer
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: config.redirectUri,
    response_type: "code",
    scope: config.scope,
    state: flight.state,
    nonce: flight.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url);
}

// finishSignIn redeems the code the redirect brought back.
async function finishSignIn(current) {
  const flight = JSON.parse(sessionStorage.getItem("sign-in") ?? "null");
  sessionStorage.removeItem("sign-in");
  history.replaceState(null, "", "/"); // the code is single-use; keep it out of history
  if (!flight) throw new Error("This sign-in was not started here. Sign in again.");
  const params = oauth.validateAuthResponse(as, client, current, flight.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, config.redirectUri, flight.verifier, options);
  tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: flight.nonce, requireIdToken: true });
}

async function callAPI(method = "GET", body) {
  const res = await fetch(`${config.apiUrl}/api/notes`, {
    method,
    headers: { Authorization: `Bearer ${tokens.access_token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body && JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`the API answered ${res.status}: ${data.detail ?? data.title}`);
  return data;
}

async function showNotes() {
  const { user, notes } = await callAPI();
  $("api-result").textContent = `${notes.length} note(s) for ${user}` + notes.map((n) => `\n- ${n.text}`).join("");
}

function signOut() {
  const url = new URL(as.end_session_endpoint);
  url.search = new URLSearchParams({
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: config.redirectUri,
  }).toString();
  tokens = undefined;
  location.assign(url);
}

$("login").addEventListener("click", () => signIn().catch(fail));
$("logout").addEventListener("click", signOut);
$("add-note").addEventListener("click", () =>
  callAPI("POST", { text: `written at ${new Date().toLocaleTimeString()}` }).then(showNotes).catch(fail));

try {
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  const current = new URL(location.href);
  if (current.searchParams.has("code") || current.searchParams.has("error")) {
    await finishSignIn(current);
  }
  if (tokens) {
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    $("user").textContent = claims.email ?? claims.sub;
    show(true);
    await showNotes();
  } else {
    show(false);
  }
} catch (err) {
  show(false);
  fail(err);
}
