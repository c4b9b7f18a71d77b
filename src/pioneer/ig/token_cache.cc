#include "pioneer/ig/token_cache.h"

namespace pioneer::ig {

std::optional<Principal> TokenCache::Find(const std::string& digest, int64_t now) {
  const Clock::time_point t = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(digest);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  const bool fresh = t - e.resolved_at < max_age_ && e.who.token_expires_at > now &&
                     (!e.who.grant || e.who.grant->expires_at > now);
  if (!fresh) {
    entries_.erase(it);
    return std::nullopt;
  }
  return e.who;
}

uint64_t TokenCache::Generation() {
  std::lock_guard<std::mutex> lock(mu_);
  return generation_;
}

void TokenCache::Put(const std::string& digest, const Principal& who, uint64_t generation) {
  const Clock::time_point t = Clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_) return;  // a revocation ran meanwhile
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(digest, Entry{who, t});
}

void TokenCache::Forget(const std::string& digest) {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  entries_.erase(digest);
}

}  // namespace pioneer::ig
