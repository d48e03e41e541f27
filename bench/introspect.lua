-- wrk scenario: RFC 7662 introspection of one JWT access token, as a
-- resource server checking the bearer token of each incoming call.
--   CLIENT_ID=... CLIENT_SECRET=... TOKEN=... wrk -t2 -c64 -d20s -s bench/introspect.lua http://127.0.0.1:8080/oauth/introspect
-- The caller authenticates with client_secret_basic.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = common.basic(common.env("CLIENT_ID"), common.env("CLIENT_SECRET"))
wrk.body = "token=" .. common.urlencode(common.env("TOKEN")) .. "&token_type_hint=access_token"

done = common.done("introspect")
