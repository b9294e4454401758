-- Paces each wrk connection to one request every 95 ms: with 20 connections and about 1 ms per answer, about 200
-- requests/s (wrk alone sends as fast as it can). Used by scripts/bench-serve.
function delay()
  return 95
end
