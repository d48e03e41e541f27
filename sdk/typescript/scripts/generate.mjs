// Generates src/generated/ from the contract, api/openapi.yaml:
//   schema.ts        the types of every path, operation and schema (openapi-typescript)
//   tenant-paths.ts  the Admin API resources that also exist under /admin/v1/tenants/{tenant}/
// `npm run generate` writes them; `npm run check-generated` (CI) fails when
// the committed files differ from what the contract gives now.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";

const contract = new URL("../../../api/openapi.yaml", import.meta.url);
const out = new URL("../src/generated/", import.meta.url);
const header = "// Code generated from api/openapi.yaml by sdk/typescript/scripts/generate.mjs. DO NOT EDIT.\n\n";

// Members with a default stay optional: requests may leave them out.
const schema = header + astToString(await openapiTS(contract, { defaultNonNullable: false }));

// The paths the contract has, read back from the generated `paths` interface.
const paths = new Set([...schema.matchAll(/^ {4}"(\/[^"]*)": \{$/gm)].map((m) => m[1]));
if (!paths.has("/admin/v1/users")) throw new Error("generate: no paths found in the generated types");
const withTenant = new Set();
const without = new Set();
for (const p of paths) {
  if (!p.startsWith("/admin/v1/") || p.startsWith("/admin/v1/tenants")) continue;
  const rest = p.slice("/admin/v1/".length);
  const resource = rest.split("/")[0];
  (paths.has(`/admin/v1/tenants/{tenant}/${rest}`) ? withTenant : without).add(resource);
}
for (const r of withTenant) {
  if (without.has(r)) throw new Error(`generate: ${r} has paths with and without a tenant form`);
}
const tenantPaths =
  header +
  "/** Resources under /admin/v1/ whose operations also exist under /admin/v1/tenants/{tenant}/. */\n" +
  `export const tenantScoped: readonly string[] = ${JSON.stringify([...withTenant].sort())};\n`;

const files = { "schema.ts": schema, "tenant-paths.ts": tenantPaths };
if (process.argv.includes("--check")) {
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const have = await readFile(new URL(name, out), "utf8").catch(() => "");
    if (have !== text) {
      console.error(`check-generated: sdk/typescript/src/generated/${name} is stale; run: npm run generate`);
      stale = true;
    }
  }
  if (stale) process.exit(1);
  console.log("check-generated: sdk/typescript/src/generated matches api/openapi.yaml");
} else {
  await mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(new URL(name, out), text);
}
