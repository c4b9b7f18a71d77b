#include "pioneer/ig/audit.h"

#include <fmt/format.h>

#include "pioneer/base/sha256.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::ig {
namespace {

using store::Param;

const std::string kZeroHash(64, '0');

constexpr const char* kColumns =
    "seq, at, coalesce(user_id, 0), username, role, org_code, purpose, action, basis, reason, "
    "coalesce(nhs_number, ''), outcome, returned, prev_hash, hash";

// An entry as stored; its NHS Number column (text, "" when NULL) is column 10, parsed by the
// caller (Search) or hashed as it is (Verify).
AuditEntry ReadEntry(const store::RowView& r) {
  AuditEntry e;
  e.seq = r.Int(0);
  e.at = r.Text(1);
  e.user_id = r.Int(2);
  e.username = r.Text(3);
  e.role = r.Text(4);
  e.org_code = r.Text(5);
  e.purpose = r.Text(6);
  e.action = r.Text(7);
  e.basis = r.Text(8);
  e.reason = r.Text(9);
  e.nhs_number = NhsNumber::Parse(r.Text(10));
  e.outcome = r.Text(11);
  e.returned = r.Text(12);
  e.prev_hash = r.Text(13);
  e.hash = r.Text(14);
  return e;
}

// Length-prefixed fields, so no choice of field contents can make two entries collide.
void Field(Sha256& h, std::string_view v) {
  h.Update(fmt::format("{}:", v.size()));
  h.Update(v);
}

// The hash of `e` with `nhs_text` as its NHS Number field (as stored: 10 digits or "").
std::string HashWith(const AuditEntry& e, std::string_view nhs_text) {
  Sha256 h;
  Field(h, e.prev_hash);
  Field(h, std::to_string(e.seq));
  Field(h, e.at);
  Field(h, std::to_string(e.user_id));
  for (const std::string* v :
       {&e.username, &e.role, &e.org_code, &e.purpose, &e.action, &e.basis, &e.reason}) {
    Field(h, *v);
  }
  Field(h, nhs_text);
  for (const std::string* v : {&e.outcome, &e.returned}) Field(h, *v);
  return h.FinishHex();
}

}  // namespace

Status AuditSink::AppendAll(std::vector<AuditEntry>& entries) {
  for (AuditEntry& e : entries) PIONEER_RETURN_IF_ERROR(Append(e));
  return OkStatus();
}

Status CollectingAuditSink::Append(AuditEntry entry) {
  entries_.push_back(std::move(entry));
  return OkStatus();
}

Status CollectingAuditSink::AppendAllTo(AuditSink& sink) {
  std::vector<AuditEntry> entries;
  entries.swap(entries_);
  return sink.AppendAll(entries);
}

std::string AuditLog::ComputeHash(const AuditEntry& e) {
  return HashWith(e, e.nhs_number ? std::string_view(e.nhs_number->digits()) : std::string_view());
}

Status AuditLog::Open() {
  if (file_ || !open_status_.ok()) return open_status_;
  auto f = store_.OpenAuditFile();
  if (!f.ok()) {
    open_status_ = f.status();
    return open_status_;
  }
  file_ = std::move(*f);
  return OkStatus();
}

Status AuditLog::UseManualCheckpoints() {
  PIONEER_RETURN_IF_ERROR(Open());
  return file_->SetManualCheckpoints();
}

StatusOr<int64_t> AuditLog::Checkpoint() {
  PIONEER_RETURN_IF_ERROR(Open());
  return file_->Checkpoint();
}

Status AuditLog::Append(AuditEntry e) {
  std::vector<AuditEntry> one;
  one.push_back(std::move(e));
  return AppendAll(one);
}

Status AuditLog::AppendAll(std::vector<AuditEntry>& entries) {
  if (entries.empty()) return OkStatus();
  PIONEER_RETURN_IF_ERROR(Open());
  store::Store& file = *file_;
  for (AuditEntry& e : entries) {
    if (e.at.empty()) e.at = store::UtcNowIso8601();
  }
  return file.InTransaction([&]() -> Status {
    int64_t seq = 0;
    std::string prev = kZeroHash;
    PIONEER_RETURN_IF_ERROR(file.Query("SELECT seq, hash FROM ig_audit ORDER BY seq DESC LIMIT 1",
                                       {}, [&](const store::RowView& r) {
                                         seq = r.Int(0);
                                         prev = r.Text(1);
                                       }));
    for (AuditEntry& e : entries) {
      e.seq = ++seq;
      e.prev_hash = prev;
      e.hash = ComputeHash(e);
      prev = e.hash;
      Param p[] = {Param::Of(e.seq),
                   Param::Of(e.at),
                   e.user_id ? Param::Of(e.user_id) : Param::Null(),
                   Param::Of(e.username),
                   Param::Of(e.role),
                   Param::Of(e.org_code),
                   Param::Of(e.purpose),
                   Param::Of(e.action),
                   Param::Of(e.basis),
                   Param::Of(e.reason),
                   e.nhs_number ? Param::Of(e.nhs_number->digits()) : Param::Null(),
                   Param::Of(e.outcome),
                   Param::Of(e.returned),
                   Param::Of(e.prev_hash),
                   Param::Of(e.hash)};
      PIONEER_RETURN_IF_ERROR(
          file.Execute("INSERT INTO ig_audit(seq, at, user_id, username, role, org_code, purpose, "
                       "action, basis, reason, nhs_number, outcome, returned, prev_hash, hash) "
                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                       p)
              .status());
    }
    return OkStatus();
  });
}

StatusOr<std::vector<AuditEntry>> AuditLog::Search(const AuditQuery& q, int64_t* total) {
  PIONEER_RETURN_IF_ERROR(Open());
  std::string where = " WHERE 1 = 1";
  std::vector<Param> params;
  auto add = [&](const char* cond, const std::string& v) {
    params.push_back(Param::Of(v));
    where += fmt::format(" AND {} ?{}", cond, params.size());
  };
  if (q.nhs_number) add("nhs_number =", q.nhs_number->digits());
  if (q.username) add("username =", *q.username);
  if (q.at_from) add("at >=", *q.at_from);
  if (q.at_before) add("at <", *q.at_before);
  *total = 0;
  PIONEER_RETURN_IF_ERROR(file_->Query("SELECT count(*) FROM ig_audit" + where, params,
                                       [&](const store::RowView& r) { *total = r.Int(0); }));
  std::vector<AuditEntry> out;
  int64_t bad_seq = 0;  // the last entry whose stored NHS Number is not valid
  params.push_back(Param::Of(q.limit));
  params.push_back(Param::Of(q.offset));
  PIONEER_RETURN_IF_ERROR(
      file_->Query(fmt::format("SELECT {} FROM ig_audit{} ORDER BY seq LIMIT ?{} OFFSET ?{}",
                               kColumns, where, params.size() - 1, params.size()),
                   params, [&](const store::RowView& r) {
                     out.push_back(ReadEntry(r));
                     if (!out.back().nhs_number && !r.Text(10).empty()) bad_seq = r.Int(0);
                   }));
  if (bad_seq != 0) {
    return DataLossError(fmt::format(
        "audit entry {} holds an NHS Number that is not valid: the trail was edited (run "
        "`pioneer audit verify`)",
        bad_seq));
  }
  return out;
}

StatusOr<std::string> AuditLog::HashOf(int64_t seq) {
  PIONEER_RETURN_IF_ERROR(Open());
  std::string hash;
  Param p[] = {Param::Of(seq)};
  PIONEER_RETURN_IF_ERROR(file_->Query("SELECT hash FROM ig_audit WHERE seq = ?1", p,
                                       [&](const store::RowView& r) { hash = r.Text(0); }));
  return hash;
}

StatusOr<AuditVerification> AuditLog::Verify() {
  PIONEER_RETURN_IF_ERROR(Open());
  AuditVerification v;
  std::string prev = kZeroHash;
  int64_t position = 0;
  PIONEER_RETURN_IF_ERROR(file_->Query(
      fmt::format("SELECT {} FROM ig_audit ORDER BY seq", kColumns), {},
      [&](const store::RowView& r) {
        if (!v.ok) return;
        AuditEntry e = ReadEntry(r);
        ++position;
        auto fail = [&](std::string problem) {
          v.ok = false;
          v.first_bad_seq = position;
          v.problem = std::move(problem);
        };
        if (e.seq != position) {
          fail(fmt::format("entry {} is numbered {}: an entry was deleted, inserted or moved",
                           position, e.seq));
        } else if (e.prev_hash != prev) {
          fail(fmt::format("entry {} does not follow entry {} (its prev_hash differs)", position,
                           position - 1));
        } else if (HashWith(e, r.Text(10)) != e.hash) {
          fail(fmt::format("entry {} was edited (its contents do not match its hash)", position));
        }
        prev = e.hash;
        v.entries = position;
        v.head_seq = e.seq;
        v.head_hash = e.hash;
      }));
  return v;
}

}  // namespace pioneer::ig
