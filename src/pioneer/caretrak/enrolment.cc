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
    const std::optional<timeline::PersonIndex> person = t.FindPerson(plan.nhs_number);
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

struct EventKind {
  timeline::Source source;
  std::string_view code;    // the event's main code (event_type, team_type)
  std::string_view detail;  // its second code (service_type), empty: any
  const char* description;
};

EventKind KindOf(EntryType entry) {
  switch (entry) {
    case EntryType::kReablementStart:
      return {timeline::Source::kSocialCareEvent, "service", "reablement",
              "reablement services in the social care extract"};
    case EntryType::kVirtualWardStart:
      return {timeline::Source::kCommunityContact, "virtual_ward", "",
              "virtual ward contacts in the community extract"};
    default:
      return {timeline::Source::kCommunityContact, "community_matron", "",
              "community matron (case management) contacts in the community extract"};
  }
}

}  // namespace

const char* EntryEventSource(EntryType entry) { return KindOf(entry).description; }

EnrolmentList EnrolmentFromFirstEvents(const timeline::Timeline& t, EntryType entry) {
  const EventKind kind = KindOf(entry);
  EnrolmentList out;
  const auto& E = t.events();
  for (timeline::PersonIndex p = 0; p < t.person_count(); ++p) {
    auto [first, last] = t.EventRange(p);
    int32_t day = timeline::kNoDate;
    for (uint64_t i = first; i < last; ++i) {
      if (E.source[i] != kind.source || t.strings().Get(E.code[i]) != kind.code) continue;
      if (!kind.detail.empty() && t.strings().Get(E.detail[i]) != kind.detail) continue;
      if (E.start_day[i] == timeline::kNoDate) continue;
      ++out.data_rows;
      if (day == timeline::kNoDate) {
        day = E.start_day[i];  // events are in date order within a person
      } else {
        ++out.duplicates;
        day = std::min(day, E.start_day[i]);
      }
    }
    if (day != timeline::kNoDate) out.rows.push_back({p, day});
  }
  return out;
}

}  // namespace pioneer::caretrak
