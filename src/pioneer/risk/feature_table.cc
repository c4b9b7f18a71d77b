#include "pioneer/risk/feature_table.h"

#include <algorithm>
#include <string>
#include <vector>

#include "pioneer/model/code_sets.h"

namespace pioneer::risk {
namespace {

using metrics::ColumnKind;
using metrics::ColumnSpec;
using metrics::Expr;
using metrics::kIndexDate;
using metrics::kUnbounded;
using metrics::Relation;

constexpr int kYear = 365;

constexpr Feature kTableFeatures[] = {
    kAge,
    kMale,
    kHypertension,
    kDiabetes,
    kEmergencyAdmissions,
    kEmergencyBedDays,
    kDaysSinceEmergency,
    kElectiveAdmissions,
    kAeAttendances,
    kOutpatientAttendances,
    kGpContacts,
    kGpHomeVisits,
    kCommunityContacts,
    kMentalHealthContacts,
};

Expr EmergencyMethod() {
  std::vector<std::string> codes;
  for (auto c : model::EmergencyAdmissionMethods()) codes.emplace_back(c);
  return Expr::In("admission_method", codes, "emergency admission method");
}

Expr FirstEpisode() { return Expr::IntRange("episode_number", 1, 1, "first episode"); }

// Records of `source` satisfying `where` with `date` in the look-back year [D - 365, D - 1].
ColumnSpec LookBack(const char* name, ColumnKind kind, const char* source, Expr where,
                    const char* date) {
  return ColumnSpec::Records(name, kind, source, std::move(where), date, -kYear, -1);
}

}  // namespace

metrics::PersonTableSpec FeatureTableSpec(Date index_date) {
  metrics::PersonTableSpec s;
  s.index_date = index_date;
  s.distinct_rows = false;
  s.exclude_objections = false;
  const Relation registered{Relation::Kind::kOpenOn,
                            "gp_registrations",
                            "registration_start_date",
                            "registration_end_date",
                            kIndexDate,
                            0,
                            0};
  s.population = Expr::And({
      Expr::PersonDate("birth_date", kIndexDate, -kUnbounded, -1, "born before D"),
      Expr::Not(Expr::PersonDate("death_date", kIndexDate, -kUnbounded, -1), "alive on D"),
      Expr::Exists(registered, Expr::True(), "registered with a practice on D"),
  });
  s.columns = {
      ColumnSpec::Person("age", ColumnKind::kAge),
      ColumnSpec::Person("sex", ColumnKind::kSex),
      ColumnSpec::Records("ltc_hypertension", ColumnKind::kExists, "gp_events",
                          Expr::In("snomed_concept_id", {"38341003"}), "event_date", -kUnbounded,
                          -1),
      ColumnSpec::Records("ltc_diabetes", ColumnKind::kExists, "gp_events",
                          Expr::In("snomed_concept_id", {"73211009"}), "event_date", -kUnbounded,
                          -1),
      LookBack("emergency_admissions", ColumnKind::kCount, "apc_episodes",
               Expr::And({EmergencyMethod(), FirstEpisode()}), "admission_date"),
      ColumnSpec::Records("emergency_bed_days", ColumnKind::kSumDays, "apc_episodes",
                          EmergencyMethod(), "admission_date", -kYear, -1, "episode_start_date",
                          "episode_end_date"),
      ColumnSpec::Records("last_emergency", ColumnKind::kLastDate, "apc_episodes",
                          Expr::And({EmergencyMethod(), FirstEpisode()}), "admission_date",
                          -2 * kYear, -1),
      LookBack("elective_admissions", ColumnKind::kCount, "apc_episodes",
               Expr::And({Expr::In("admission_method", {"11", "12", "13"}), FirstEpisode()}),
               "admission_date"),
      LookBack("ae_attendances", ColumnKind::kCount, "ae_attendances", Expr::True(),
               "arrival_date"),
      LookBack("outpatient_attendances", ColumnKind::kCount, "op_appointments",
               Expr::In("attended", {"5", "6"}), "appointment_date"),
      LookBack("gp_contacts", ColumnKind::kCount, "gp_events",
               Expr::In("snomed_concept_id", {"11429006", "185317003", "439708006"}), "event_date"),
      LookBack("gp_home_visits", ColumnKind::kCount, "gp_events",
               Expr::In("snomed_concept_id", {"439708006"}), "event_date"),
      LookBack("community_contacts", ColumnKind::kCount, "community_contacts", Expr::True(),
               "contact_date"),
      LookBack("mental_health_contacts", ColumnKind::kCount, "mh_contacts", Expr::True(),
               "contact_date"),
  };
  return s;
}

std::span<const Feature> TableFeatures() { return kTableFeatures; }

double FeatureFromTable(const metrics::PersonTable& table, size_t row, Feature f, Date index_date) {
  auto value = [&](const char* column) -> const metrics::PersonColumn* {
    return table.Find(column);
  };
  auto number = [&](const char* column) -> double {
    const metrics::PersonColumn* c = value(column);
    return c == nullptr || c->IsNull(row) ? 0.0 : static_cast<double>(c->values[row]);
  };
  switch (f) {
    case kAge:
      return number("age");
    case kMale:
      return number("sex") == 1 ? 1.0 : 0.0;
    case kHypertension:
      return number("ltc_hypertension");
    case kDiabetes:
      return number("ltc_diabetes");
    case kEmergencyAdmissions:
      return std::min(3.0, number("emergency_admissions"));
    case kEmergencyBedDays:
      return number("emergency_bed_days");
    case kDaysSinceEmergency: {
      const metrics::PersonColumn* c = value("last_emergency");
      if (c == nullptr || c->IsNull(row)) return 2 * kYear;
      return static_cast<double>(index_date.days_since_epoch() - c->values[row]);
    }
    case kElectiveAdmissions:
      return number("elective_admissions");
    case kAeAttendances:
      return number("ae_attendances");
    case kOutpatientAttendances:
      return number("outpatient_attendances");
    case kGpContacts:
      return number("gp_contacts");
    case kGpHomeVisits:
      return number("gp_home_visits");
    case kCommunityContacts:
      return number("community_contacts");
    case kMentalHealthContacts:
      return number("mental_health_contacts");
    default:
      return 0.0;
  }
}

}  // namespace pioneer::risk
