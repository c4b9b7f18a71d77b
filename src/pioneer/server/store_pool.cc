#include "pioneer/server/store_pool.h"

namespace pioneer::server {

StatusOr<std::unique_ptr<StorePool>> StorePool::Open(const std::string& path, int connections,
                                                     int64_t mmap_bytes, Access access) {
  auto pool = std::make_unique<StorePool>();
  for (int i = 0; i < connections; ++i) {
    PIONEER_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> s,
                             access == Access::kReadOnly ? store::Store::OpenReadOnlySqlite(path)
                                                         : store::Store::OpenSqlite(path));
    if (mmap_bytes > 0) PIONEER_RETURN_IF_ERROR(s->SetMemoryMap(mmap_bytes));
    pool->free_.push_back(std::move(s));
  }
  return pool;
}

StorePool::Lease StorePool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !free_.empty(); });
  std::unique_ptr<store::Store> s = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(s));
}

void StorePool::Return(std::unique_ptr<store::Store> s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(s));
  }
  cv_.notify_one();
}

}  // namespace pioneer::server
