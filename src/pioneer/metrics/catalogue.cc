// The metric catalogue: every BCF metric implemented so far, declared once as data.
// Rules follow the official definitions cited per metric (ASCOF handbook, NHS Digital indicator
// specifications, BCF planning guidance); docs/metrics.md is generated from this file.
#include <cctype>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/metrics/definition.h"
#include "pioneer/model/code_sets.h"

namespace pioneer::metrics {
namespace {

const std::vector<std::string> kDiagFields = {"diag_01", "diag_02", "diag_03",
                                              "diag_04", "diag_05", "diag_06"};
const std::vector<std::string> kSecondaryDiagFields = {"diag_02", "diag_03", "diag_04", "diag_05",
                                                       "diag_06"};
const std::vector<std::string> kProcFields = {"opertn_01", "opertn_02", "opertn_03"};
// Code subsets from model/code_sets.h, written there once.
std::vector<std::string> Codes(std::span<const std::string_view> set) {
  return {set.begin(), set.end()};
}
const std::vector<std::string> kEmergencyMethods = Codes(model::EmergencyAdmissionMethods());
const std::vector<std::string> kNhsProviderTransfers = Codes(model::NhsProviderTransferSources());

Expr Primary3(std::vector<std::string> cats) { return Expr::Prefix({"diag_01"}, std::move(cats)); }
Expr Primary4(std::vector<std::string> codes) { return Expr::In("diag_01", std::move(codes)); }

// STARTAGE valid: 0-120 or 7001-7007 (infants), 1.4.
Expr ValidStartAge() {
  return Expr::Or(
      {Expr::IntRange("age_on_admission", 0, 120), Expr::IntRange("age_on_admission", 7001, 7007)},
      "STARTAGE 0-120 or 7001-7007");
}

// Record filters of the NHS unplanned-admission indicators (1.6, 5.2) [AUTH].
std::vector<Expr> UnplannedAdmissionFilters() {
  return {
      Expr::IntRange("episode_number", 1, 1, "EPIORDER = 1: first episode of the spell"),
      Expr::In("episode_status", {"1", "3"}, "EPISTAT finished or unfinished"),
      Expr::In("admission_method", kEmergencyMethods, "emergency admission method (1.5)"),
      Expr::Not(Expr::In("admission_source", kNhsProviderTransfers),
                "exclude transfers in from another NHS provider"),
      Expr::In("episode_type", {"1"}, "EPITYPE = 1 general episode"),
      Expr::In("patient_classification", {"1"}, "CLASSPAT = 1 ordinary admission"),
      Expr::In("sex", {"1", "2"}, "persons = male + female"),
  };
}

Expr WithFilters(std::vector<Expr> filters, Expr diagnosis) {
  filters.push_back(std::move(diagnosis));
  return Expr::And(std::move(filters));
}

// Rule c/h procedure exclusion (K73/K74 only valid from 1 April 2017: after the BCF years).
Expr CardiacProcedure() {
  return Expr::Prefix(kProcFields,
                      {"K0", "K1", "K2", "K3", "K4", "K50", "K52", "K55", "K56", "K57", "K60",
                       "K61", "K66", "K67", "K68", "K69", "K71"},
                      "cardiac procedure exclusion");
}

MetricDefinition Nhsof23i() {
  MetricDefinition d;
  d.id = "nhsof_2_3_i";
  d.title = "Unplanned hospitalisation for chronic ambulatory care sensitive conditions";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 5.2; NHS Digital CCG OIS 2.6 indicator specification v1.15 (I00757)";
  d.provenance = "AUTH";
  Expr rules = Expr::Or(
      {
          Expr::And({Primary4({"B180", "B181"}),
                     Expr::Not(Expr::Prefix(kDiagFields, {"D57"}), "no sickle-cell D57 anywhere")},
                    "rule a: chronic viral hepatitis B"),
          Expr::Or({Primary3({"J45"}), Primary4({"J46X"})}, "rule b: asthma"),
          Expr::And({Expr::Or({Primary3({"I50"}), Primary4({"I110", "J81X", "I130"})}),
                     Expr::Not(CardiacProcedure())},
                    "rule c: congestive heart failure"),
          Expr::Or({Primary3({"E10", "E11", "E12", "E13", "E14"})}, "rule d: diabetes"),
          Expr::Or({Primary3({"J41", "J43", "J44"}), Primary4({"J42X", "J47X"}),
                    Expr::And({Primary3({"J20"}),
                               Expr::Prefix(kDiagFields, {"J41", "J42", "J43", "J44", "J47"})})},
                   "rule e: COPD"),
          Expr::And({Primary3({"I20", "I25"}),
                     Expr::Not(Expr::Prefix(kProcFields,
                                            {"A", "B", "C", "D", "E",  "F",  "G",  "H",  "I",
                                             "J", "K", "L", "M", "N",  "O",  "P",  "Q",  "R",
                                             "S", "T", "V", "W", "X0", "X1", "X2", "X4", "X5"}),
                               "no operative procedure")},
                    "rule f: angina"),
          Expr::Or({Primary3({"D51", "D52"}), Primary4({"D501", "D508", "D509"})},
                   "rule g: iron-deficiency anaemia"),
          Expr::And({Primary4({"I10X", "I119"}), Expr::Not(CardiacProcedure())},
                    "rule h: hypertension"),
          Expr::Or({Primary3({"I48", "G40", "G41", "F00", "F01", "F02", "F03"})},
                   "rule i: AF, epilepsy, dementia"),
      },
      "primary diagnosis meets any of rules a-i");
  auto filters = UnplannedAdmissionFilters();
  filters.insert(filters.begin(), ValidStartAge());
  d.numerator = WithFilters(std::move(filters), std::move(rules));
  d.period_field = "admission_date";
  d.period_rule = "admission date (ADMIDATE) inside the period";
  d.denominator_rule = "ONS mid-year estimate, all ages";
  d.standardisation = Standardisation::kEsp2013AgeSex;
  return d;
}

MetricDefinition Nhsof23ii() {
  MetricDefinition d;
  d.id = "nhsof_2_3_ii";
  d.title = "Unplanned hospitalisation for asthma, diabetes and epilepsy in under 19s";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 5.3; NHSOF 2.3.ii / CCG OIS 2.7";
  d.provenance = "PROP";
  d.provisional = true;
  auto filters = UnplannedAdmissionFilters();
  filters.insert(filters.begin(), Expr::Or({Expr::IntRange("age_on_admission", 0, 18),
                                            Expr::IntRange("age_on_admission", 7001, 7007)},
                                           "aged 0-18 at admission (infant codes 7001-7007 = 0)"));
  d.numerator = WithFilters(
      std::move(filters),
      Expr::Or(
          {Primary3({"J45", "E10", "E11", "E12", "E13", "E14", "G40", "G41"}), Primary4({"J46X"})},
          "asthma J45/J46X, diabetes E10-E14, epilepsy G40/G41"));
  d.period_field = "admission_date";
  d.period_rule = "admission date (ADMIDATE) inside the period";
  d.denominator_age_hi = 18;
  d.denominator_rule = "ONS mid-year estimate, ages 0-18";
  d.standardisation = Standardisation::kEsp2013AgeSex;
  return d;
}

MetricDefinition Nhsof3a() {
  MetricDefinition d;
  d.id = "nhsof_3a";
  d.title = "Emergency admissions for acute conditions that should not usually require admission";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 5.4; NHSOF 3a / CCG OIS 3.1 (code list PROP/CORR)";
  d.provenance = "PROP";
  d.provisional = true;
  auto filters = UnplannedAdmissionFilters();
  filters.insert(filters.begin(), ValidStartAge());
  std::vector<std::string> four = {// influenza & pneumonia (4-char)
                                   "J153", "J154", "J157", "J159", "J168", "J181", "J188",
                                   // other vaccine-preventable
                                   "B161", "B169", "G000", "M014",
                                   // ENT
                                   "J312",
                                   // kidney / UTI
                                   "N10X", "N12X", "N136", "N390",
                                   // dehydration & gastroenteritis
                                   "E86X", "K522", "K528", "K529",
                                   // cellulitis
                                   "L080", "L088", "L089", "L88X", "L980",
                                   // dental
                                   "A690", "K098", "K099",
                                   // gangrene
                                   "R02X"};
  for (const char* k : {"K25", "K26", "K27", "K28"}) {  // perforated / bleeding ulcer
    for (const char* s : {"0", "1", "2", "4", "5", "6"}) four.push_back(std::string(k) + s);
  }
  d.numerator = WithFilters(
      std::move(filters),
      Expr::Or(
          {Primary3({"J10", "J11", "J13", "J14", "A35", "A36", "A37", "A80", "B05", "B06", "B26",
                     "H66", "H67", "J02", "J03", "J06", "N11", "L03", "L04", "K02", "K03", "K04",
                     "K05", "K06", "K08", "K12", "K13", "R56", "O15", "N70", "N73", "N74"}),
           Primary4(std::move(four))},
          "primary diagnosis in the proposed acute ACSC list (5.4 table)"));
  d.period_field = "admission_date";
  d.period_rule = "admission date (ADMIDATE) inside the period";
  d.denominator_rule = "ONS mid-year estimate, all ages";
  d.standardisation = Standardisation::kEsp2013AgeSex;
  return d;
}

MetricDefinition Nhsof32(const SwitchValues& sw) {
  MetricDefinition d;
  d.id = "nhsof_3_2";
  d.title = "Emergency admissions for children with lower respiratory tract infections";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 5.5; NHSOF 3.2 / CCG OIS 3.4 (codes PROP)";
  d.provenance = "PROP";
  d.provisional = true;
  d.switches = {"lrti.include_optional_codes"};
  auto filters = UnplannedAdmissionFilters();
  filters.insert(filters.begin(), Expr::Or({Expr::IntRange("age_on_admission", 0, 18),
                                            Expr::IntRange("age_on_admission", 7001, 7007)},
                                           "aged 0-18 at admission (infant codes 7001-7007 = 0)"));
  std::vector<Expr> dx = {Primary3({"J12", "J13", "J14", "J15", "J16", "J18", "J21"})};
  if (sw.at("lrti.include_optional_codes") == "true") {
    dx.push_back(Primary4({"J100", "J110"}));
    dx.push_back(Primary3({"J20", "J22"}));
  }
  d.numerator = WithFilters(std::move(filters),
                            Expr::Or(std::move(dx), "pneumonia, bronchopneumonia, bronchiolitis"));
  d.period_field = "admission_date";
  d.period_rule = "admission date (ADMIDATE) inside the period";
  d.denominator_age_hi = 18;
  d.denominator_rule = "ONS mid-year estimate, ages 0-18";
  d.standardisation = Standardisation::kEsp2013AgeSex;
  return d;
}

MetricDefinition Composite(const SwitchValues& sw) {
  MetricDefinition d;
  d.id = "avoidable_emergency_composite";
  d.title = "Avoidable emergency admissions (composite of 2.3.i, 2.3.ii, 3a, 3.2)";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 5.1 (composition CORR, arithmetic PROP)";
  d.provenance = "PROP";
  d.provisional = true;
  d.components = {"nhsof_2_3_ii", "nhsof_2_3_i", "nhsof_3_2", "nhsof_3a"};
  d.deduplicate_components = sw.at("composite.deduplicate_spells") == "true";
  d.switches = {"composite.deduplicate_spells"};
  d.period_field = "admission_date";
  d.period_rule = "admission date (ADMIDATE) inside the period";
  d.denominator_rule = "ONS mid-year estimate, all ages";
  return d;
}

MetricDefinition TotalNel(const SwitchValues& sw) {
  MetricDefinition d;
  d.id = "total_non_elective";
  d.title = "Total non-elective (emergency) admissions, general and acute";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 5.6 (metric CORR, person-level definition PROP)";
  d.provenance = "PROP";
  d.provisional = true;
  d.switches = {"nel.method_set"};
  std::vector<std::string> methods = kEmergencyMethods;
  if (sw.at("nel.method_set") == "mar") methods.push_back("81");
  std::vector<std::string> non_ga = {"501", "560"};
  for (int s = 700; s <= 715; ++s) non_ga.push_back(std::to_string(s));
  d.numerator = Expr::And({
      Expr::IntRange("episode_number", 1, 1, "first episode of the spell"),
      Expr::In("admission_method", methods, "non-elective method set (nel.method_set)"),
      Expr::Not(Expr::In("main_specialty", non_ga),
                "general & acute: not obstetrics 501, midwife 560, mental illness/LD 700-715"),
  });
  d.period_field = "admission_date";
  d.period_rule = "admission date (ADMIDATE) inside the period";
  d.denominator_rule = "ONS mid-year estimate, all ages";
  return d;
}

MetricDefinition Falls(const SwitchValues& sw, std::string id, std::string title, int age_lo,
                       int age_hi) {
  MetricDefinition d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.version = "1.0";
  d.citation = "bcf-metrics.md 6.1-6.2; PHOF 2.24 (Fingertips 22401)";
  d.provenance = "CORR";
  d.switches = {"falls.cause_positions", "falls.exclude_transfers"};
  d.provisional = sw.at("falls.exclude_transfers") == "true";
  std::vector<std::string> cause_fields = {"cause"};
  if (sw.at("falls.cause_positions") == "any_secondary") {
    cause_fields.insert(cause_fields.end(), kSecondaryDiagFields.begin(),
                        kSecondaryDiagFields.end());
  }
  std::vector<Expr> all = {
      Expr::IntRange("episode_number", 1, 1, "first episode of the spell"),
      Expr::Prefix({"admission_method"}, {"2"}, "emergency: ADMIMETH starts with 2"),
      Expr::IntRange("age_on_admission", age_lo, age_hi, "age at admission"),
      Expr::Not(Expr::In("patient_classification", {"3", "4"}),
                "regular day/night attenders excluded"),
      Expr::Prefix({"diag_01"},
                   {"S", "T0", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T90", "T91", "T92",
                    "T93", "T94", "T95", "T96", "T97", "T98"},
                   "primary diagnosis injury S00-T98"),
      Expr::Prefix(cause_fields, {"W0", "W1"}, "external cause of fall W00-W19"),
  };
  if (sw.at("falls.exclude_transfers") == "true") {
    all.push_back(Expr::Not(Expr::In("admission_method", {"2B"}), "not an emergency transfer"));
    all.push_back(Expr::Not(Expr::In("admission_source", kNhsProviderTransfers),
                            "not transferred from another NHS provider"));
  }
  d.numerator = Expr::And(std::move(all));
  d.period_field = "episode_end_date";
  d.period_rule =
      "episode end date (EPIEND) inside the period (PHOF: financial year the "
      "episode ended); unfinished episodes have no end and are not yet counted";
  d.denominator_age_lo = age_lo;
  d.denominator_age_hi = age_hi;
  d.denominator_rule = age_hi >= 200 ? "ONS mid-year estimate, ages " + std::to_string(age_lo) + "+"
                                     : "ONS mid-year estimate, ages " + std::to_string(age_lo) +
                                           "-" + std::to_string(age_hi);
  d.standardisation = Standardisation::kEsp2013Age;
  return d;
}

// ---------------------------------------------------------------------------------------------
// Social care and discharge metrics.

const std::vector<std::string> kCouncilSupported = {"la_funded", "joint"};
const std::vector<std::string> kCommunityServices = {"home_care", "direct_payment", "day_care"};

Expr CareHomeLongTerm(std::string note = "") {
  return Expr::And(
      {Expr::In("event_type", {"service"}), Expr::In("service_type", {"residential", "nursing"}),
       Expr::In("service_term", {"long_term"})},
      std::move(note));
}

MetricDefinition Ascof2a(const SwitchValues& sw, int part) {
  MetricDefinition d;
  d.id = part == 1 ? "ascof_2a_part1" : "ascof_2a_part2";
  d.title = part == 1 ? "Permanent admissions to residential and nursing care homes, aged 18-64"
                      : "Permanent admissions to residential and nursing care homes, aged 65+";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 2.1-2.4; ASCOF 2A part " + std::to_string(part) +
               " (NHS Digital ASCOF 2A; person-level derivation CORR/PROP)";
  d.provenance = "CORR";
  d.provisional = true;  // look-back and council-support reading are PROP
  d.source = "social_care_events";
  d.switches = {"ascof2a.age_rule", "ascof2a.earlier_placement_funding",
                "ascof2a.exclude_depleted_self_funders_previously_counted",
                "ascof2a.lookback_years"};
  d.lookback_years = std::stoi(sw.at("ascof2a.lookback_years"));
  const bool any_funding = sw.at("ascof2a.earlier_placement_funding") == "any";
  Expr earlier =
      any_funding ? CareHomeLongTerm()
                  : Expr::And({CareHomeLongTerm(),
                               Expr::Not(Expr::In("funding", {"self_funder"}), "not self-funded")});
  std::vector<Expr> all = {
      CareHomeLongTerm("permanent (long-term) residential or nursing placement"),
      Expr::In("funding", kCouncilSupported,
               "council-supported: any council contribution (NHS-only CHC and self-funders "
               "excluded)"),
      Expr::Not(Expr::Exists({Relation::Kind::kBefore, "social_care_events", "event_start_date", "",
                              "event_start_date", 0, 0},
                             std::move(earlier)),
                any_funding
                    ? "new admission: no earlier long-term placement of any funding (moves "
                      "between homes or residential <-> nursing are not counted; one per person)"
                    : "new admission: no earlier council-supported or NHS-funded long-term "
                      "placement (moves between homes or residential <-> nursing are not "
                      "counted; a self-funder whose funds ran out counts when the council starts "
                      "paying, 2014/15 guidance; ascof2a.earlier_placement_funding)"),
  };
  if (sw.at("ascof2a.exclude_depleted_self_funders_previously_counted") == "true") {
    all.push_back(Expr::Not(Expr::In("route_of_access", {"self_funder_depleted"}),
                            "not a self-funder with depleted funds"));
  }
  d.numerator = Expr::And(std::move(all));
  d.period_field = "event_start_date";
  d.period_rule = "service start date inside the period (financial year for ASCOF)";
  if (sw.at("ascof2a.age_rule") == "admission") {
    d.age_rule = AgeRule::kAtDateField;
    d.age_date_field = "event_start_date";
  } else {
    d.age_rule = AgeRule::kAtFinancialYearEnd;
  }
  d.age_lo = part == 1 ? 18 : 65;
  d.age_hi = part == 1 ? 64 : 200;
  d.practice_field = kPracticeAtEvent;
  d.lsoa_field = kPersonField;
  d.denominator_age_lo = d.age_lo;
  d.denominator_age_hi = d.age_hi;
  d.denominator_rule =
      part == 1 ? "ONS mid-year estimate, ages 18-64" : "ONS mid-year estimate, ages 65+";
  return d;
}

// Spell discharges: the episode carrying the discharge date (the last of the spell).
std::vector<Expr> DischargedAlive() {
  return {Expr::Present("discharge_date", "the episode that ends the spell"),
          Expr::Not(Expr::In("discharge_method", {"4", "5"}), "discharged alive (DISMETH not 4)")};
}

Expr Ascof2bCohort(const SwitchValues& sw) {
  int n = std::stoi(sw.at("ascof2b.reablement_start_days"));
  auto all = DischargedAlive();
  all.push_back(
      Expr::In("discharge_destination", {"19"}, "to their own home (usual place of residence)"));
  all.push_back(Expr::Exists(
      {Relation::Kind::kStartsWithin, "social_care_events", "event_start_date", "",
       "discharge_date", 0, n},
      Expr::And({Expr::In("event_type", {"service"}), Expr::In("service_type", {"reablement"}),
                 Expr::In("funding", kCouncilSupported)}),
      "council-supported reablement starting on the discharge date or within "
      "ascof2b.reablement_start_days after it"));
  return Expr::And(std::move(all));
}

void Ascof2bCommon(MetricDefinition& d) {
  d.source = "apc_episodes";
  d.period_field = "discharge_date";
  d.months = {10, 11, 12};
  d.period_rule =
      "discharge date inside the period and in October-December (the reporting "
      "year is the financial year holding the October-December discharges)";
  d.age_rule = AgeRule::kAtDateField;
  d.age_date_field = "discharge_date";
  d.age_lo = 65;
}

MetricDefinition Ascof2bCohortDef(const SwitchValues& sw) {
  MetricDefinition d;
  d.id = "ascof_2b_cohort";
  d.title = "Older people (65+) discharged from hospital into reablement (ASCOF 2B cohort)";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 3.1-3.4; SALT STS004";
  d.provenance = "PROP";
  d.provisional = true;
  d.unit = Unit::kCount;
  d.polarity = Polarity::kHigherIsBetter;
  d.switches = {"ascof2b.reablement_start_days", "ascof2b.counting_unit"};
  Ascof2bCommon(d);
  d.numerator = Ascof2bCohort(sw);
  if (sw.at("ascof2b.counting_unit") == "first_per_person") d.measure = Measure::kPersons;
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule = "none (a count; the denominator of ASCOF 2B part 1)";
  return d;
}

constexpr int kAscof2bCheckDay = 91;

// Contrary evidence on day 91 (3.4 step 3): any of these means "not at home".
std::vector<Expr> Ascof2bNoContraryEvidence() {
  const int kCheck = kAscof2bCheckDay;
  return {
      Expr::Not(Expr::PersonDate("death_date", "discharge_date", -kUnbounded, kCheck),
                "not dead by day 91 (PDS)"),
      Expr::Not(Expr::Exists({Relation::Kind::kStartsWithin, "social_care_events", "death_date", "",
                              "discharge_date", -kUnbounded, kCheck},
                             Expr::True()),
                "not dead by day 91 (council record)"),
      Expr::Not(Expr::Exists({Relation::Kind::kStartsWithin, "apc_episodes", "discharge_date", "",
                              "discharge_date", 0, kCheck},
                             Expr::In("discharge_method", {"4"})),
                "not died in hospital by day 91"),
      Expr::Not(Expr::Exists({Relation::Kind::kOpenOn, "apc_episodes", "episode_start_date",
                              "episode_end_date", "discharge_date", kCheck, 0},
                             Expr::True()),
                "not in hospital on day 91"),
      Expr::Not(Expr::Exists({Relation::Kind::kOpenOn, "social_care_events", "event_start_date",
                              "event_end_date", "discharge_date", kCheck, 0},
                             CareHomeLongTerm()),
                "not in a permanent care-home placement on day 91 (respite does not count)"),
  };
}

// Positive evidence of being alive in the community around day 91 (3.4 step 3): a GP event,
// a community health contact or any social care event within 14 days either side of day 91,
// or a social care service still open on day 91.
Expr Ascof2bPositiveEvidence() {
  const int lo = kAscof2bCheckDay - 14, hi = kAscof2bCheckDay + 14;
  return Expr::Or(
      {Expr::Exists(
           {Relation::Kind::kStartsWithin, "gp_events", "event_date", "", "discharge_date", lo, hi},
           Expr::True(), "a GP coded event within 14 days of day 91"),
       Expr::Exists({Relation::Kind::kStartsWithin, "community_contacts", "contact_date", "",
                     "discharge_date", lo, hi},
                    Expr::In("attended", {"5", "6"}),
                    "an attended community health contact within 14 days of day 91"),
       Expr::Exists({Relation::Kind::kStartsWithin, "social_care_events", "event_start_date", "",
                     "discharge_date", lo, hi},
                    Expr::True(), "a social care event starting within 14 days of day 91"),
       Expr::Exists({Relation::Kind::kOpenOn, "social_care_events", "event_start_date",
                     "event_end_date", "discharge_date", kAscof2bCheckDay, 0},
                    Expr::In("event_type", {"service"}), "a social care service open on day 91")},
      "positive evidence of being at home");
}

// The cohort's conditions plus "no contrary evidence on day 91": part 1's numerator under
// ascof2b.no_evidence = at_home, and the base of the status-unknown count.
std::vector<Expr> Ascof2bCohortWithoutContraryEvidence(const SwitchValues& sw) {
  std::vector<Expr> all = {Ascof2bCohort(sw)};
  for (auto& e : Ascof2bNoContraryEvidence()) all.push_back(std::move(e));
  return all;
}

MetricDefinition Ascof2bPart1(const SwitchValues& sw) {
  MetricDefinition d = Ascof2bCohortDef(sw);
  d.id = "ascof_2b_part1";
  d.title = "Older people (65+) still at home 91 days after discharge into reablement";
  d.citation = "bcf-metrics.md 3.1-3.4; ASCOF 2B part 1 (SALT STS004, NHSOF 3.6.i)";
  d.provenance = "AUTH";  // rule AUTH; person-level derivation PROP
  d.unit = Unit::kPercent;
  d.switches.push_back("ascof2b.no_evidence");
  std::vector<Expr> all = Ascof2bCohortWithoutContraryEvidence(sw);
  const bool need_evidence = sw.at("ascof2b.no_evidence") == "not_at_home";
  if (need_evidence) all.push_back(Ascof2bPositiveEvidence());
  d.numerator = Expr::And(std::move(all));
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "ascof_2b_cohort";
  d.denominator_rule =
      need_evidence ? "ascof_2b_cohort (discharges into reablement in the same cell); people "
                      "with no positive evidence of being at home on day 91 count as not at "
                      "home (ascof2b.no_evidence = not_at_home)"
                    : "ascof_2b_cohort (discharges into reablement in the same cell); people "
                      "with no contrary evidence on day 91 count as at home "
                      "(ascof2b.no_evidence = at_home)";
  return d;
}

MetricDefinition Ascof2bStatusUnknown(const SwitchValues& sw) {
  MetricDefinition d = Ascof2bCohortDef(sw);
  d.id = "ascof_2b_status_unknown";
  d.title = "ASCOF 2B cohort whose status on day 91 is unknown (data quality)";
  d.citation = "bcf-metrics.md 3.4 step 3 (report the unknown count separately)";
  d.provenance = "PROP";
  d.unit = Unit::kPercent;
  d.polarity = Polarity::kLowerIsBetter;
  std::vector<Expr> all = Ascof2bCohortWithoutContraryEvidence(sw);
  all.push_back(Expr::Not(Ascof2bPositiveEvidence(),
                          "no positive evidence either: status cannot be established"));
  d.numerator = Expr::And(std::move(all));
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "ascof_2b_cohort";
  d.denominator_rule =
      "ascof_2b_cohort; numerator = cohort members with neither contrary nor "
      "positive evidence on day 91 (counted at home or not by "
      "ascof2b.no_evidence)";
  return d;
}

MetricDefinition Ascof2bDischarges() {
  MetricDefinition d;
  d.id = "ascof_2b_discharges_65plus";
  d.title = "Older people (65+) discharged alive from hospital, October-December";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 3.5; ASCOF 2B part 2 denominator (HES)";
  d.provenance = "AUTH";
  d.unit = Unit::kCount;
  d.polarity = Polarity::kHigherIsBetter;
  Ascof2bCommon(d);
  d.numerator = Expr::And(DischargedAlive(), "all specialties, zero-length stays included");
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule = "none (a count; the denominator of ASCOF 2B part 2)";
  return d;
}

MetricDefinition Ascof2bPart2(const SwitchValues& sw) {
  MetricDefinition d = Ascof2bDischarges();
  d.id = "ascof_2b_part2";
  d.title = "Proportion of older people (65+) offered reablement on discharge (coverage)";
  d.citation = "bcf-metrics.md 3.5; ASCOF 2B part 2";
  d.provenance = "AUTH";
  d.provisional = true;
  d.unit = Unit::kPercent;
  d.switches = {"ascof2b.reablement_start_days"};
  d.numerator = Ascof2bCohort(sw);
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "ascof_2b_discharges_65plus";
  d.denominator_rule = "ascof_2b_discharges_65plus (all 65+ discharged alive, Oct-Dec)";
  return d;
}

MetricDefinition Dtoc(const std::string& agency) {
  MetricDefinition d;
  d.id = agency.empty() ? "dtoc_delayed_days" : "dtoc_delayed_days_" + agency;
  for (auto& ch : d.id) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  d.title = "Delayed transfers of care: delayed days per 100,000 adults (18+), average per month" +
            (agency.empty() ? std::string() : ", responsible " + agency);
  d.version = "1.0";
  d.citation = "bcf-metrics.md 4.1, 4.3, 4.5; DToC monthly SitRep (metric CORR, arithmetic PROP)";
  d.provenance = "PROP";
  d.provisional = true;
  std::vector<Expr> all = {
      Expr::Present("discharge_ready_date", "ready for transfer"),
      Expr::Present("delay_agency",
                    "a reportable delay: the responsible organisation is recorded (SitRep); a "
                    "ready date alone is not a delayed transfer"),
      Expr::IntRange("age_on_admission", 18, 200, "adults (18+)"),
  };
  if (!agency.empty()) {
    all.push_back(Expr::In("delay_agency", {agency}, "agency responsible for the delay"));
  }
  d.numerator = Expr::And(std::move(all));
  d.period_field = "discharge_ready_date";
  d.period_end_field = "discharge_date";
  d.period_mode = PeriodMode::kOverlapsPeriod;
  d.measure = Measure::kDaysInPeriod;
  d.period_rule =
      "each calendar day d with ready date <= d < discharge date inside the period "
      "(a delay still open at the end of the data counts to the period end)";
  d.per_month = true;
  d.denominator_age_lo = 18;
  d.denominator_rule =
      "ONS mid-year estimate, ages 18+; rate = (delayed days / months in the "
      "period) per 100,000";
  return d;
}

MetricDefinition HospitalDischarges() {
  MetricDefinition d;
  d.id = "hospital_discharges";
  d.title = "Hospital discharges (spells ended alive)";
  d.version = "1.0";
  d.citation = "bcf-metrics.md 4.6 (supporting count)";
  d.provenance = "PROP";
  d.provisional = true;
  d.unit = Unit::kCount;
  d.numerator = Expr::And(DischargedAlive());
  d.period_field = "discharge_date";
  d.period_rule = "discharge date inside the period";
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule = "none (a count)";
  return d;
}

MetricDefinition Stranded() {
  MetricDefinition d = HospitalDischarges();
  d.id = "stranded_patients";
  d.title = "Stranded patients: discharges after a length of stay of 15 days or more";
  d.citation = "Leeds BCF plan (Year of Care); bcf-metrics.md 4.6 context";
  d.unit = Unit::kPercent;
  auto all = DischargedAlive();
  all.push_back(Expr::DaysBetween("admission_date", "discharge_date", 15, kUnbounded,
                                  "length of stay (discharge - admission) >= 15 days"));
  d.numerator = Expr::And(std::move(all));
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "hospital_discharges";
  d.denominator_rule = "hospital_discharges (all spells ended alive in the period)";
  return d;
}

Expr DischargesWithReadyDate() {
  auto all = DischargedAlive();
  all.push_back(Expr::Present("discharge_ready_date", "discharge-ready date recorded"));
  all.push_back(Expr::IntRange("age_on_admission", 18, 200, "adults (18+)"));
  return Expr::And(std::move(all));
}

MetricDefinition ReadyDischarges() {
  MetricDefinition d = HospitalDischarges();
  d.id = "discharges_with_ready_date";
  d.title = "Adult discharges with a discharge-ready date";
  d.numerator = DischargesWithReadyDate();
  return d;
}

MetricDefinition ReadyToDischargeDays() {
  MetricDefinition d = ReadyDischarges();
  d.id = "ready_to_discharge_days";
  d.title = "Mean days between discharge-ready date and discharge";
  d.citation = "bcf-metrics.md 4.6 (DRD delay = discharge - DRD, 0 on the DRD)";
  d.unit = Unit::kDays;
  d.measure = Measure::kDaysBetween;
  d.value_from_field = "discharge_ready_date";
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "discharges_with_ready_date";
  d.denominator_rule =
      "discharges_with_ready_date; numerator = total days from ready date to "
      "discharge";
  return d;
}

MetricDefinition DischargedAfterReady() {
  MetricDefinition d = ReadyDischarges();
  d.id = "discharged_after_ready_pct";
  d.title = "Adults who stayed in hospital beyond their discharge-ready date";
  d.citation = "bcf-metrics.md 4.6 (a); Leeds BCF plan (Year of Care audit: over a third)";
  d.unit = Unit::kPercent;
  d.numerator = Expr::And({DischargesWithReadyDate(),
                           Expr::DaysBetween("discharge_ready_date", "discharge_date", 1,
                                             kUnbounded, "discharged after the ready date")});
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "discharges_with_ready_date";
  d.denominator_rule = "discharges_with_ready_date";
  return d;
}

MetricDefinition Dementia(const SwitchValues& sw) {
  MetricDefinition d;
  d.id = "dementia_diagnosis_rate";
  d.title = "Dementia diagnosis rate, aged 65+ (recorded / expected prevalence)";
  d.version = "1.0";
  d.citation =
      "bcf-metrics.md 7.1-7.3; NHS Digital National Indicator Library 'Dementia: 65+ "
      "estimated diagnosis rate'";
  d.provenance = "AUTH";
  d.provisional = true;  // person-level register derivation PROP; rate table to verify
  d.source = "gp_events";
  d.unit = Unit::kPercent;
  d.polarity = Polarity::kHigherIsBetter;
  d.switches = {"dementia.prevalence_rates", "dementia.population_basis"};
  d.registered_denominator = sw.at("dementia.population_basis") == "registered";
  d.numerator = Expr::And({
      Expr::In("snomed_concept_id", {"52448006"}, "dementia diagnosis on the GP record"),
      Expr::Not(Expr::PersonDate("death_date", kPeriodEnd, -kUnbounded, 0),
                "alive on the last day of the period"),
      Expr::Exists({Relation::Kind::kOpenOn, "gp_registrations", "registration_start_date",
                    "registration_end_date", kPeriodEnd, 0, 0},
                   Expr::True(), "registered with a practice on the last day of the period"),
  });
  d.period_field = "event_date";
  d.period_mode = PeriodMode::kAsAtPeriodEnd;
  d.measure = Measure::kPersons;
  d.period_rule = "register as at the last day of the period: diagnosis recorded on or before it";
  d.age_rule = AgeRule::kAtPeriodEnd;
  d.age_lo = 65;
  d.sex_field = kPersonField;
  d.lsoa_field = kPersonField;
  // The practice's register on the day: where the person is registered then, not the
  // practice that recorded the diagnosis (people move; the denominator is the list).
  d.practice_field = kPracticeAtEvent;
  d.denominator_kind = DenominatorKind::kExpectedPrevalence;
  d.prevalence_table = sw.at("dementia.prevalence_rates");
  d.denominator_age_lo = 65;
  d.denominator_rule = d.registered_denominator
                           ? "expected prevalence: reference rate (dementia.prevalence_rates) x "
                             "GP-registered population 65+ on 1 April of the financial year by "
                             "5-year band and sex, summed (dementia.population_basis)"
                           : "expected prevalence: reference rate (dementia.prevalence_rates) x "
                             "ONS population 65+ by 5-year band and sex, summed "
                             "(dementia.population_basis = residence)";
  return d;
}

MetricDefinition LeedsBedDays() {
  MetricDefinition d;
  d.id = "leeds_care_home_bed_days";
  d.title = "Leeds local: total bed days in residential and nursing care (council-supported)";
  d.version = "1.0";
  d.citation = "Leeds BCF plan (admissions x length of stay); definition PROP";
  d.provenance = "PROP";
  d.provisional = true;
  d.source = "social_care_events";
  d.unit = Unit::kCount;
  d.numerator = Expr::And({CareHomeLongTerm("long-term residential or nursing placement"),
                           Expr::In("funding", kCouncilSupported, "council-supported")});
  d.period_field = "event_start_date";
  d.period_end_field = "event_end_date";
  d.period_mode = PeriodMode::kOverlapsPeriod;
  d.measure = Measure::kDaysInPeriod;
  d.period_rule =
      "each night from placement start to end (still-open placements to the "
      "period end) inside the period";
  d.age_rule = AgeRule::kAtDateField;
  d.age_date_field = "event_start_date";
  d.practice_field = kPracticeAtEvent;
  d.lsoa_field = kPersonField;
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule = "none (total bed days)";
  return d;
}

Expr CommunitySupport() {
  return Expr::And(
      {Expr::In("event_type", {"service"}), Expr::In("service_type", kCommunityServices),
       Expr::In("service_term", {"long_term"}), Expr::In("funding", kCouncilSupported)},
      "council-supported long-term community service (home care, direct payment, "
      "day care)");
}

MetricDefinition TriboroughSupported() {
  MetricDefinition d;
  d.id = "triborough_supported_75plus";
  d.title = "People aged 75+ supported in the community by social care";
  d.version = "1.0";
  d.citation = "Tri-borough BCF plan; definition PROP";
  d.provenance = "PROP";
  d.provisional = true;
  d.source = "social_care_events";
  d.unit = Unit::kCount;
  d.numerator = CommunitySupport();
  d.period_field = "event_start_date";
  d.period_end_field = "event_end_date";
  d.period_mode = PeriodMode::kOverlapsPeriod;
  d.measure = Measure::kPersons;
  d.period_rule = "service open at any time in the period (distinct people)";
  d.age_rule = AgeRule::kAtPeriodEnd;
  d.age_lo = 75;
  d.practice_field = kPracticeAtEvent;
  d.lsoa_field = kPersonField;
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule = "none (a count of people)";
  return d;
}

// Tri-borough local metric option 2 (Appendix A): "Number of persons aged 65 and over
// supported with long term social care" -- any council-supported long-term service, in a care
// home or in the community.
MetricDefinition TriboroughLongTermSupport() {
  MetricDefinition d = TriboroughSupported();
  d.id = "triborough_long_term_support_65plus";
  d.title = "People aged 65+ supported with long-term social care";
  d.citation =
      "Tri-borough BCF Part 1, Appendix A option 2; SALT LTS001 (people receiving "
      "long-term support during the year); definition PROP";
  d.numerator =
      Expr::And({Expr::In("event_type", {"service"}),
                 Expr::In("service_type",
                          {"residential", "nursing", "home_care", "direct_payment", "day_care"}),
                 Expr::In("service_term", {"long_term"}), Expr::In("funding", kCouncilSupported)},
                "council-supported long-term service in a care home or the community");
  d.period_rule = "service open at any time in the period (distinct people)";
  d.age_lo = 65;
  d.denominator_rule = "none (a count of people)";
  return d;
}

MetricDefinition TriboroughAvoidable(std::vector<Expr> avoidable_components) {
  MetricDefinition d;
  d.id = "triborough_avoidable_75plus";
  d.title =
      "Tri-borough local: avoidable emergency admissions per 1,000 people aged 75+ "
      "supported in the community by social care";
  d.version = "1.0";
  d.citation =
      "Tri-borough BCF plan; avoidable admissions as bcf-metrics.md 5.1 "
      "(each admission once); joined to social care on the NHS Number";
  d.provenance = "PROP";
  d.provisional = true;
  d.unit = Unit::kPer1000;
  d.numerator = Expr::And({
      Expr::Or(std::move(avoidable_components), "any avoidable-admission component"),
      Expr::IntRange("age_on_admission", 75, 120, "aged 75+ at admission"),
      Expr::Exists({Relation::Kind::kOpenOn, "social_care_events", "event_start_date",
                    "event_end_date", "admission_date", 0, 0},
                   CommunitySupport(), "supported in the community on the admission date"),
  });
  d.period_field = "admission_date";
  d.period_rule = "admission date inside the period";
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "triborough_supported_75plus";
  d.denominator_rule =
      "triborough_supported_75plus (people 75+ supported in the community "
      "during the period)";
  return d;
}

// Seven-day services: per provider, or (all_providers) one profile for every provider together,
// the dashboard's weekday chart.
MetricDefinition SevenDay(bool to_social_care, bool all_providers = false) {
  MetricDefinition d;
  d.id = to_social_care ? "seven_day_transfers_to_social_care" : "seven_day_discharges";
  d.title = to_social_care
                ? "Seven-day services: transfers of care to social care by day of week, per "
                  "provider"
                : "Seven-day services: discharges by day of week, per provider";
  d.version = "1.0";
  d.citation = "Leeds BCF plan (seven-day audit chart); bcf-metrics.md 9.5 national condition 3";
  d.provenance = "PROP";
  d.provisional = true;
  d.unit = Unit::kCount;
  auto all = DischargedAlive();
  if (to_social_care) {
    all.push_back(Expr::Or(
        {Expr::In("discharge_destination", {"54", "65", "85"}, "discharged to a care home"),
         Expr::Exists({Relation::Kind::kStartsWithin, "social_care_events", "event_start_date", "",
                       "discharge_date", 0, 7},
                      Expr::And({Expr::In("event_type", {"service"}),
                                 Expr::In("route_of_access", {"discharge_from_hospital"})}),
                      "a social care service via discharge from hospital starting within 7 "
                      "days")},
        "transfer of care to social care"));
  }
  d.numerator = Expr::And(std::move(all));
  d.period_field = "discharge_date";
  d.period_rule = "discharge date inside the period; grouped by provider and day of the week";
  d.profile = Profile::kProviderWeekday;
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule =
      "none (counts by day of week; the `|cv` row gives the coefficient of "
      "variation across the seven days, %)";
  if (all_providers) {
    d.id += "_all_providers";
    d.title = to_social_care
                  ? "Seven-day services: transfers of care to social care by day of week, all "
                    "providers"
                  : "Seven-day services: discharges by day of week, all providers";
    d.provider_field.clear();
    d.period_rule =
        "discharge date inside the period; grouped by day of the week (`all|Mon`.. `all|Sun`), "
        "every provider together";
  }
  return d;
}

// --- Reablement activity (the plan report's community-demand scenario) ---------------------
// Council reablement services as the social care extract records them, whoever funds them.

Expr ReablementService(std::string note) {
  return Expr::And({Expr::In("event_type", {"service"}), Expr::In("service_type", {"reablement"})},
                   std::move(note));
}

MetricDefinition ReablementStarts() {
  MetricDefinition d;
  d.id = "reablement_starts";
  d.title = "Reablement services started";
  d.version = "1.0";
  d.citation =
      "Leicestershire BCF plan, risk-share scenario (d): more demand on reablement than "
      "planned; definition PROP";
  d.provenance = "PROP";
  d.provisional = true;
  d.source = "social_care_events";
  d.unit = Unit::kCount;
  d.polarity = Polarity::kHigherIsBetter;
  d.numerator = ReablementService("a reablement service (any funding)");
  d.period_field = "event_start_date";
  d.period_rule = "service start date inside the period";
  d.age_rule = AgeRule::kAtDateField;
  d.age_date_field = "event_start_date";
  d.practice_field = kPracticeAtEvent;
  d.lsoa_field = kPersonField;
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule = "none (a count of services)";
  return d;
}

MetricDefinition ReablementEnded() {
  MetricDefinition d = ReablementStarts();
  d.id = "reablement_ended";
  d.title = "Reablement services ended";
  d.numerator = Expr::And({ReablementService("a reablement service (any funding)"),
                           Expr::Present("event_end_date", "with an end date")});
  d.period_field = "event_end_date";
  d.period_rule = "service end date inside the period";
  return d;
}

MetricDefinition ReablementMeanDays() {
  MetricDefinition d = ReablementEnded();
  d.id = "reablement_mean_days";
  d.title = "Mean length of a reablement service, in days";
  d.unit = Unit::kDays;
  d.polarity = Polarity::kLowerIsBetter;
  d.measure = Measure::kDaysBetween;
  d.value_from_field = "event_start_date";
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "reablement_ended";
  d.denominator_rule =
      "reablement_ended; numerator = total days from service start to end (an end before the "
      "start counts 0)";
  return d;
}

// --- National condition: risk stratification and joint care planning ----------------------
// Read from the risk strata saved at an index date (risk_strata, docs/risk.md "Saved strata")
// and the joint care plan register (care_plans, docs/care-plans.md). Every definition counts
// distinct people whose stratum's index date lies in the period: save one set of strata per
// period (a quarter-end, say); a person stratified twice in one period counts once, by their
// first stratum.

struct Approach {
  const char* id;     // as risk::ApproachName
  const char* label;  // who uses it
  Expr high_risk;
};

std::vector<Approach> HighRiskApproaches() {
  return {
      {"top2_practice", "the top 2% of each practice's list by predicted risk (Leeds)",
       Expr::IntRange("top2_practice", 1, 1, "in the practice's top 2% by predicted risk")},
      {"top4_practice", "the top 4% of each practice's list by predicted risk (Tri-borough)",
       Expr::IntRange("top4_practice", 1, 1, "in the practice's top 4% by predicted risk")},
      {"loa_4_5", "Likelihood of Admission band 4 or 5 (West Leicestershire)",
       Expr::IntRange("loa_band", 4, 5, "Likelihood of Admission band 4-5 (40%+)")},
  };
}

MetricDefinition AdultsStratified() {
  MetricDefinition d;
  d.id = "nc_adults_stratified";
  d.title = "Adults (18+) risk-stratified: registered, alive and scored on the index date";
  d.version = "1.0";
  d.citation =
      "BCF national condition (d) (joint assessment and accountable lead "
      "professional); definition PROP";
  d.provenance = "PROP";
  d.provisional = true;
  d.source = "risk_strata";
  d.unit = Unit::kCount;
  d.polarity = Polarity::kHigherIsBetter;
  d.numerator = Expr::True();
  d.period_field = "index_date";
  d.period_rule = "the stratum's index date inside the period (distinct people)";
  d.measure = Measure::kPersons;
  d.age_rule = AgeRule::kField;
  d.age_field = "age";
  d.age_lo = 18;
  d.sex_field = kPersonField;
  d.practice_field = "practice";
  d.lsoa_field = kPersonField;
  d.denominator_kind = DenominatorKind::kNone;
  d.denominator_rule = "none (a count of people; the denominator of the high-risk shares)";
  return d;
}

MetricDefinition HighRisk(const Approach& a) {
  MetricDefinition d = AdultsStratified();
  d.id = std::string("nc_high_risk_") + a.id;
  d.title = std::string("Adults at high risk of emergency admission: ") + a.label;
  d.unit = Unit::kPercent;
  d.polarity = Polarity::kLowerIsBetter;
  d.numerator = a.high_risk;
  d.denominator_kind = DenominatorKind::kMetric;
  d.denominator_metric = "nc_adults_stratified";
  d.denominator_rule = "nc_adults_stratified (adults stratified on the index date)";
  return d;
}

// A care plan in force on the index date (careplan::CarePlan::InForceOn).
Expr PlanInForce() {
  return Expr::In("status", {"active", "on-hold", "completed", "revoked"},
                  "in force: not a draft or entered in error (a completed or revoked plan "
                  "counts before its end date)");
}

Relation OpenOnIndexDate() {
  return {Relation::Kind::kOpenOn, "care_plans", "start_date", "end_date", "index_date", 0, 0};
}

MetricDefinition WithPlan(const Approach& a) {
  MetricDefinition d = HighRisk(a);
  d.id = std::string("nc_with_plan_") + a.id;
  d.title = std::string("High-risk adults with a care plan in force: ") + a.label;
  d.polarity = Polarity::kHigherIsBetter;
  d.numerator = Expr::And(
      {a.high_risk, Expr::Exists(OpenOnIndexDate(), PlanInForce(),
                                 "a care plan in force on the index date (start <= day < end)")});
  d.denominator_metric = std::string("nc_high_risk_") + a.id;
  d.denominator_rule = d.denominator_metric + " (the high-risk adults by this approach)";
  return d;
}

// The national condition's figure: a joint care plan in force on the index date that names
// an accountable GP and a care coordinator (careplan::CarePlan: InForceOn, IsJoint,
// HasNamedLeadProfessional).
Expr JointPlanWithLead() {
  return Expr::Exists(
      OpenOnIndexDate(),
      Expr::And({PlanInForce(), Expr::Present("accountable_gp", "names an accountable GP"),
                 Expr::Present("care_coordinator", "names a care coordinator"),
                 Expr::Contains("organisations", {";"},
                                "joint: two or more organisations (codes joined with ';')")}),
      "a joint care plan in force on the index date (start <= day < end) naming a lead "
      "professional");
}

MetricDefinition JointPlan(const Approach& a) {
  MetricDefinition d = HighRisk(a);
  d.id = std::string("nc_joint_plan_") + a.id;
  d.title = std::string("High-risk adults with a joint care plan and a named lead professional: ") +
            a.label;
  d.polarity = Polarity::kHigherIsBetter;
  d.numerator = Expr::And({a.high_risk, JointPlanWithLead()});
  d.denominator_metric = std::string("nc_high_risk_") + a.id;
  d.denominator_rule = d.denominator_metric + " (the high-risk adults by this approach)";
  return d;
}

}  // namespace

std::vector<MetricDefinition> BuildCatalogue(const SwitchValues& sw_in) {
  SwitchValues sw = sw_in;
  for (const auto& s : AllSwitches()) sw.try_emplace(s.name, s.default_value);
  std::vector<MetricDefinition> c = {
      TotalNel(sw),
      Composite(sw),
      Nhsof23i(),
      Nhsof23ii(),
      Nhsof3a(),
      Nhsof32(sw),
      Falls(sw, "falls_65plus", "Emergency admissions for injuries due to falls, aged 65+", 65,
            200),
      Falls(sw, "falls_65_79", "Emergency admissions for injuries due to falls, aged 65-79", 65,
            79),
      Falls(sw, "falls_80plus", "Emergency admissions for injuries due to falls, aged 80+", 80,
            200),
  };
  MetricDefinition leicestershire = Falls(
      sw, "leicestershire_falls_65plus",
      "Leicestershire local: emergency admissions for injuries due to falls, aged 65+", 65, 200);
  leicestershire.citation = "West Leicestershire BCF plan; alias of falls_65plus";
  leicestershire.components = {"falls_65plus"};
  c.push_back(std::move(leicestershire));
  c.push_back(Ascof2a(sw, 1));
  c.push_back(Ascof2a(sw, 2));
  c.push_back(Ascof2bCohortDef(sw));
  c.push_back(Ascof2bPart1(sw));
  c.push_back(Ascof2bStatusUnknown(sw));
  c.push_back(Ascof2bDischarges());
  c.push_back(Ascof2bPart2(sw));
  c.push_back(Dtoc(""));
  c.push_back(Dtoc("NHS"));
  c.push_back(Dtoc("SOCIAL_CARE"));
  c.push_back(Dtoc("BOTH"));
  c.push_back(HospitalDischarges());
  c.push_back(Stranded());
  c.push_back(ReadyDischarges());
  c.push_back(ReadyToDischargeDays());
  c.push_back(DischargedAfterReady());
  c.push_back(Dementia(sw));
  c.push_back(LeedsBedDays());
  c.push_back(TriboroughSupported());
  c.push_back(TriboroughLongTermSupport());
  c.push_back(TriboroughAvoidable(
      {Nhsof23ii().numerator, Nhsof23i().numerator, Nhsof32(sw).numerator, Nhsof3a().numerator}));
  c.push_back(SevenDay(false));
  c.push_back(SevenDay(true));
  c.push_back(SevenDay(false, /*all_providers=*/true));
  c.push_back(ReablementStarts());
  c.push_back(ReablementEnded());
  c.push_back(ReablementMeanDays());
  c.push_back(AdultsStratified());
  for (const Approach& a : HighRiskApproaches()) c.push_back(HighRisk(a));
  for (const Approach& a : HighRiskApproaches()) c.push_back(WithPlan(a));
  for (const Approach& a : HighRiskApproaches()) c.push_back(JointPlan(a));
  for (auto& d : c) {
    d.breakdowns =
        d.profile == Profile::kNone ? AllBreakdowns() : std::vector<Breakdown>{Breakdown::kNone};
    if (d.denominator_kind == DenominatorKind::kPopulation ||
        d.denominator_kind == DenominatorKind::kExpectedPrevalence) {
      d.switches.push_back("population.basis");
      d.switches.push_back("population.mye_year");
    }
    d.switches.push_back("disclosure.apply");
  }
  const bool count_unplaced = sw.at("records.without_nhs_number") == "count";
  const bool exclude_objections = sw.at("objections.secondary_use") == "exclude";
  for (auto& d : c) {
    d.exclude_objections = exclude_objections;
    d.switches.push_back("objections.secondary_use");
    if (ReadsOnlyTheRecord(d, EffectivePredicate(c, d))) {
      d.count_unplaced = count_unplaced;
      d.switches.push_back("records.without_nhs_number");
    }
  }
  return c;
}

}  // namespace pioneer::metrics

namespace pioneer::metrics {

const std::vector<RateTable>& ReferenceRates() {
  // Per 100 people, by sex (1 male, 2 female) and band 65-69, 70-74, 75-79, 80-84, 85-89, 90+.
  static const std::vector<RateTable> kTables = {
      {"cfas2",
       "CFAS II age/sex-specific dementia prevalence, 65+ (Matthews et al., Lancet 2013), as "
       "applied by NHS England's 65+ estimated diagnosis rate",
       "PROP: values recalled, not read from the indicator specification; verify (backlog 7)",
       {{0, 0, 0, 0, 0, 0}, {1.2, 3.0, 5.2, 10.6, 16.8, 19.0}, {1.8, 2.5, 6.2, 9.5, 18.1, 35.0}}},
      {"dementia_uk_2007",
       "Dementia UK (2007) age/sex-specific prevalence, 65+ part (the 2014/15 Dementia "
       "Prevalence Calculator; 90+ = the 90-94 rate)",
       "PROP: values recalled, not read from the report; verify (backlog 7)",
       {{0, 0, 0, 0, 0, 0}, {1.5, 3.1, 5.1, 10.2, 16.7, 27.5}, {1.0, 2.4, 6.5, 13.3, 22.2, 29.6}}},
  };
  return kTables;
}

const RateTable* FindRateTable(std::string_view name) {
  for (const auto& t : ReferenceRates()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace pioneer::metrics
