// BatchPipeline: hands RowBatches from the parsing thread to a consumer (the store writer)
// running on its own thread, so parsing/validation and SQLite inserts overlap on two cores.
//
// A fixed pool of batches circulates: Acquire takes a free one (waiting while all are in
// flight), Submit queues a filled one, the consumer thread processes batches in submission
// order and returns them to the pool. The first consumer error stops consumption; Submit and
// Finish report it. With threaded = false the consumer runs inline inside Submit (for tests
// and single-core machines); behaviour is otherwise identical.
// Thread safety: Acquire/Submit/Finish/Abort from one producer thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/ingest/row_batch.h"

namespace pioneer::ingest {

class BatchPipeline {
 public:
  using Consumer = std::function<Status(RowBatch&)>;

  BatchPipeline(Consumer consumer, bool threaded, size_t pool_size = 4);
  ~BatchPipeline();  // aborts if Finish was not called
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  // A free batch (contents unspecified: Reset it). Never null.
  std::unique_ptr<RowBatch> Acquire();
  // Queues a batch; returns the consumer's error if it has failed (the batch is dropped).
  Status Submit(std::unique_ptr<RowBatch> batch);
  // Waits until every submitted batch is consumed; returns the first consumer error.
  Status Finish();
  // Drops queued batches and stops the consumer (after a producer-side failure).
  void Abort();

 private:
  void Run();

  Consumer consumer_;
  bool threaded_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<RowBatch>> queue_;
  std::vector<std::unique_ptr<RowBatch>> free_;
  bool closed_ = false;
  bool aborted_ = false;
  Status error_;
  std::thread thread_;
};

}  // namespace pioneer::ingest
