-- wrk report as one JSON line: requests/s, latency percentiles (ms) and failed requests.
-- errors.status counts answers >= 400 (a 3xx is not an error); the rest are socket errors and
-- timeouts. (done() runs in its own Lua state: a counter kept in response() would not reach it.)
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"rps": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "errors": %d}\n',
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.timeout
      + summary.errors.read + summary.errors.write))
end
