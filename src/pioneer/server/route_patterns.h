// RoutePatterns: the server's route patterns compiled once, for matching a Bundle entry's
// request to the route that serves the same request over HTTP (cpp-httplib matches the
// HTTP requests against the same pattern strings itself).
// Thread safety: Match is const and may run on many threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace pioneer::server {

class RoutePatterns {
 public:
  // ECMAScript patterns, as cpp-httplib takes them. Throws std::regex_error for a bad one
  // (a programming error: the patterns are the server's own).
  explicit RoutePatterns(const std::vector<std::string>& patterns);
  ~RoutePatterns();
  RoutePatterns(const RoutePatterns&) = delete;
  RoutePatterns& operator=(const RoutePatterns&) = delete;

  // Whether pattern `i` matches the whole of `path`; `matches` then holds its groups (they
  // refer into `path`, which must outlive them).
  bool Match(size_t i, const std::string& path, std::smatch& matches) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace pioneer::server
