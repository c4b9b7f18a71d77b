#include "pioneer/caretrak/activity_table.h"

#include <cmath>
#include <string_view>

#include "pioneer/model/code_sets.h"

namespace pioneer::caretrak {
namespace {

using metrics::ColumnKind;
using metrics::ColumnSpec;
using metrics::Expr;

constexpr Measure kTableMeasures[] = {
    kAeAttendances, kNonElectiveAdmissions, kElectiveAdmissions,  kOutpatientAttendances,
    kGpContacts,    kCommunityContacts,     kMentalHealthContacts};

// What a record of the measure is: its source, its date and the predicate it satisfies.
struct Counted {
  const char* source;
  const char* date_field;
  Expr where;
};

Expr FirstEpisodeWithMethod(std::vector<std::string> methods) {
  return Expr::And(
      {Expr::In("admission_method", std::move(methods)), Expr::IntRange("episode_number", 1, 1)});
}

Counted CountedOf(Measure m) {
  switch (m) {
    case kAeAttendances:
      return {"ae_attendances", "arrival_date", Expr::True()};
    case kNonElectiveAdmissions: {
      std::vector<std::string> methods;
      for (std::string_view v : model::EmergencyAdmissionMethods()) methods.emplace_back(v);
      return {"apc_episodes", "admission_date", FirstEpisodeWithMethod(std::move(methods))};
    }
    case kElectiveAdmissions:
      return {"apc_episodes", "admission_date", FirstEpisodeWithMethod({"11", "12", "13"})};
    case kOutpatientAttendances:
      return {"op_appointments", "appointment_date", Expr::In("attended", {"5", "6"})};
    case kGpContacts:
      return {"gp_events", "event_date",
              Expr::In("snomed_concept_id", {"11429006", "185317003", "439708006"})};
    case kCommunityContacts:
      return {"community_contacts", "contact_date", Expr::True()};
    case kMentalHealthContacts:
      return {"mh_contacts", "contact_date", Expr::True()};
    default:
      return {"", "", Expr::True()};
  }
}

}  // namespace

std::span<const Measure> TableMeasures() { return kTableMeasures; }

std::string ActivityColumnName(Measure m, int month) {
  return std::string(MeasureSpecs()[m].name) + "_m" + std::to_string(month);
}

std::pair<int, int> MonthWindow(int month) {
  const double from = std::ceil(kDaysPerMonth * month);
  const double to = std::ceil(kDaysPerMonth * (month + 1));
  return {static_cast<int>(from), static_cast<int>(to) - 1};
}

metrics::PersonTableSpec ActivityTableSpec(std::vector<metrics::PersonIndexDate> index_dates,
                                           int lookback, int followup) {
  metrics::PersonTableSpec spec;
  spec.index_dates = std::move(index_dates);
  spec.distinct_rows = false;
  spec.exclude_objections = false;
  for (Measure m : kTableMeasures) {
    const Counted c = CountedOf(m);
    for (int k = -lookback; k < followup; ++k) {
      const auto [lo, hi] = MonthWindow(k);
      spec.columns.push_back(ColumnSpec::Records(ActivityColumnName(m, k), ColumnKind::kCount,
                                                 c.source, c.where, c.date_field, lo, hi));
    }
  }
  return spec;
}

}  // namespace pioneer::caretrak
