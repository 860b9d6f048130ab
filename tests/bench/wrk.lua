-- wrk script for `make bench`: browser-like requests, and a report the bench can read.
--
-- Arguments after `--`: the mode, "same" (one reader for every request: a repeat
-- visitor) or "new" (a new reader for each request: a counted view), then a run tag
-- that keeps the readers of two runs apart. A reader is told
-- apart by its address (X-Forwarded-For, trusted by the bench's gunicorn through
-- TRUSTED_PROXY_COUNT=1) and its browser string, as the view counter tells them apart.
-- The work done here per request is a few string operations in LuaJIT: wrk times the
-- server, not this script.

local BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

local mode = "same"
local tag = ""
local sent = 0
local fixed_request

function init(args)
  mode = args[1] or "same"
  tag = args[2] or ""
  wrk.headers["User-Agent"] = BROWSER
  wrk.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
  wrk.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
  wrk.headers["X-Forwarded-For"] = "198.51.100.7"
  fixed_request = wrk.format()
end

function request()
  if mode ~= "new" then
    return fixed_request
  end
  sent = sent + 1
  -- 10.<thread>.<n / 256>.<n % 256>, and the counter in the browser string too, so
  -- that no two requests of a run come from the same reader.
  local id = thread_id or 0
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", id % 256, math.floor(sent / 256) % 256, sent % 256)
  headers["User-Agent"] = BROWSER .. " r" .. tag .. "-" .. id .. "-" .. sent
  return wrk.format(nil, nil, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout
  ))
end
