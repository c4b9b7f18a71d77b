// TokenCache: bearer tokens already resolved (TokenService::Resolve), kept in memory for a
// short time so that a request does not read its token and user again (the server's).
//
// Keyed by the token's digest (crypto.h TokenDigest), never the token itself. Find returns
// an entry only while it is younger than the cache's bound (kTokenCacheMaxAge unless given)
// and, at the request's time, the token and its break-glass grant (if any) are unexpired;
// otherwise the caller resolves the token against the store again. Failed resolutions are
// never kept.
//
// Staleness bound: a revocation through this process (Forget, after the store has revoked
// the token) takes effect at once, also against a resolution that was in flight (Put
// ignores an entry resolved before the last Forget). A change made by another process on
// the same store (`pioneer users disable`, a revocation through another server) takes
// effect within the bound. Holds at most kMaxEntries; when full it starts again empty.
// Thread safety: every method is thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pioneer/ig/principal.h"

namespace pioneer::ig {

inline constexpr std::chrono::milliseconds kTokenCacheMaxAge{1000};

class TokenCache {
 public:
  static constexpr size_t kMaxEntries = 10000;

  explicit TokenCache(std::chrono::milliseconds max_age = kTokenCacheMaxAge) : max_age_(max_age) {}

  // The principal of a cached token, or nullopt (not cached, too old, or expired at `now`,
  // Unix seconds).
  std::optional<Principal> Find(const std::string& digest, int64_t now);
  // Read before resolving a token; pass to Put.
  uint64_t Generation();
  // Keeps a principal just resolved, unless Forget ran after `generation` was read.
  void Put(const std::string& digest, const Principal& who, uint64_t generation);
  // Drops a token (revoked through this process).
  void Forget(const std::string& digest);

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Principal who;
    Clock::time_point resolved_at;
  };
  std::chrono::milliseconds max_age_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t generation_ = 0;
};

}  // namespace pioneer::ig
