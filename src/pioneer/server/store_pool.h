// StorePool: a fixed set of store connections shared by the server's threads; a request
// leases one for its duration (SQLite connections are used by one thread at a time). A pool
// holds either general connections (Store::OpenSqlite: they read and write; the first one
// migrates an older store) or read-only ones (Store::OpenReadOnlySqlite: they can only read,
// and need a store already at the current schema version). The server serves GET requests
// from a read-only pool and everything else from a general one (docs/store.md section 4).
// Errors: Open returns the store's error. Thread safety: Lease is thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::server {

class StorePool {
 public:
  enum class Access { kReadWrite, kReadOnly };
  // `mmap_bytes` > 0: each connection reads the store through a memory map of up to that
  // many bytes (Store::SetMemoryMap).
  static StatusOr<std::unique_ptr<StorePool>> Open(const std::string& path, int connections,
                                                   int64_t mmap_bytes = 0,
                                                   Access access = Access::kReadWrite);

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<store::Store> s) : pool_(pool), store_(std::move(s)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (store_) pool_->Return(std::move(store_));
    }
    store::Store& operator*() { return *store_; }

   private:
    StorePool* pool_;
    std::unique_ptr<store::Store> store_;
  };
  Lease Acquire();

 private:
  void Return(std::unique_ptr<store::Store> s);
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<store::Store>> free_;
};

}  // namespace pioneer::server
