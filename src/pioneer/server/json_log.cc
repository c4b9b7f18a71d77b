#include "pioneer/server/json_log.h"

#include <cstdio>
#include <mutex>

#include "pioneer/store/utc_time.h"

namespace pioneer::server {

void WriteLog(std::string_view level, nlohmann::json fields) {
  static std::mutex mu;
  // The caller's fields win over ts and level (as an update would), without copying them.
  if (!fields.is_object()) fields = nlohmann::json::object();
  fields.emplace("ts", store::UtcNowIso8601());
  fields.emplace("level", level);
  std::string text = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace pioneer::server
