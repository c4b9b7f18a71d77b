#include "pioneer/ig/objections.h"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "pioneer/base/csv_reader.h"
#include "pioneer/base/date.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::ig {
namespace {

using store::Param;

// Appends the next version of `nhs`'s objection history (inside the caller's transaction).
Status AppendVersion(store::Store& store, const std::string& nhs, bool objecting,
                     const std::string& recorded_on, const std::string& source,
                     const std::string& at) {
  Param p[] = {Param::Of(nhs), Param::Of(int64_t{objecting ? 1 : 0}),
               recorded_on.empty() ? Param::Null() : Param::Of(recorded_on), Param::Of(source),
               Param::Of(at)};
  return store
      .Execute(
          "INSERT INTO ig_objection_history(nhs_number, version, objecting, recorded_on, "
          "source, changed_at) SELECT ?1, coalesce(max(version), 0) + 1, ?2, ?3, ?4, ?5 FROM "
          "ig_objection_history WHERE nhs_number = ?1",
          p)
      .status();
}

struct Objection {
  std::string nhs_number;
  std::string recorded_on;
};

}  // namespace

StatusOr<ObjectionImport> ImportObjections(store::Store& store, const std::string& path) {
  std::vector<Objection> rows;
  int nhs_col = -1, date_col = -1;
  bool header = true;
  CsvReader reader;
  Status s = reader.ReadFile(path, [&](const CsvRecord& rec) -> Status {
    if (header) {
      header = false;
      for (size_t i = 0; i < rec.fields.size(); ++i) {
        if (rec.fields[i] == "nhs_number")
          nhs_col = static_cast<int>(i);
        else if (rec.fields[i] == "recorded_on")
          date_col = static_cast<int>(i);
        else {
          return InvalidArgumentError(
              fmt::format("{}:{}: unknown column '{}' (expected "
                          "nhs_number and optionally recorded_on)",
                          path, rec.line, rec.fields[i]));
        }
      }
      if (nhs_col < 0) {
        return InvalidArgumentError(
            fmt::format("{}:{}: the header has no nhs_number column", path, rec.line));
      }
      return OkStatus();
    }
    if (static_cast<int>(rec.fields.size()) <= std::max(nhs_col, date_col)) {
      return InvalidArgumentError(fmt::format("{}:{}: expected {} fields, found {}", path, rec.line,
                                              std::max(nhs_col, date_col) + 1, rec.fields.size()));
    }
    NhsNumberProblem problem = NhsNumber::Check(rec.fields[nhs_col]);
    if (problem != NhsNumberProblem::kNone) {
      return InvalidArgumentError(
          fmt::format("{}:{}: field nhs_number: not a valid NHS Number ({})", path, rec.line,
                      NhsNumberProblemName(problem)));
    }
    Objection o;
    o.nhs_number = NhsNumber::Parse(rec.fields[nhs_col])->digits();
    if (date_col >= 0 && !rec.fields[date_col].empty()) {
      if (!Date::ParseIso(rec.fields[date_col])) {
        return InvalidArgumentError(
            fmt::format("{}:{}: field recorded_on: not an ISO date (YYYY-MM-DD)", path, rec.line));
      }
      o.recorded_on = rec.fields[date_col];
    }
    rows.push_back(std::move(o));
    return OkStatus();
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidArgument && s.message().find(path) == std::string::npos) {
      return InvalidArgumentError(fmt::format("{}: {}", path, s.message()));
    }
    return s;
  }
  if (header) return InvalidArgumentError(fmt::format("{}: the file is empty", path));
  ObjectionImport result;
  result.rows = static_cast<int64_t>(rows.size());
  std::string now = store::UtcNowIso8601();
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    for (const Objection& o : rows) {
      Param p[] = {Param::Of(o.nhs_number),
                   o.recorded_on.empty() ? Param::Null() : Param::Of(o.recorded_on),
                   Param::Of(fmt::format("import:{}", path)), Param::Of(now)};
      PIONEER_ASSIGN_OR_RETURN(
          int64_t n, store.Execute("INSERT INTO ig_objections(nhs_number, recorded_on, source, "
                                   "imported_at) VALUES(?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                                   p));
      (n > 0 ? result.added : result.existing) += 1;
      if (n > 0) {
        PIONEER_RETURN_IF_ERROR(AppendVersion(store, o.nhs_number, true, o.recorded_on,
                                              fmt::format("import:{}", path), now));
      }
    }
    return OkStatus();
  }));
  return result;
}

StatusOr<std::optional<ObjectionRecord>> ReadObjection(store::Store& store, PersonAccess& access) {
  std::optional<ObjectionRecord> out;
  Param p[] = {Param::Of(access.person().digits())};
  PIONEER_RETURN_IF_ERROR(store.Query(
      "SELECT coalesce(recorded_on, ''), source, imported_at FROM ig_objections WHERE "
      "nhs_number = ?1",
      p, [&](const store::RowView& r) {
        out =
            ObjectionRecord{std::string(r.Text(0)), std::string(r.Text(1)), std::string(r.Text(2))};
      }));
  access.NoteReturned("ig_objections", out ? 1 : 0);
  return out;
}

StatusOr<bool> RecordObjection(store::Store& store, PersonAccess& access,
                               const std::string& recorded_on, const std::string& source) {
  const std::string nhs = access.person().digits();
  const std::string now = store::UtcNowIso8601();
  bool added = false;
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    Param p[] = {Param::Of(nhs), recorded_on.empty() ? Param::Null() : Param::Of(recorded_on),
                 Param::Of(source), Param::Of(now)};
    PIONEER_ASSIGN_OR_RETURN(
        int64_t n, store.Execute("INSERT INTO ig_objections(nhs_number, recorded_on, source, "
                                 "imported_at) VALUES(?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                                 p));
    added = n > 0;
    return added ? AppendVersion(store, nhs, true, recorded_on, source, now) : OkStatus();
  }));
  return added;
}

StatusOr<bool> LiftObjection(store::Store& store, PersonAccess& access, const std::string& source) {
  const std::string nhs = access.person().digits();
  bool lifted = false;
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    std::optional<std::string> recorded_on;
    Param p[] = {Param::Of(nhs)};
    PIONEER_RETURN_IF_ERROR(
        store.Query("SELECT coalesce(recorded_on, '') FROM ig_objections WHERE nhs_number = ?1", p,
                    [&](const store::RowView& r) { recorded_on = std::string(r.Text(0)); }));
    if (!recorded_on) return OkStatus();
    PIONEER_ASSIGN_OR_RETURN(int64_t n,
                             store.Execute("DELETE FROM ig_objections WHERE nhs_number = ?1", p));
    lifted = n > 0;
    return lifted ? AppendVersion(store, nhs, false, *recorded_on, source, store::UtcNowIso8601())
                  : OkStatus();
  }));
  return lifted;
}

StatusOr<std::vector<ObjectionVersion>> ObjectionHistory(store::Store& store,
                                                         PersonAccess& access) {
  std::vector<ObjectionVersion> out;
  Param p[] = {Param::Of(access.person().digits())};
  PIONEER_RETURN_IF_ERROR(
      store.Query("SELECT version, objecting, coalesce(recorded_on, ''), source, changed_at FROM "
                  "ig_objection_history WHERE nhs_number = ?1 ORDER BY version",
                  p, [&](const store::RowView& r) {
                    out.push_back({r.Int(0), r.Int(1) != 0,
                                   ObjectionRecord{std::string(r.Text(2)), std::string(r.Text(3)),
                                                   std::string(r.Text(4))}});
                  }));
  access.NoteReturned("ig_objection_history", static_cast<int64_t>(out.size()));
  return out;
}

Status AddToCaseload(store::Store& store, const std::string& org_code, const std::string& team,
                     const NhsNumber& person) {
  if (org_code.empty() || team.empty()) {
    return InvalidArgumentError("a caseload needs an organisation and a team");
  }
  Param p[] = {Param::Of(org_code), Param::Of(team), Param::Of(person.digits()),
               Param::Of(store::UtcNowIso8601())};
  return store
      .Execute(
          "INSERT INTO ig_caseloads(org_code, team, nhs_number, added_at) "
          "VALUES(?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
          p)
      .status();
}

}  // namespace pioneer::ig
