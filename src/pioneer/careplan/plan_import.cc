#include "pioneer/careplan/plan_import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>

#include "pioneer/base/csv_reader.h"
#include "pioneer/base/csv_record.h"
#include "pioneer/base/sha256.h"
#include "pioneer/careplan/care_plan.h"
#include "pioneer/careplan/plan_store.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::careplan {
namespace {

using store::Param;

enum Column {
  kPlanRef,
  kNhsNumber,
  kStartDate,
  kOrganisations,
  kStatus,
  kAccountableGp,
  kGpPractice,
  kCareCoordinator,
  kCoordinatorRole,
  kCoordinatorOrg,
  kReviewDate,
  kEndDate,
  kGoals,
  kColumnCount
};
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {"plan_ref",
                                                                     "nhs_number",
                                                                     "start_date",
                                                                     "organisations",
                                                                     "status",
                                                                     "accountable_gp",
                                                                     "gp_practice",
                                                                     "care_coordinator",
                                                                     "coordinator_role",
                                                                     "coordinator_org",
                                                                     "review_date",
                                                                     "end_date",
                                                                     "goals"};
constexpr int kRequiredColumns = 4;  // the first four

constexpr const char* kSource = "import";

struct ParsedRow {
  int64_t line = 0;
  CarePlan plan;
  std::vector<FieldProblem> problems;
  std::string raw;
};

bool SameContent(const CarePlan& a, const CarePlan& b) {
  return a.nhs_number == b.nhs_number && a.status == b.status &&
         a.accountable_gp == b.accountable_gp && a.gp_practice == b.gp_practice &&
         a.care_coordinator == b.care_coordinator && a.coordinator_role == b.coordinator_role &&
         a.coordinator_org == b.coordinator_org && a.organisations == b.organisations &&
         a.start_date == b.start_date && a.review_date == b.review_date &&
         a.end_date == b.end_date && a.goals == b.goals;
}

std::optional<Date> ParseDateField(std::string_view text, const char* field,
                                   std::vector<FieldProblem>& problems) {
  if (text.empty()) return std::nullopt;
  std::optional<Date> d = Date::ParseIso(text);
  if (!d) problems.push_back({field, "not a date (YYYY-MM-DD)"});
  return d;
}

std::string DelimiterHint(std::string_view header_field) {
  if (header_field.find(';') != std::string_view::npos)
    return " (the header holds semicolons: the file must be comma-separated)";
  if (header_field.find('\t') != std::string_view::npos)
    return " (the header holds tabs: the file must be comma-separated)";
  return "";
}

}  // namespace

namespace {

using ColumnMap = std::array<int, kColumnCount>;

// Maps the header's names onto the columns; unknown, repeated and missing required names are
// errors naming the file, line and column.
Status ReadHeader(const std::string& path, const CsvRecord& rec, ColumnMap& col) {
  col.fill(-1);
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    const std::string_view name = rec.fields[i];
    int c = 0;
    while (c < kColumnCount && kColumnNames[c] != name) ++c;
    if (c == kColumnCount) {
      return InvalidArgumentError(fmt::format(
          "{}: line {}, column {}: unknown column '{}'{}; expected {}", path, rec.line, i + 1,
          name.substr(0, 40), DelimiterHint(name), fmt::join(kColumnNames, ", ")));
    }
    if (col[c] >= 0) {
      return InvalidArgumentError(
          fmt::format("{}: line {}, column {}: '{}' appears twice", path, rec.line, i + 1, name));
    }
    col[c] = static_cast<int>(i);
  }
  for (int c = 0; c < kRequiredColumns; ++c) {
    if (col[c] < 0) {
      return InvalidArgumentError(fmt::format("{}: line {}: the header has no '{}' column", path,
                                              rec.line, kColumnNames[c]));
    }
  }
  return OkStatus();
}

// One data row as a plan, with every problem found in it (none: the plan is valid).
ParsedRow ParseRow(const CsvRecord& rec, const ColumnMap& col, size_t header_fields) {
  ParsedRow row;
  row.line = rec.line;
  row.raw = EncodeCsvRecord(rec.fields);
  auto field = [&](Column c) -> std::string_view {
    const int i = col[c];
    return i >= 0 && i < static_cast<int>(rec.fields.size()) ? rec.fields[i] : "";
  };
  if (rec.fields.size() != header_fields) {
    row.problems.push_back(
        {"", fmt::format("expected {} fields, found {}", header_fields, rec.fields.size())});
    return row;
  }
  CarePlan& p = row.plan;
  p.source = kSource;
  p.source_ref = std::string(field(kPlanRef));
  if (p.source_ref.empty()) row.problems.push_back({"plan_ref", "is required"});
  if (p.source_ref.size() > 64) row.problems.push_back({"plan_ref", "longer than 64 characters"});
  p.nhs_number = NhsNumber::Parse(field(kNhsNumber));
  const std::string_view status = field(kStatus);
  if (status.empty()) {
    p.status = PlanStatus::kActive;
  } else if (std::optional<PlanStatus> s = ParseStatus(status)) {
    p.status = *s;
  } else {
    row.problems.push_back({"status",
                            "not a care plan status (draft, active, on-hold, "
                            "completed, revoked, entered-in-error)"});
  }
  p.accountable_gp = std::string(field(kAccountableGp));
  p.gp_practice = std::string(field(kGpPractice));
  p.care_coordinator = std::string(field(kCareCoordinator));
  p.coordinator_role = std::string(field(kCoordinatorRole));
  p.coordinator_org = std::string(field(kCoordinatorOrg));
  p.organisations = SplitOrganisations(field(kOrganisations));
  const std::optional<Date> start = ParseDateField(field(kStartDate), "start_date", row.problems);
  if (field(kStartDate).empty()) row.problems.push_back({"start_date", "is required"});
  if (start) p.start_date = *start;
  p.review_date = ParseDateField(field(kReviewDate), "review_date", row.problems);
  p.end_date = ParseDateField(field(kEndDate), "end_date", row.problems);
  p.goals = std::string(field(kGoals));
  if (row.problems.empty()) {
    row.problems = Validate(p);
    // Say why the number is not valid (the kind of fault, never the value).
    for (FieldProblem& problem : row.problems) {
      if (problem.field != "nhs_number" || p.nhs_number) continue;
      problem.reason +=
          fmt::format(" ({})", NhsNumberProblemName(NhsNumber::Check(field(kNhsNumber))));
    }
  }
  return row;
}

// Parses every row first, so that a header error stores nothing.
StatusOr<std::vector<ParsedRow>> ReadPlanFile(const std::string& path) {
  ColumnMap col;
  bool header = true;
  size_t header_fields = 0;
  std::vector<ParsedRow> rows;
  CsvReader reader;
  PIONEER_RETURN_IF_ERROR(reader.ReadFile(path, [&](const CsvRecord& rec) -> Status {
    if (header) {
      header = false;
      header_fields = rec.fields.size();
      return ReadHeader(path, rec, col);
    }
    rows.push_back(ParseRow(rec, col, header_fields));
    return OkStatus();
  }));
  if (header) return InvalidArgumentError(fmt::format("{}: the file is empty (no header)", path));
  return rows;
}

// Records a rejected row (its line, first field and every reason) under the import.
Status RejectRow(store::Store& store, const ParsedRow& row, ImportSummary& summary) {
  ++summary.rejected;
  std::string reason;
  for (const FieldProblem& p : row.problems) {
    if (!reason.empty()) reason += "; ";
    reason += p.field.empty() ? p.reason : p.field + " " + p.reason;
  }
  if (summary.rejects.size() < kMaxRejectsReturned) {
    summary.rejects.push_back({row.line, row.problems.front().field, reason});
  }
  const std::array<Param, 5> reject = {Param::Of(summary.import_id), Param::Of(row.line),
                                       Param::Of(row.problems.front().field), Param::Of(reason),
                                       Param::Of(row.raw)};
  return store
      .Execute(
          "INSERT INTO care_plan_rejects(import_id, line_no, field, reason, raw_record) "
          "VALUES(?1, ?2, ?3, ?4, ?5)",
          reject)
      .status();
}

// Inside the caller's transaction: registers the import (or finds the same file imported
// before), then stores, updates or rejects each row and records the counts.
Status StoreRows(store::Store& store, const std::string& path, const std::string& sha,
                 const std::string& recorded_by, std::vector<ParsedRow>& rows,
                 ImportSummary& summary) {
  const std::array<Param, 1> sha_param = {Param::Of(sha)};
  PIONEER_RETURN_IF_ERROR(store.Query("SELECT import_id FROM care_plan_imports WHERE sha256 = ?1",
                                      sha_param, [&](const store::RowView& r) {
                                        summary.already_imported = true;
                                        summary.import_id = r.Int(0);
                                      }));
  if (summary.already_imported) return OkStatus();
  PIONEER_RETURN_IF_ERROR(
      store.Query("SELECT COALESCE(MAX(import_id), 0) + 1 FROM care_plan_imports", {},
                  [&](const store::RowView& r) { summary.import_id = r.Int(0); }));
  const std::array<Param, 4> import_row = {
      Param::Of(summary.import_id), Param::Of(std::filesystem::path(path).filename().string()),
      Param::Of(sha), Param::Of(store::UtcNowIso8601())};
  PIONEER_RETURN_IF_ERROR(
      store
          .Execute("INSERT INTO care_plan_imports(import_id, file_name, sha256, imported_at, "
                   "rows_read, added, updated, unchanged, rejected) "
                   "VALUES(?1, ?2, ?3, ?4, 0, 0, 0, 0, 0)",
                   import_row)
          .status());
  std::map<std::string, int64_t> first_line_of_ref;
  for (ParsedRow& row : rows) {
    if (row.problems.empty()) {
      auto [it, inserted] = first_line_of_ref.emplace(row.plan.source_ref, row.line);
      if (!inserted) {
        row.problems.push_back(
            {"plan_ref", fmt::format("repeats the plan_ref of line {}", it->second)});
      }
    }
    if (!row.problems.empty()) {
      PIONEER_RETURN_IF_ERROR(RejectRow(store, row, summary));
      continue;
    }
    PIONEER_ASSIGN_OR_RETURN(std::optional<CarePlan> existing,
                             internal::FindBySourceRef(store, kSource, row.plan.source_ref));
    CarePlan plan = std::move(row.plan);
    plan.recorded_by = recorded_by;
    if (existing && SameContent(*existing, plan)) {
      ++summary.unchanged;
      continue;
    }
    plan.plan_id = existing ? existing->plan_id : 0;
    PIONEER_RETURN_IF_ERROR(
        internal::WriteVersion(store, plan, existing ? "updated" : "created").status());
    ++(existing ? summary.updated : summary.added);
  }
  const std::array<Param, 6> counts = {Param::Of(summary.rows),     Param::Of(summary.added),
                                       Param::Of(summary.updated),  Param::Of(summary.unchanged),
                                       Param::Of(summary.rejected), Param::Of(summary.import_id)};
  return store
      .Execute(
          "UPDATE care_plan_imports SET rows_read = ?1, added = ?2, updated = ?3, "
          "unchanged = ?4, rejected = ?5 WHERE import_id = ?6",
          counts)
      .status();
}

}  // namespace

StatusOr<ImportSummary> ImportPlans(store::Store& store, const std::string& path,
                                    const std::string& recorded_by) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError(fmt::format("{}: no such file", path));
  }
  PIONEER_ASSIGN_OR_RETURN(std::string sha, Sha256FileHex(path));
  PIONEER_ASSIGN_OR_RETURN(std::vector<ParsedRow> rows, ReadPlanFile(path));
  ImportSummary summary;
  summary.rows = static_cast<int64_t>(rows.size());
  PIONEER_RETURN_IF_ERROR(store.InTransaction(
      [&]() -> Status { return StoreRows(store, path, sha, recorded_by, rows, summary); }));
  return summary;
}

}  // namespace pioneer::careplan
