-- wrk report as one JSON line: requests/s, latency percentiles (ms) and non-2xx/3xx answers.
local errors = 0

response = function(status, headers, body)
  if status >= 400 then
    errors = errors + 1
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"rps": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "errors": %d}\n',
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors + summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
