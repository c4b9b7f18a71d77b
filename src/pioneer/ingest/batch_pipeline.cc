#include "pioneer/ingest/batch_pipeline.h"

#include <algorithm>

namespace pioneer::ingest {

BatchPipeline::BatchPipeline(Consumer consumer, bool threaded, size_t pool_size)
    : consumer_(std::move(consumer)), threaded_(threaded) {
  for (size_t i = 0; i < std::max<size_t>(pool_size, 2); ++i) {
    free_.push_back(std::make_unique<RowBatch>());
  }
  if (threaded_) thread_ = std::thread([this] { Run(); });
}

BatchPipeline::~BatchPipeline() {
  Abort();
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<RowBatch> BatchPipeline::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !free_.empty(); });
  auto b = std::move(free_.back());
  free_.pop_back();
  return b;
}

Status BatchPipeline::Submit(std::unique_ptr<RowBatch> batch) {
  if (!threaded_) {
    if (error_.ok()) error_ = consumer_(*batch);
    free_.push_back(std::move(batch));
    return error_;
  }
  std::unique_lock lock(mu_);
  if (!error_.ok() || aborted_) {
    free_.push_back(std::move(batch));
    cv_.notify_all();
    return error_.ok() ? InternalError("pipeline aborted") : error_;
  }
  queue_.push_back(std::move(batch));
  cv_.notify_all();
  return OkStatus();
}

void BatchPipeline::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return !queue_.empty() || closed_ || aborted_; });
    if (aborted_ || (queue_.empty() && closed_)) return;
    auto batch = std::move(queue_.front());
    queue_.pop_front();
    bool skip = !error_.ok();
    lock.unlock();
    Status s = skip ? OkStatus() : consumer_(*batch);
    lock.lock();
    if (!s.ok() && error_.ok()) error_ = std::move(s);
    free_.push_back(std::move(batch));
    cv_.notify_all();
  }
}

Status BatchPipeline::Finish() {
  if (!threaded_) return error_;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  return error_;
}

void BatchPipeline::Abort() {
  std::lock_guard lock(mu_);
  aborted_ = true;
  while (!queue_.empty()) {
    free_.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  cv_.notify_all();
}

}  // namespace pioneer::ingest
