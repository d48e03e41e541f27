-- Helpers shared by the wrk scripts (loaded with dofile from bench/).
local M = {}

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

-- base64 encodes s (standard alphabet, padded), without bit operations so
-- it runs on any Lua wrk links.
function M.base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1 = math.floor(n / 262144) % 64
    local c2 = math.floor(n / 4096) % 64
    local c3 = math.floor(n / 64) % 64
    local c4 = n % 64
    out[#out + 1] = b64chars:sub(c1 + 1, c1 + 1) .. b64chars:sub(c2 + 1, c2 + 1) ..
      (b and b64chars:sub(c3 + 1, c3 + 1) or "=") .. (c and b64chars:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

-- urlencode form-encodes s (RFC 6749 2.3.1 asks for it on Basic credentials).
function M.urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(ch) return string.format("%%%02X", ch:byte()) end))
end

function M.env(name)
  local v = os.getenv(name)
  if v == nil or v == "" then
    error(name .. " is not set")
  end
  return v
end

-- basic returns the Authorization header for a client_secret_basic client.
function M.basic(id, secret)
  return "Basic " .. M.base64(M.urlencode(id) .. ":" .. M.urlencode(secret))
end

-- done prints one machine-readable line: wrk's latency object is in
-- microseconds; errors are socket errors plus non-2xx/3xx answers.
function M.done(name)
  return function(summary, latency, requests)
    local e = summary.errors
    local secs = summary.duration / 1e6
    io.write(string.format(
      "RESULT scenario=%s requests=%d duration_s=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
      "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d non2xx3xx=%d\n",
      name, summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      e.connect, e.read, e.write, e.timeout, e.status))
  end
end

return M
