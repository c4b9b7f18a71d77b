#include "pioneer/risk/feature_table.h"

#include <algorithm>
#include <limits>
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
    kImdDecile,
    kHypertension,
    kDiabetes,
    kAsthma,
    kChd,
    kCopd,
    kCkd,
    kDepression,
    kAtrialFibrillation,
    kStroke,
    kHeartFailure,
    kCancer,
    kEpilepsy,
    kDementia,
    kLtcCount,
    kFallsCoded,
    kIncontinence,
    kImpairedMobility,
    kMalnutrition,
    kMemoryImpairment,
    kFrailtyScore,
    kEmergencyAdmissions,
    kEmergencyBedDays,
    kDaysSinceEmergency,
    kElectiveAdmissions,
    kAeAttendances,
    kOutpatientAttendances,
    kOutpatientDna,
    kGpContacts,
    kGpHomeVisits,
    kCommunityContacts,
    kMentalHealthContacts,
    kCrisisContacts,
    kCareHome,
    kHomeCare,
    kReablement,
    kDirectPaymentOrDayCare,
    kRespite,
    kSocialCareAssessments,
    kFallAdmissions,
    kAeFalls,
    kDelayedDischarges,
};

// The thirteen long-term conditions (features kHypertension .. kDementia, in order): SNOMED CT
// concept ids, as features.cc codes them.
constexpr const char* kLtcSnomed[13] = {
    "38341003", "73211009",  "195967001", "53741008",  "13645005", "709044004", "35489007",
    "49436004", "230690007", "84114007",  "363346000", "84757009", "52448006"};

Expr EmergencyMethod() {
  std::vector<std::string> codes;
  for (auto c : model::EmergencyAdmissionMethods()) codes.emplace_back(c);
  return Expr::In("admission_method", codes, "emergency admission method");
}

Expr FirstEpisode() { return Expr::IntRange("episode_number", 1, 1, "first episode"); }

// A GP event with one of `codes` recorded before D ("ever").
ColumnSpec EverCoded(std::string name, std::vector<std::string> codes) {
  return ColumnSpec::Records(std::move(name), ColumnKind::kExists, "gp_events",
                             Expr::In("snomed_concept_id", std::move(codes)), "event_date",
                             -kUnbounded, -1);
}

// A social care service of one of `types` open at some point in [D + lo, D + hi].
ColumnSpec Service(std::string name, std::vector<std::string> types, int lo, int hi) {
  return ColumnSpec::Open(
      std::move(name), ColumnKind::kExists, "social_care_events",
      Expr::And({Expr::In("event_type", {"service"}), Expr::In("service_type", std::move(types))}),
      "event_start_date", "event_end_date", lo, hi);
}

// Records of `source` satisfying `where` with `date` in the look-back year [D - 365, D - 1].
ColumnSpec LookBack(const char* name, ColumnKind kind, const char* source, Expr where,
                    const char* date) {
  return ColumnSpec::Records(name, kind, source, std::move(where), date, -kYear, -1);
}

// Episodes discharged in the look-back year with a delay reason recorded, admitted and
// started before D.
ColumnSpec DelayedDischarges() {
  ColumnSpec c = LookBack("delayed_discharges", ColumnKind::kCount, "apc_episodes",
                          Expr::Present("delay_reason"), "discharge_date");
  c.also = {{"admission_date", -kUnbounded, -1}, {"episode_start_date", -kUnbounded, -1}};
  return c;
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
      ColumnSpec::Person("imd_decile", ColumnKind::kImdDecile),
  };
  const std::span<const FeatureSpec> names = FeatureSpecs();
  for (int k = 0; k < 13; ++k)
    s.columns.push_back(EverCoded(names[kHypertension + k].name, {kLtcSnomed[k]}));
  const Expr emergency_first = Expr::And({EmergencyMethod(), FirstEpisode()});
  const std::vector<ColumnSpec> more = {
      LookBack("falls_coded", ColumnKind::kCount, "gp_events",
               Expr::In("snomed_concept_id", {"161898004"}), "event_date"),
      EverCoded("incontinence", {"165232002"}),
      EverCoded("impaired_mobility", {"82971005"}),
      EverCoded("malnutrition", {"2492009"}),
      EverCoded("memory_impairment", {"386807006"}),
      // The latest frailty index value recorded before D (the latest date, then the latest
      // row, among the records with a value).
      ColumnSpec::Records("frailty_score", ColumnKind::kLastDecimal, "gp_events",
                          Expr::In("snomed_concept_id", {"248279007"}), "event_date", -kUnbounded,
                          -1, "value"),
      LookBack("emergency_admissions", ColumnKind::kCount, "apc_episodes", emergency_first,
               "admission_date"),
      ColumnSpec::Records("emergency_bed_days", ColumnKind::kSumDays, "apc_episodes",
                          EmergencyMethod(), "admission_date", -kYear, -1, "episode_start_date",
                          "episode_end_date"),
      ColumnSpec::Records("last_emergency", ColumnKind::kLastDate, "apc_episodes", emergency_first,
                          "admission_date", -2 * kYear, -1),
      LookBack("elective_admissions", ColumnKind::kCount, "apc_episodes",
               Expr::And({Expr::In("admission_method", {"11", "12", "13"}), FirstEpisode()}),
               "admission_date"),
      LookBack("ae_attendances", ColumnKind::kCount, "ae_attendances", Expr::True(),
               "arrival_date"),
      LookBack("outpatient_attendances", ColumnKind::kCount, "op_appointments",
               Expr::In("attended", {"5", "6"}), "appointment_date"),
      LookBack("outpatient_dna", ColumnKind::kCount, "op_appointments", Expr::In("attended", {"3"}),
               "appointment_date"),
      LookBack("gp_contacts", ColumnKind::kCount, "gp_events",
               Expr::In("snomed_concept_id", {"11429006", "185317003", "439708006"}), "event_date"),
      LookBack("gp_home_visits", ColumnKind::kCount, "gp_events",
               Expr::In("snomed_concept_id", {"439708006"}), "event_date"),
      LookBack("community_contacts", ColumnKind::kCount, "community_contacts", Expr::True(),
               "contact_date"),
      LookBack("mental_health_contacts", ColumnKind::kCount, "mh_contacts", Expr::True(),
               "contact_date"),
      LookBack("mh_crisis_contacts", ColumnKind::kCount, "mh_contacts",
               Expr::In("team_type", {"crisis_resolution", "liaison_psychiatry"}), "contact_date"),
      // In a care home on D: the service started on or before D and had not ended by then.
      Service("care_home", {"residential", "nursing"}, 0, 0),
      // Services in the look-back year, as features.cc has it: started before D, and ended on
      // or after D - 365 (or still open): open at some point in [D - 366, D - 1].
      Service("home_care", {"home_care"}, -kYear - 1, -1),
      Service("reablement", {"reablement"}, -kYear - 1, -1),
      Service("direct_payment_or_day_care", {"direct_payment", "day_care"}, -kYear - 1, -1),
      Service("respite", {"respite"}, -kYear - 1, -1),
      LookBack("social_care_assessments", ColumnKind::kCount, "social_care_events",
               Expr::In("event_type", {"request", "assessment"}), "event_start_date"),
      // ICD-10 W00-W19: the store holds normalised codes (a letter and two digits first), so
      // "starts with W0 or W1" is features.cc's test.
      LookBack(
          "fall_admissions", ColumnKind::kCount, "apc_episodes",
          Expr::And({EmergencyMethod(), FirstEpisode(), Expr::Prefix({"cause"}, {"W0", "W1"})}),
          "admission_date"),
      LookBack("ae_falls", ColumnKind::kCount, "ae_attendances",
               Expr::In("chief_complaint", {"fall"}), "arrival_date"),
      DelayedDischarges(),
  };
  s.columns.insert(s.columns.end(), more.begin(), more.end());
  return s;
}

std::span<const Feature> TableFeatures() { return kTableFeatures; }

double FeatureFromTable(const metrics::PersonTable& table, size_t row, Feature f, Date index_date) {
  std::vector<std::string> names;
  std::vector<int64_t> values;
  std::vector<uint8_t> null;
  for (const auto& c : table.columns) {
    names.push_back(c.name);
    values.push_back(c.values[row]);
    null.push_back(c.null[row]);
  }
  return TableFeatureReader(names, index_date).Value(values.data(), null.data(), f);
}

TableFeatureReader::TableFeatureReader(const std::vector<std::string>& column_names,
                                       Date index_date)
    : day_(index_date.days_since_epoch()) {
  auto find = [&](std::string_view name) -> int {
    for (size_t k = 0; k < column_names.size(); ++k) {
      if (column_names[k] == name) return static_cast<int>(k);
    }
    return -1;
  };
  for (int f = 0; f < kFeatureCount; ++f) column_[f] = find(FeatureSpecs()[f].name);
  sex_ = find("sex");
  last_emergency_ = find("last_emergency");
}

double TableFeatureReader::Value(const int64_t* values, const uint8_t* null, Feature f) const {
  switch (f) {
    case kFrailtyScore: {
      const int k = column_[kFrailtyScore];
      if (k < 0 || null[k]) return std::numeric_limits<double>::quiet_NaN();
      return metrics::DecimalToDouble(values[k]);
    }
    case kImdDecile: {
      const int k = column_[kImdDecile];
      if (k < 0 || null[k]) return std::numeric_limits<double>::quiet_NaN();
      return static_cast<double>(values[k]);
    }
    case kMale:
      return Number(values, null, sex_) == 1 ? 1.0 : 0.0;
    case kLtcCount: {
      int n = 0;
      for (int c = 0; c < 13; ++c) n += Number(values, null, column_[kHypertension + c]) > 0;
      return n;
    }
    case kEmergencyAdmissions:
      return std::min(3.0, Number(values, null, column_[kEmergencyAdmissions]));
    case kDaysSinceEmergency:
      if (last_emergency_ < 0 || null[last_emergency_]) return 2 * kYear;
      return static_cast<double>(day_ - values[last_emergency_]);
    default:
      return Number(values, null, column_[f]);
  }
}

}  // namespace pioneer::risk
