// npm start: serves the single-page app on http://127.0.0.1:5173. It is a
// static server with one dynamic file, /config.json; the app itself runs in
// the browser (public/app.js) and talks to Gatehouse and the API directly.
//   GATEHOUSE_ISSUER       the issuer (default http://localhost:8080; a tenant's is .../t/{slug})
//   CLIENT_ID              the SPA's client: public (no secret), redirect URI APP_URL + "/",
//                          scope openid profile email notes:read notes:write, audience API_AUDIENCE;
//   GATEHOUSE_ADMIN_TOKEN  or, without CLIENT_ID, an admin token to register such a client at start
//   API_URL, API_AUDIENCE  the example API (default http://localhost:4000 for both)
//   APP_URL                this app as the browser reaches it (default http://localhost:5173)
//   HOST, PORT             where it listens (default 127.0.0.1, 5173)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";

const issuer = process.env.GATEHOUSE_ISSUER ?? "http://localhost:8080";
const apiUrl = process.env.API_URL ?? "http://localhost:4000";
const audience = process.env.API_AUDIENCE ?? "http://localhost:4000";
const appUrl = (process.env.APP_URL ?? "http://localhost:5173").replace(/\/+$/, "");
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 5173);
const scope = "openid profile email notes:read notes:write";

const origin = (u) => new URL(u).origin;
const clientId = process.env.CLIENT_ID || (await register());

// register creates the SPA's client with the Admin API (POST /admin/v1/clients;
// @gatehouse/sdk offers the same call typed): public, first-party (no consent
// page), its access tokens naming the API as audience, and the app's origin
// allowed to call the token endpoint from the browser (CORS).
async function register() {
  const token = process.env.GATEHOUSE_ADMIN_TOKEN;
  if (!token) throw new Error("set CLIENT_ID, or GATEHOUSE_ADMIN_TOKEN to register a client");
  const [base, tenant] = issuer.split("/t/");
  const path = tenant ? `/admin/v1/tenants/${encodeURIComponent(tenant)}/clients` : "/admin/v1/clients";
  const res = await fetch(base + path, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      client_name: "Example SPA",
      redirect_uris: [`${appUrl}/`],
      post_logout_redirect_uris: [`${appUrl}/`],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "none",
      scope,
      metadata: { first_party: true, audience: [audience], allowed_cors_origins: [origin(appUrl)] },
    }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`registering the client: ${body.type ?? res.status} ${body.detail ?? ""}`);
  console.log(`registered client ${body.client_id} (a new one on every start while CLIENT_ID is unset)`);
  return body.client_id;
}

const csp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `connect-src 'self' ${origin(issuer)} ${origin(apiUrl)}`,
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const files = {
  "/": ["public/index.html", "text/html; charset=utf-8"],
  "/app.js": ["public/app.js", "text/javascript; charset=utf-8"],
  "/style.css": ["public/style.css", "text/css; charset=utf-8"],
  // oauth4webapi is an ES module without dependencies: served as is.
  "/vendor/oauth4webapi.js": ["node_modules/oauth4webapi/build/index.js", "text/javascript; charset=utf-8"],
};
const config = JSON.stringify({ issuer, clientId, apiUrl, scope, redirectUri: `${appUrl}/` });

const server = createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  if (path === "/config.json") {
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(config);
    return;
  }
  const file = files[path];
  if (!file) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  try {
    const body = await readFile(new URL(file[0], import.meta.url));
    res.writeHead(200, { "Content-Type": file[1], "Cache-Control": extname(path) ? "no-cache" : "no-store" }).end(body);
  } catch {
    res.writeHead(500).end();
  }
});
server.listen(port, host, () => {
  const a = server.address();
  console.log(`example SPA on http://${a.address}:${a.port} (open ${appUrl}; issuer ${issuer}, API ${apiUrl})`);
});
process.on("SIGTERM", () => server.close());
