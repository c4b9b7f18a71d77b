#include "pioneer/caretrak/enrolment.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "pioneer/base/csv_reader.h"
#include "pioneer/base/date.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/model/nhs_number.h"

namespace pioneer::caretrak {

StatusOr<EnrolmentList> ReadEnrolmentList(const std::string& path, const timeline::Timeline& t) {
  if (!std::filesystem::is_regular_file(path)) {
    return NotFoundError(fmt::format("{}: no such enrolment list", path));
  }
  EnrolmentList out;
  int nhs_col = -1, date_col = -1;
  bool header = true;
  std::unordered_set<timeline::PersonIndex> seen;
  auto problem = [&](int64_t line, const char* field, const std::string& what) {
    ++out.bad_rows;
    if (out.problems.size() < 20) {
      out.problems.push_back(fmt::format("line {}, field {}: {}", line, field, what));
    }
  };
  CsvReader reader;
  Status st = reader.ReadFile(path, [&](const CsvRecord& r) -> Status {
    if (header) {
      header = false;
      for (size_t i = 0; i < r.fields.size(); ++i) {
        if (r.fields[i] == "nhs_number") nhs_col = static_cast<int>(i);
        if (r.fields[i] == "enrolment_date") date_col = static_cast<int>(i);
      }
      if (nhs_col < 0 || date_col < 0) {
        return InvalidArgumentError(fmt::format(
            "{}: line {}: the header must name the columns nhs_number and enrolment_date", path,
            r.line));
      }
      return OkStatus();
    }
    ++out.data_rows;
    if (static_cast<int>(r.fields.size()) <= std::max(nhs_col, date_col)) {
      problem(r.line, "nhs_number", "the row has too few fields");
      return OkStatus();
    }
    const NhsNumberProblem np = NhsNumber::Check(r.fields[nhs_col]);
    if (np != NhsNumberProblem::kNone) {
      problem(r.line, "nhs_number",
              fmt::format("not a valid NHS Number ({})", NhsNumberProblemName(np)));
      return OkStatus();
    }
    const auto date = Date::ParseIso(r.fields[date_col]);
    if (!date) {
      problem(r.line, "enrolment_date", "not a date like 2015-04-01");
      return OkStatus();
    }
    const auto number = NhsNumber::Parse(r.fields[nhs_col]);
    const auto person = t.FindPerson(number->digits());
    if (!person) {
      ++out.unknown_nhs_number;
      return OkStatus();
    }
    if (!seen.insert(*person).second) {
      ++out.duplicates;
      return OkStatus();
    }
    out.rows.push_back({*person, date->days_since_epoch()});
    return OkStatus();
  });
  if (!st.ok()) {
    if (st.code() == StatusCode::kInvalidArgument && st.message().rfind(path, 0) != 0) {
      return InvalidArgumentError(path + ": " + st.message());
    }
    return st;
  }
  if (header) return InvalidArgumentError(path + ": the file is empty (no header)");
  return out;
}

EnrolmentList EnrolmentFromCarePlans(std::span<const careplan::CarePlan> plans,
                                     const timeline::Timeline& t, bool joint_only) {
  EnrolmentList out;
  std::map<timeline::PersonIndex, int32_t> first;  // person -> earliest start day
  for (const careplan::CarePlan& plan : plans) {
    if (plan.status == careplan::PlanStatus::kDraft ||
        plan.status == careplan::PlanStatus::kEnteredInError || (joint_only && !plan.IsJoint())) {
      continue;
    }
    ++out.data_rows;
    const std::optional<timeline::PersonIndex> person =
        plan.nhs_number ? t.FindPerson(plan.nhs_number->digits()) : std::nullopt;
    if (!person) {
      ++out.unknown_nhs_number;
      continue;
    }
    const int32_t day = plan.start_date.days_since_epoch();
    auto [it, inserted] = first.emplace(*person, day);
    if (!inserted) {
      ++out.duplicates;
      it->second = std::min(it->second, day);
    }
  }
  for (const auto& [person, day] : first) out.rows.push_back({person, day});
  return out;
}

namespace {

using metrics::ColumnKind;
using metrics::ColumnSpec;
using metrics::Expr;

struct EventKind {
  const char* source;        // the extract table
  const char* date_field;    // the event's date (its start on the timeline)
  const char* code_field;    // the field holding `code`
  std::string_view code;     // event_type "service", or the team_type
  const char* detail_field;  // the field holding `detail` ("" none)
  std::string_view detail;   // service_type, empty: any
  const char* description;
};

EventKind KindOf(EntryType entry) {
  switch (entry) {
    case EntryType::kReablementStart:
      return {"social_care_events",
              "event_start_date",
              "event_type",
              "service",
              "service_type",
              "reablement",
              "reablement services in the social care extract"};
    case EntryType::kVirtualWardStart:
      return {"community_contacts",
              "contact_date",
              "team_type",
              "virtual_ward",
              "",
              "",
              "virtual ward contacts in the community extract"};
    default:
      return {"community_contacts",
              "contact_date",
              "team_type",
              "community_matron",
              "",
              "",
              "community matron (case management) contacts in the community extract"};
  }
}

}  // namespace

const char* EntryEventSource(EntryType entry) { return KindOf(entry).description; }

metrics::PersonTableSpec EntryEventSpec(EntryType entry) {
  const EventKind kind = KindOf(entry);
  Expr where = Expr::In(kind.code_field, {std::string(kind.code)});
  if (!kind.detail.empty()) {
    where = Expr::And({std::move(where), Expr::In(kind.detail_field, {std::string(kind.detail)})});
  }
  metrics::PersonTableSpec spec;
  spec.distinct_rows = false;
  spec.exclude_objections = false;
  spec.columns = {ColumnSpec::Records("first", ColumnKind::kFirstDate, kind.source, where,
                                      kind.date_field, -metrics::kUnbounded, metrics::kUnbounded),
                  ColumnSpec::Records("events", ColumnKind::kCount, kind.source, where,
                                      kind.date_field, -metrics::kUnbounded, metrics::kUnbounded)};
  return spec;
}

timeline::TimelineOptions EntryEventTimelineOptions(EntryType entry) {
  return metrics::PersonTableTimelineOptions(EntryEventSpec(entry));
}

StatusOr<EnrolmentList> EnrolmentFromFirstEvents(const timeline::Timeline& t, EntryType entry) {
  const metrics::ReferenceData none;  // no objections, duplicates or LSOAs are read
  metrics::FastEngine engine(t, none);
  // Cells by person index (timeline order), so no NHS Number is copied or looked up again.
  StatusOr<metrics::FastEngine::PersonCells> cells = engine.BuildPersonCells(EntryEventSpec(entry));
  if (!cells.ok()) {
    return FailedPreconditionError(
        "the entry events cannot be read from this timeline (build it with "
        "caretrak::EntryEventTimelineOptions()): " +
        std::string(cells.status().message()));
  }
  const size_t ncols = cells->columns;  // 0 "first", 1 "events"
  EnrolmentList out;
  for (size_t p = 0; p < t.person_count(); ++p) {
    if (!cells->in_population[p]) continue;
    const int64_t events = cells->values[p * ncols + 1];
    if (events == 0 || cells->null[p * ncols]) continue;
    out.data_rows += events;
    out.duplicates += events - 1;
    out.rows.push_back(
        {static_cast<timeline::PersonIndex>(p), static_cast<int32_t>(cells->values[p * ncols])});
  }
  return out;
}

}  // namespace pioneer::caretrak
