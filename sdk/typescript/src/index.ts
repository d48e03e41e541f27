/**
 * @gatehouse/sdk: typed clients for the Gatehouse Admin API and the self-service
 * account API, generated from the OpenAPI contract (api/openapi.yaml) with
 * openapi-typescript and served by openapi-fetch. Paths, parameters, bodies,
 * responses and problem errors are typed from the contract; no request code is
 * written by hand.
 *
 * ```ts
 * const gh = createAdminClient({ baseUrl: "https://id.example.com", token: process.env.GATEHOUSE_ADMIN_TOKEN! });
 * const { data, error } = await gh.GET("/admin/v1/users", { params: { query: { limit: 10 } } });
 * if (error) console.error(error.type, error.detail); // a Problem (RFC 9457)
 * ```
 */
import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./generated/schema.js";
import { tenantScoped } from "./generated/tenant-paths.js";

export type { components, operations, paths };

/** An RFC 9457 problem: the body of every error response. Switch on `type`. */
export type Problem = components["schemas"]["Problem"];

/** A Gatehouse client: `GET`, `POST`, `PUT`, `PATCH`, `DELETE` on the contract's paths. */
export type GatehouseClient = Client<paths, `${string}/${string}`>;

/** What both clients take besides their credentials: openapi-fetch's options (`fetch`, `headers`, …). */
export type CommonOptions = Omit<ClientOptions, "baseUrl">;

export interface AdminClientOptions extends CommonOptions {
  /** Where Gatehouse serves, e.g. `https://id.example.com`. */
  baseUrl: string;
  /** An Admin API key (`gh_<id>_<secret>`) or the bootstrap admin token. */
  token: string;
  /**
   * A tenant slug. The tenant-scoped operations then go to
   * `/admin/v1/tenants/{tenant}/…`: `GET /admin/v1/users` lists that tenant's
   * users. Operations that exist only for the default tenant (events,
   * webhooks) throw {@link NoTenantFormError} instead of acting on it.
   */
  tenant?: string;
}

export interface AccountClientOptions extends CommonOptions {
  /** The issuer of the user's tenant: `https://id.example.com`, or `https://id.example.com/t/acme`. */
  baseUrl: string;
  /** The user's access token, with the `account` scope. */
  accessToken: string;
}

/** Thrown by a client with a `tenant` for an operation that has no per-tenant form. */
export class NoTenantFormError extends Error {
  constructor(method: string, schemaPath: string) {
    super(`@gatehouse/sdk: ${method} ${schemaPath} has no /admin/v1/tenants/{tenant} form; use a client without tenant`);
    this.name = "NoTenantFormError";
  }
}

const slug = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A client of the Admin API (`/admin/v1/…` and the operations endpoints). */
export function createAdminClient({ baseUrl, token, tenant, headers, ...options }: AdminClientOptions): GatehouseClient {
  if (!token) throw new TypeError("@gatehouse/sdk: token is required");
  if (tenant !== undefined && !slug.test(tenant)) throw new TypeError(`@gatehouse/sdk: ${JSON.stringify(tenant)} is not a tenant slug`);
  const client = createClient<paths>({ ...options, baseUrl: checkBase(baseUrl), headers: withBearer(headers, token) });
  if (tenant !== undefined) client.use(tenantMiddleware(baseUrl, tenant));
  return client;
}

/** A client of the account API (`/v1/me/…`) for the user whose access token it is. */
export function createAccountClient({ baseUrl, accessToken, headers, ...options }: AccountClientOptions): GatehouseClient {
  if (!accessToken) throw new TypeError("@gatehouse/sdk: accessToken is required");
  return createClient<paths>({ ...options, baseUrl: checkBase(baseUrl), headers: withBearer(headers, accessToken) });
}

/** Whether a value is a problem (the `error` of a failed call is one). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.type === "string" && typeof p.title === "string" && typeof p.status === "number";
}

function checkBase(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new TypeError(`@gatehouse/sdk: baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new TypeError(`@gatehouse/sdk: baseUrl must be http(s)`);
  return baseUrl.replace(/\/+$/, "");
}

function withBearer(headers: ClientOptions["headers"], token: string): ClientOptions["headers"] {
  return { ...(headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` };
}

function tenantMiddleware(baseUrl: string, tenant: string): Middleware {
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const admin = `${basePath}/admin/v1/`;
  return {
    onRequest({ request, schemaPath }) {
      if (!schemaPath.startsWith("/admin/v1/")) return undefined; // account API, operations endpoints
      const resource = schemaPath.split("/")[3] ?? "";
      if (resource === "tenants") return undefined; // tenants, and paths that name one already
      if (!tenantScoped.includes(resource)) throw new NoTenantFormError(request.method, schemaPath);
      const url = new URL(request.url);
      url.pathname = `${admin}tenants/${encodeURIComponent(tenant)}/${url.pathname.slice(admin.length)}`;
      return new Request(url, request);
    },
  };
}
