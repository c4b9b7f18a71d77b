// AuditLog: the append-only, hash-chained record of every access to person-level data
// (table ig_audit in the store's audit file, docs/ig.md "Audit").
//
// Each entry records who (user id, username, role, organisation), why (purpose, the basis:
// the legitimate relationship or "break-glass", and the break-glass reason), what (action,
// the person's NHS Number, outcome and a summary of what was returned, e.g.
// "Patient:1 Encounter:12") and when (UTC). Entries are numbered 1, 2, 3, ... and chained:
//   hash = SHA-256(prev_hash | seq | at | user_id | username | role | org | purpose |
//                  action | basis | reason | nhs_number | outcome | returned)
// with prev_hash of entry 1 = 64 zeros. SQLite triggers refuse UPDATE and DELETE; Verify
// detects an edit, deletion, insertion or reordering made around them (for example with the
// triggers dropped) and reports the first bad entry. Removing entries from the end cannot be
// detected from the table alone: compare the head Verify prints with one recorded elsewhere
// (`pioneer audit verify --expect-head`).
// Storage: the trail lives in the audit file beside the store (PATH.audit, store/audit_file.h),
// never in the records' file, so appending to it leaves the records' file and every reader's
// page cache untouched. The audit file is bound to its store: a missing audit file, or one of
// another store, is an error (kFailedPrecondition naming the file), never an empty trail.
// pioneer::ig is the only module that reads or writes it.
// The audit trail is the record of access and so holds NHS Numbers; it is never logged. The
// NHS Number of an entry is an NhsNumber from the gate to the file (stored as its 10 digits,
// NULL when absent) and is parsed once when the file is read: Search fails with kDataLoss,
// naming the entry and not the value, when a stored number is not valid (an edited trail;
// Verify, which hashes the stored text itself, reports where).
// Errors: the store's errors. Thread safety: one AuditLog per thread; appends from several
// connections are serialised by the audit file's write lock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

struct AuditEntry {
  int64_t seq = 0;
  std::string at;  // ISO 8601 UTC, e.g. 2026-12-06T07:00:00Z
  int64_t user_id = 0;
  std::string username, role, org_code;
  std::string purpose;  // e.g. "direct-care", "patient-access", "audit-review"
  std::string action;   // e.g. "Patient.read", "Encounter.search", "break-glass"
  std::string basis;    // relationship ("registered-practice", ...), "break-glass", "self",
                        // or "none" for a denial
  std::string reason;   // break-glass reason, else ""
  std::optional<NhsNumber> nhs_number;  // nullopt when the access concerned no single person
  std::string outcome;                  // "permitted", "denied", "granted"
  std::string returned;  // summary of what was disclosed, e.g. "Patient:1 Encounter:3"
  std::string prev_hash, hash;
};

struct AuditQuery {
  std::optional<NhsNumber> nhs_number;
  std::optional<std::string> username;
  std::optional<std::string> at_from;    // inclusive, ISO date or time
  std::optional<std::string> at_before;  // exclusive
  int64_t offset = 0;
  int64_t limit = 100;
};

struct AuditVerification {
  int64_t entries = 0;  // entries checked
  bool ok = true;
  int64_t first_bad_seq = 0;  // position (1-based) of the first bad entry
  std::string problem;        // what is wrong with it
  int64_t head_seq = 0;       // last entry, when ok
  std::string head_hash;
};

// Where the IG gate sends its audit entries: AuditLog (appends on the caller's connection)
// or AuditWriter (audit_writer.h: one writer thread, group commit, for the server).
// Append returns once the entry is committed: callers disclose nothing before that.
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual Status Append(AuditEntry entry) = 0;
  // Appends the entries in order, together: all or none (this default appends them one by
  // one; AuditLog and AuditWriter commit them in one transaction).
  virtual Status AppendAll(std::vector<AuditEntry>& entries);
};

// Collects entries instead of committing them: a FHIR transaction Bundle's entries, appended
// together (AppendAllTo) before its records commit. Its Append returns OK at once, so its
// user must disclose nothing before AppendAllTo has succeeded.
class CollectingAuditSink final : public AuditSink {
 public:
  Status Append(AuditEntry entry) override;
  // Appends what was collected to `sink` in one go and forgets it.
  Status AppendAllTo(AuditSink& sink);

 private:
  std::vector<AuditEntry> entries_;
};

class AuditLog final : public AuditSink {
 public:
  // The trail of `store` (the records' connection): its audit file is opened on a connection
  // of its own at the first call (Open), which every other call returns the error of.
  explicit AuditLog(store::Store& store) : store_(store) {}

  // Opens the audit file now (the server checks it at start). Later calls return at once.
  Status Open();
  // For a long-lived appender (the server's writer): its commits no longer checkpoint the
  // audit file's WAL into the file; someone calls Checkpoint instead (AuditWriter does, on a
  // thread and connection of its own, off the commit path).
  Status UseManualCheckpoints();
  // Copies committed WAL frames of the audit file into it without waiting for anyone (a
  // PASSIVE checkpoint); returns the frames still to copy.
  StatusOr<int64_t> Checkpoint();

  // Appends `entry` (seq, at, prev_hash and hash are assigned here) in one transaction.
  // `at` is set to the current UTC time unless already given (tests).
  Status Append(AuditEntry entry) override;
  // Appends the entries in order, chained, in one transaction: all or none.
  Status AppendAll(std::vector<AuditEntry>& entries) override;
  // Entries matching the query, oldest first, and the total number matching. kDataLoss for an
  // entry whose stored NHS Number is not valid.
  StatusOr<std::vector<AuditEntry>> Search(const AuditQuery& q, int64_t* total);
  // Walks the whole chain.
  StatusOr<AuditVerification> Verify();
  // The hash of entry `seq`, or "" when there is none.
  StatusOr<std::string> HashOf(int64_t seq);

  // The hash an entry should have, given its fields and prev_hash.
  static std::string ComputeHash(const AuditEntry& e);

 private:
  store::Store& store_;
  std::unique_ptr<store::Store> file_;  // the audit file, once opened
  Status open_status_;
};

}  // namespace pioneer::ig
