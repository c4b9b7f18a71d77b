// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s regex compiler at -O1 with
// the sanitizers (GCC bug 105562). std::regex is compiled in this file only, so the warning
// is silenced here and nowhere else.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "pioneer/server/route_patterns.h"

namespace pioneer::server {

struct RoutePatterns::Compiled {
  std::vector<std::regex> res;
};

RoutePatterns::RoutePatterns(const std::vector<std::string>& patterns)
    : compiled_(std::make_unique<Compiled>()) {
  for (const std::string& p : patterns) compiled_->res.emplace_back(p);
}

RoutePatterns::~RoutePatterns() = default;

bool RoutePatterns::Match(size_t i, const std::string& path, std::smatch& matches) const {
  return i < compiled_->res.size() && std::regex_match(path, matches, compiled_->res[i]);
}

}  // namespace pioneer::server
