// Runs against a real Gatehouse on loopback, started by sdk_test.go (go test
// ./sdk/typescript/), which passes its URL, the bootstrap admin token and the
// access token of a signed-in user (jane@example.com, scope account).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  createAccountClient,
  createAdminClient,
  isProblem,
  NoTenantFormError,
  type Problem,
} from "../src/index.js";

const baseUrl = env("GATEHOUSE_URL");
const token = env("GATEHOUSE_ADMIN_TOKEN");

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run go test ./sdk/typescript/`);
  return v;
}

test("admin: create users and list them page by page", async () => {
  const gh = createAdminClient({ baseUrl, token });
  for (const email of ["ann@example.com", "bob@example.com", "cy@example.com"]) {
    const { data, error, response } = await gh.POST("/admin/v1/users", {
      body: { email, password: "correct horse battery staple", given_name: email.split("@")[0] },
    });
    assert.equal(response.status, 201, JSON.stringify(error));
    assert.equal(data?.email, email);
    assert.match(response.headers.get("Location") ?? "", /^\/admin\/v1\/users\/.+/);
  }
  const emails: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { data, error } = await gh.GET("/admin/v1/users", { params: { query: { limit: 2, cursor } } });
    assert.ifError(error);
    assert.ok(data);
    pages++;
    emails.push(...data.items.map((u) => u.email));
    cursor = data.next_cursor ?? undefined;
  } while (cursor);
  assert.equal(pages, 2); // jane and ann, then bob and cy (next_cursor null)
  assert.deepEqual(emails, ["jane@example.com", "ann@example.com", "bob@example.com", "cy@example.com"]);
});

test("admin: an error is a typed problem", async () => {
  const gh = createAdminClient({ baseUrl, token });
  const { data, error, response } = await gh.POST("/admin/v1/users", { body: { email: "jane@example.com" } });
  assert.equal(data, undefined);
  assert.equal(response.status, 409);
  const problem: Problem | undefined = error; // the contract's error bodies are problems
  assert.ok(isProblem(problem));
  assert.equal(problem.type, "urn:gatehouse:problem:conflict");
  assert.equal(problem.status, 409);
  assert.equal(response.headers.get("Content-Type"), "application/problem+json");

  const invalid = await gh.GET("/admin/v1/users", { params: { query: { limit: 0 } } });
  assert.equal(invalid.error?.type, "urn:gatehouse:problem:validation");
  assert.equal(invalid.error?.errors?.[0]?.field, "query:limit");

  const anonymous = createAdminClient({ baseUrl, token: "gh_not_a_key" });
  const denied = await anonymous.GET("/admin/v1/users");
  assert.equal(denied.response.status, 401);
  assert.equal(denied.error?.type, "urn:gatehouse:problem:unauthorized");
});

test("admin: a tenant client acts on its tenant", async () => {
  const gh = createAdminClient({ baseUrl, token });
  const created = await gh.POST("/admin/v1/tenants", { body: { slug: "acme", display_name: "Acme Corp" } });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));

  const acme = createAdminClient({ baseUrl, token, tenant: "acme" });
  const li = await acme.POST("/admin/v1/users", { body: { email: "li.wei@acme.example" } });
  assert.equal(li.response.status, 201, JSON.stringify(li.error));
  assert.match(li.response.url, /\/admin\/v1\/tenants\/acme\/users$/);
  const id = li.data!.id;

  assert.equal((await gh.GET("/admin/v1/users/{user_id}", { params: { path: { user_id: id } } })).response.status, 404);
  const viaPath = await gh.GET("/admin/v1/tenants/{tenant}/users/{user_id}", { params: { path: { tenant: "acme", user_id: id } } });
  assert.equal(viaPath.data?.email, "li.wei@acme.example");
  const viaTenant = await acme.GET("/admin/v1/users/{user_id}", { params: { path: { user_id: id } } });
  assert.equal(viaTenant.data?.email, "li.wei@acme.example");
  // Tenants themselves are not rewritten.
  const t = await acme.GET("/admin/v1/tenants/{tenant}", { params: { path: { tenant: "acme" } } });
  assert.equal(t.data?.display_name, "Acme Corp");
  // Events exist for the default tenant only: refused, not sent there.
  await assert.rejects(acme.GET("/admin/v1/events"), NoTenantFormError);
  assert.throws(() => createAdminClient({ baseUrl, token, tenant: "Acme Corp" }), TypeError);
});

test("account: the signed-in user reads /v1/me", async () => {
  const me = createAccountClient({ baseUrl, accessToken: env("GATEHOUSE_ACCESS_TOKEN") });
  const { data, error, response } = await me.GET("/v1/me");
  assert.ifError(error);
  assert.equal(data?.email, "jane@example.com");
  assert.match(response.headers.get("ETag") ?? "", /^"\d+"$/);

  const expired = createAccountClient({ baseUrl, accessToken: "not-a-token" });
  const denied = await expired.GET("/v1/me");
  assert.equal(denied.response.status, 401);
  assert.equal(denied.error?.type, "urn:gatehouse:problem:unauthorized");
});

test("types: paths and bodies come from the contract", () => {
  const gh = createAdminClient({ baseUrl, token });
  // These lines are checked by tsc, never run.
  const neverCalled = () => {
    // @ts-expect-error: no such path in the contract
    void gh.GET("/admin/v1/nope");
    // @ts-expect-error: email is required
    void gh.POST("/admin/v1/users", { body: { given_name: "Jane" } });
    // @ts-expect-error: limit is a number
    void gh.GET("/admin/v1/users", { params: { query: { limit: "10" } } });
  };
  assert.equal(typeof neverCalled, "function");
});
