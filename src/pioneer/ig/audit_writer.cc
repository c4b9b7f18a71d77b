#include "pioneer/ig/audit_writer.h"

namespace pioneer::ig {

struct AuditWriter::Pending {
  AuditEntry entry;
  Status result;
  bool done = false;
  std::condition_variable cv;
};

AuditWriter::AuditWriter(std::unique_ptr<store::Store> store)
    : store_(std::move(store)), thread_([this] { Run(); }) {}

AuditWriter::~AuditWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  thread_.join();
}

Status AuditWriter::Append(AuditEntry entry) {
  Pending p;
  p.entry = std::move(entry);
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

void AuditWriter::Run() {
  AuditLog log(*store_);
  std::vector<Pending*> batch;
  std::vector<AuditEntry> entries;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    batch.swap(queue_);
    lock.unlock();
    entries.clear();
    entries.reserve(batch.size());
    for (Pending* p : batch) entries.push_back(p->entry);
    Status s = log.AppendAll(entries);
    lock.lock();
    if (s.ok()) ++commits_;
    for (Pending* p : batch) {
      p->result = s;
      p->done = true;
      p->cv.notify_one();
    }
    batch.clear();
  }
}

}  // namespace pioneer::ig
