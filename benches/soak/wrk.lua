-- wrk script for benches/soak.sh: mixes plain, gzip and conditional requests
-- over the three formats of the `all` feed, and checks every response.
--
-- Per response: the status is 200 or 304; a 200 carries a body as long as its
-- Content-Length and ends as its format ends (a complete document); a 304
-- carries no body; one ETag always names a body of the same length (the same
-- bytes); soak.sh's checker verifies the ETags' hashes themselves.

local paths = { "/all.rss", "/all.atom", "/all.json" }
local ends = { ["/all.rss"] = "</rss>%s*$", ["/all.atom"] = "</feed>%s*$", ["/all.json"] = "}%s*$" }
local n = 0
local last_etag = {}
local length_of = {}
counts = { ok = 0, not_modified = 0, bad_status = 0, incomplete = 0, etag_mismatch = 0 }
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function request()
    n = n + 1
    local path = paths[(n % 3) + 1]
    local kind = math.floor(n / 3) % 3
    local headers = {}
    if kind == 1 then
        headers["Accept-Encoding"] = "gzip"
    elseif kind == 2 and last_etag[path] then
        headers["If-None-Match"] = last_etag[path]
    end
    return wrk.format("GET", path, headers)
end

local function header(headers, name)
    for k, v in pairs(headers) do
        if string.lower(k) == name then
            return v
        end
    end
    return nil
end

function response(status, headers, body)
    local etag = header(headers, "etag")
    if status == 304 then
        counts.not_modified = counts.not_modified + 1
        if body ~= nil and #body > 0 then
            counts.incomplete = counts.incomplete + 1
        end
        return
    end
    if status ~= 200 then
        counts.bad_status = counts.bad_status + 1
        return
    end
    counts.ok = counts.ok + 1
    local declared = tonumber(header(headers, "content-length") or "-1")
    if declared ~= #body then
        counts.incomplete = counts.incomplete + 1
    end
    local encoding = header(headers, "content-encoding")
    if encoding == nil then
        -- Identity: the body ends as its format ends.
        local complete = false
        for _, pattern in pairs(ends) do
            if body:sub(-16):find(pattern) then
                complete = true
            end
        end
        if not complete then
            counts.incomplete = counts.incomplete + 1
        end
    end
    if etag then
        local known = length_of[etag]
        if known and known ~= #body then
            counts.etag_mismatch = counts.etag_mismatch + 1
        end
        length_of[etag] = #body
        if encoding == nil then
            -- The path of this body: the one whose format it ends with.
            for path, pattern in pairs(ends) do
                if body:sub(-16):find(pattern) then
                    last_etag[path] = etag
                end
            end
        end
    end
end

function done(summary, latency, requests)
    local total = { ok = 0, not_modified = 0, bad_status = 0, incomplete = 0, etag_mismatch = 0 }
    for _, thread in ipairs(threads) do
        local c = thread:get("counts")
        for k, v in pairs(c) do
            total[k] = total[k] + v
        end
    end
    io.write(string.format(
        "checked: 200=%d 304=%d other_status=%d incomplete=%d etag_mismatch=%d socket_errors=%d\n",
        total.ok, total.not_modified, total.bad_status, total.incomplete, total.etag_mismatch,
        summary.errors.connect + summary.errors.read + summary.errors.write
            + summary.errors.status + summary.errors.timeout))
end
