// JsonLog: structured logs, one JSON object per line on stderr.
//
// Information governance: log lines carry event names, route templates (never raw paths or
// query strings), status codes, durations, user ids and reason codes; never names, dates of
// birth, NHS Numbers, passwords or tokens. Callers pass only such fields.
// Thread safety: Write is thread-safe (one line per call, under a mutex).
#pragma once

#include <nlohmann/json.hpp>

namespace pioneer::server {

// Writes {"ts": <UTC time>, "level": level, ...fields} as one line.
void WriteLog(std::string_view level, nlohmann::json fields);

}  // namespace pioneer::server
