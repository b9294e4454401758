-- Many signed-in users at a set rate (scripts/bench-web): every request carries the session
-- cookie of the next user in the file named by BENCH_COOKIES (one `Cookie:` value per line),
-- each wrk thread starting at its own place in the list; each connection paces itself to one
-- request every BENCH_DELAY_MS milliseconds (wrk alone sends as fast as it can).
local cookies = {}
for line in io.lines(os.getenv("BENCH_COOKIES")) do
  if line ~= "" then cookies[#cookies + 1] = line end
end
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "100")

local threads = {}
function setup(thread)
  thread:set("start", #threads * 37)
  table.insert(threads, thread)
end

local n = 0
function init(args)
  n = tonumber(start) or 0
end

function request()
  n = n + 1
  return wrk.format(nil, nil, { ["Cookie"] = cookies[(n % #cookies) + 1] })
end

function delay()
  return pause
end

-- wrk counts a 3xx as a success; a redirect to the sign-in page is a failure here.
bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (tonumber(t:get("bad")) or 0) end
  io.write(string.format("Not 200: %d\n", total))
end
