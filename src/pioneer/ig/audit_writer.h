// AuditWriter: appends audit entries for many threads through one writer thread with group
// commit (the server's AuditSink).
//
// Every person-level read appends an audit entry before it answers. Appended one transaction
// per request from several connections, the appends contend for SQLite's single write lock
// of the audit file (busy waits). The writer owns one connection to the audit file (the
// trail is not in the records' file: audit.h); Append queues the entry and waits; the writer
// takes
// everything queued, appends it in order in one transaction (AuditLog::AppendAll: the chain
// is the same as with single appends) and then wakes the waiters with the result. An idle
// writer commits a lone entry at once; entries arriving during a commit go together in the
// next one.
//
// Checkpoints: the writer's commits do not copy the audit file's WAL into the file (no
// automatic checkpoint on the commit path); a second thread on a connection of its own runs a
// PASSIVE checkpoint after every kCheckpointEvery commits, while the writer goes on
// committing, and the writer restarts the WAL from its beginning once it is copied.
//
// Guarantees: Append returns OK only once its entry is committed; when a batch's transaction
// fails every entry of it gets the error and none is stored (the caller then discloses
// nothing). Entries are stored in the order the writer took them.
// The writer only writes the audit file, so a caller may hold a write transaction on the
// records (a transaction Bundle appends its entries before its records commit).
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
  // Takes `store`, a connection to the records used by nothing else, and opens two
  // connections to its audit file (appends fail with the error when it cannot be opened).
  explicit AuditWriter(std::unique_ptr<store::Store> store);
  // As the constructor, but opens the audit file first: the error of a missing or foreign
  // audit file (AuditLog::Open) comes here, before anything is served.
  static StatusOr<std::unique_ptr<AuditWriter>> Start(std::unique_ptr<store::Store> store);
  ~AuditWriter() override;
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  Status Append(AuditEntry entry) override;
  // The entries go into one transaction, next to each other.
  Status AppendAll(std::vector<AuditEntry>& entries) override;

  // Transactions committed so far (each holding one or more entries).
  int64_t commits() const;
  // Checkpoints run so far.
  int64_t checkpoints() const;

  static constexpr int64_t kCheckpointEvery = 64;

 private:
  struct Pending;
  void Run();
  void RunCheckpoints();

  std::unique_ptr<store::Store> store_;
  AuditLog log_;         // used by the writer thread only
  AuditLog checkpoint_;  // used by the checkpoint thread only
  bool manual_checkpoints_ = false;
  mutable std::mutex mu_;
  std::condition_variable wake_writer_;
  std::condition_variable wake_checkpointer_;
  std::vector<Pending*> queue_;
  bool stopping_ = false;
  int64_t commits_ = 0;
  int64_t checkpointed_at_ = 0;  // commits_ when the last checkpoint started
  int64_t checkpoints_ = 0;
  std::thread thread_;
  std::thread checkpointer_;
};

}  // namespace pioneer::ig
