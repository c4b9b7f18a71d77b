// AuditWriter: appends audit entries for many threads through one writer thread with group
// commit (the server's AuditSink).
//
// Every person-level read appends an audit entry before it answers. Appended one transaction
// per request from several connections, the appends contend for SQLite's single write lock
// (busy waits) and each commit makes every other connection drop its page cache. The writer
// owns one connection of its own; Append queues the entry and waits; the writer takes
// everything queued, appends it in order in one transaction (AuditLog::AppendAll: the chain
// is the same as with single appends) and then wakes the waiters with the result. An idle
// writer commits a lone entry at once; entries arriving during a commit go together in the
// next one.
//
// Guarantees: Append returns OK only once its entry is committed; when a batch's transaction
// fails every entry of it gets the error and none is stored (the caller then discloses
// nothing). Entries are stored in the order the writer took them.
// Callers must not hold a write transaction on another connection of the same store while
// they call Append (the writer would wait for it).
// Thread safety: Append is thread-safe. The destructor commits what is queued, then stops.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/ig/audit.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

class AuditWriter final : public AuditSink {
 public:
  // Takes `store`, a connection used by nothing else.
  explicit AuditWriter(std::unique_ptr<store::Store> store);
  ~AuditWriter() override;
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  Status Append(AuditEntry entry) override;

  // Transactions committed so far (each holding one or more entries).
  int64_t commits() const;

 private:
  struct Pending;
  void Run();

  std::unique_ptr<store::Store> store_;
  mutable std::mutex mu_;
  std::condition_variable wake_writer_;
  std::vector<Pending*> queue_;
  bool stopping_ = false;
  int64_t commits_ = 0;
  std::thread thread_;
};

}  // namespace pioneer::ig
