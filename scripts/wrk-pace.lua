-- Paces each wrk connection to one request every 100 ms: with 20 connections, about 200
-- requests/s (wrk alone sends as fast as it can). Used by scripts/bench-serve.
function delay()
  return 100
end
