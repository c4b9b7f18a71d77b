#include "pioneer/server/json_log.h"

#include <cstdio>
#include <mutex>

#include "pioneer/store/utc_time.h"

namespace pioneer::server {

void WriteLog(std::string_view level, nlohmann::json fields) {
  static std::mutex mu;
  nlohmann::json line = {{"ts", store::UtcNowIso8601()}, {"level", level}};
  line.update(fields);
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace pioneer::server
