-- wrk scenario: the client_credentials grant (RFC 6749 4.4) with
-- client_secret_basic, as a service fetching its own access token.
--   CLIENT_ID=... CLIENT_SECRET=... wrk -t2 -c64 -d60s -s bench/client_credentials.lua http://127.0.0.1:8080/oauth/token
-- SCOPE (optional) is requested; by default the client's registered scopes.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = common.basic(common.env("CLIENT_ID"), common.env("CLIENT_SECRET"))
local scope = os.getenv("SCOPE")
wrk.body = "grant_type=client_credentials"
if scope and scope ~= "" then
  wrk.body = wrk.body .. "&scope=" .. common.urlencode(scope)
end

done = common.done("client_credentials")
