-- wrk scenario: the JWKS endpoint, as resource servers and relying
-- parties fetching the signing keys.
--   wrk -t2 -c64 -d20s -s bench/jwks.lua http://127.0.0.1:8080/keys
-- With ETAG set, every request revalidates with If-None-Match (304s).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

wrk.method = "GET"
local etag = os.getenv("ETAG")
local name = "jwks"
if etag and etag ~= "" then
  wrk.headers["If-None-Match"] = etag
  name = "jwks_304"
end

done = common.done(name)
