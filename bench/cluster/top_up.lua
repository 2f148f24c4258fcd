-- wrk script for bench/cluster/run.py: deposit top-ups, each with its own Idempotency-Key, to
-- store m<i % merchants>.   wrk ... -s top_up.lua URL -- PREFIX KEY MERCHANTS
local threads = {}

function setup(thread)
    thread:set("tid", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    prefix = args[1]
    key = args[2]
    merchants = tonumber(args[3])
    counter = 0
end

function request()
    counter = counter + 1
    local ref = prefix .. "-" .. tid .. "-" .. counter
    local path = "/v1/merchants/m" .. (counter % merchants) .. "/deposit/top-ups"
    return wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. key,
        ["Idempotency-Key"] = ref,
    }, '{"amount_fen":100,"ref":"' .. ref .. '"}')
end

function done(summary, latency, requests)
    io.write(string.format("RESULT %d %d %d %d\n", summary.requests, summary.errors.status,
        summary.duration, latency:percentile(99)))
end
