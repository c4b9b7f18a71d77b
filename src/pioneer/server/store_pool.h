// StorePool: a fixed set of store connections shared by the server's threads; a request
// leases one for its duration (SQLite connections are used by one thread at a time).
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
  // `mmap_bytes` > 0: each connection reads the store through a memory map of up to that
  // many bytes (Store::SetMemoryMap).
  static StatusOr<std::unique_ptr<StorePool>> Open(const std::string& path, int connections,
                                                   int64_t mmap_bytes = 0);

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
