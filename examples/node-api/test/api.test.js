// Runs against a real Gatehouse started by api_test.go (go test
// ./examples/node-api/), which passes its issuer and access tokens it issued
// with the client credentials grant.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createApp } from "../app.js";

const issuer = need("GATEHOUSE_ISSUER");
const audience = need("API_AUDIENCE");
let base;
let server;

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run go test ./examples/node-api/`);
  return v;
}

before(async () => {
  const app = await createApp({ issuer, audience, allowedOrigins: ["http://spa.test"] });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const call = (path, token, init = {}) =>
  fetch(base + path, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers } });

test("a token with the scope reads and writes notes", async () => {
  const token = need("TOKEN_READ_WRITE");
  const created = await call("/api/notes", token, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "buy milk" }),
  });
  assert.equal(created.status, 201);
  const list = await call("/api/notes", token);
  assert.equal(list.status, 200);
  const body = await list.json();
  assert.deepEqual(body.notes.map((n) => n.text), ["buy milk"]);
  assert.equal(body.user, need("READ_WRITE_CLIENT_ID")); // client credentials: sub is the client
});

test("a token without the scope is refused with 403 insufficient_scope", async () => {
  const token = need("TOKEN_READ");
  assert.equal((await call("/api/notes", token)).status, 200);
  const res = await call("/api/notes", token, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "x" }),
  });
  assert.equal(res.status, 403);
  assert.match(res.headers.get("WWW-Authenticate"), /error="insufficient_scope", scope="notes:write"/);
  assert.equal(res.headers.get("Content-Type"), "application/problem+json; charset=utf-8");
});

test("missing, forged, tampered and foreign tokens get 401", async () => {
  const missing = await call("/api/notes");
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get("WWW-Authenticate"), 'Bearer realm="example-api"');

  const good = need("TOKEN_READ");
  const [h, p, s] = good.split(".");
  const flipped = s.slice(0, -2) + (s.at(-2) === "A" ? "B" : "A") + s.at(-1);
  const payload = JSON.parse(Buffer.from(p, "base64url"));
  const widened = Buffer.from(JSON.stringify({ ...payload, scope: "notes:read notes:write" })).toString("base64url");
  const noneAlg = Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url");
  for (const [name, token] of Object.entries({
    "not a JWT": "gho_opaque",
    "signature changed": `${h}.${p}.${flipped}`,
    "payload widened": `${h}.${widened}.${s}`,
    "alg none": `${noneAlg}.${p}.`,
    "another audience": need("TOKEN_OTHER_AUDIENCE"),
  })) {
    const res = await call("/api/notes", token);
    assert.equal(res.status, 401, name);
    assert.match(res.headers.get("WWW-Authenticate"), /error="invalid_token"/, name);
  }
});

test("only the listed origins get CORS", async () => {
  const preflight = (origin) => fetch(base + "/api/notes", {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
  });
  const ok = await preflight("http://spa.test");
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get("Access-Control-Allow-Origin"), "http://spa.test");
  assert.match(ok.headers.get("Access-Control-Allow-Headers"), /Authorization/);
  assert.equal(ok.headers.get("Access-Control-Allow-Credentials"), null);
  const other = await preflight("http://evil.test");
  assert.equal(other.headers.get("Access-Control-Allow-Origin"), null);
});
