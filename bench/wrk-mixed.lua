-- Mixed signed-in traffic for wrk (bench/load.py writes the data file and passes its path):
--   wrk -t1 -c10 -d10s -s bench/wrk-mixed.lua http://127.0.0.1:PORT -- /tmp/data.lua
-- The data file returns {learners = {{cookie=, csrf=, pages={...}, topics={...}}, ...},
-- statuses = {...}, suffix = "estado/", field = "status"} (the status form: POST to
-- <topic page><suffix> with <field>=<status>). Requests go to the learners in turn, each with its
-- own session; every 5th request of a learner is a status change (POST with CSRF, as the site's
-- JavaScript sends it) on one of that learner's topics, always to a status different from the
-- topic's previous one.
-- Prints one JSON line like wrk-report.lua, plus the POSTs sent and those answered with the new
-- status. Counters live in each thread's Lua state; done() runs in another one and reads them
-- through the thread objects kept by setup().
local threads = {}
local learners, statuses, suffix, field
sent = 0
posts = 0
posts_ok = 0

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  local data = dofile(args[1])
  learners, statuses, suffix, field = data.learners, data.statuses, data.suffix, data.field
  for _, learner in ipairs(learners) do
    learner.count, learner.gets, learner.posts, learner.state = 0, 0, 0, {}
  end
end

request = function()
  sent = sent + 1
  local learner = learners[(sent - 1) % #learners + 1]
  learner.count = learner.count + 1
  if learner.count % 5 == 0 then
    learner.posts = learner.posts + 1
    posts = posts + 1
    local topic = learner.topics[(learner.posts - 1) % #learner.topics + 1]
    local state = (learner.state[topic] or 0) % #statuses + 1
    learner.state[topic] = state
    return wrk.format("POST", topic .. suffix, {
      ["Cookie"] = learner.cookie,
      ["X-CSRFToken"] = learner.csrf,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, field .. "=" .. statuses[state] .. "&csrfmiddlewaretoken=" .. learner.csrf)
  end
  learner.gets = learner.gets + 1
  local page = learner.pages[(learner.gets - 1) % #learner.pages + 1]
  return wrk.format("GET", page, { ["Cookie"] = learner.cookie })
end

response = function(status, headers, body)
  -- Only the JSON answer to a status change carries "status_label".
  if status == 200 and body and string.find(body, '"status_label"', 1, true) then
    posts_ok = posts_ok + 1
  end
end

done = function(summary, latency, requests)
  local sent_posts, answered = 0, 0
  for _, thread in ipairs(threads) do
    sent_posts = sent_posts + thread:get("posts")
    answered = answered + thread:get("posts_ok")
  end
  local seconds = summary.duration / 1e6
  -- errors.status counts answers >= 400; the rest are socket errors and timeouts.
  io.write(string.format(
    '{"rps": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "errors": %d, "posts": %d, ' ..
    '"posts_ok": %d}\n',
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.timeout
      + summary.errors.read + summary.errors.write,
    sent_posts, answered))
end
