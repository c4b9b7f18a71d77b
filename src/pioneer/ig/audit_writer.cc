#include "pioneer/ig/audit_writer.h"

namespace pioneer::ig {

struct AuditWriter::Pending {
  std::vector<AuditEntry> entries;
  Status result;
  bool done = false;
  std::condition_variable cv;
};

AuditWriter::AuditWriter(std::unique_ptr<store::Store> store)
    : store_(std::move(store)), log_(*store_), checkpoint_(*store_) {
  // Both connections are opened here, before the threads, as store_ is used by one thread at
  // a time. Without a checkpoint connection the writer keeps SQLite's automatic checkpoints.
  manual_checkpoints_ = checkpoint_.Open().ok() && log_.UseManualCheckpoints().ok();
  thread_ = std::thread([this] { Run(); });
  if (manual_checkpoints_) checkpointer_ = std::thread([this] { RunCheckpoints(); });
}

StatusOr<std::unique_ptr<AuditWriter>> AuditWriter::Start(std::unique_ptr<store::Store> store) {
  PIONEER_RETURN_IF_ERROR(AuditLog(*store).Open());
  return std::make_unique<AuditWriter>(std::move(store));
}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  wake_checkpointer_.notify_one();
  if (checkpointer_.joinable()) checkpointer_.join();
  thread_.join();
}

Status AuditWriter::Append(AuditEntry entry) {
  std::vector<AuditEntry> one;
  one.push_back(std::move(entry));
  return AppendAll(one);
}

Status AuditWriter::AppendAll(std::vector<AuditEntry>& entries) {
  if (entries.empty()) return OkStatus();
  Pending p;
  p.entries = std::move(entries);
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return UnavailableError("the audit writer is stopping");
  queue_.push_back(&p);
  wake_writer_.notify_one();
  p.cv.wait(lock, [&] { return p.done; });
  return p.result;
}

int64_t AuditWriter::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

int64_t AuditWriter::checkpoints() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checkpoints_;
}

void AuditWriter::RunCheckpoints() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_checkpointer_.wait(
        lock, [&] { return stopping_ || commits_ - checkpointed_at_ >= kCheckpointEvery; });
    if (stopping_) return;  // closing the last connection checkpoints anyway
    checkpointed_at_ = commits_;
    lock.unlock();
    // A failure (e.g. the file busy) is retried after the next kCheckpointEvery commits.
    (void)checkpoint_.Checkpoint();
    lock.lock();
    ++checkpoints_;
  }
}

void AuditWriter::Run() {
  std::vector<Pending*> batch;
  std::vector<AuditEntry> entries;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    batch.swap(queue_);
    lock.unlock();
    entries.clear();
    for (Pending* p : batch) {
      for (AuditEntry& e : p->entries) entries.push_back(std::move(e));
    }
    Status s = log_.AppendAll(entries);
    lock.lock();
    if (s.ok() && ++commits_ - checkpointed_at_ >= kCheckpointEvery && manual_checkpoints_) {
      wake_checkpointer_.notify_one();
    }
    for (Pending* p : batch) {
      p->result = s;
      p->done = true;
      p->cv.notify_one();
    }
    batch.clear();
  }
}

}  // namespace pioneer::ig
