// The metric catalogue: every BCF metric implemented so far, declared once as data.
// Rules follow ../shared/specs/bcf-metrics.md; section numbers are cited per definition.
#include <string>
#include <vector>

#include "pioneer/metrics/definition.h"

namespace pioneer::metrics {
namespace {

const std::vector<std::string> kDiagFields = {"diag_01", "diag_02", "diag_03",
                                              "diag_04", "diag_05", "diag_06"};
const std::vector<std::string> kSecondaryDiagFields = {"diag_02", "diag_03", "diag_04",
                                                       "diag_05", "diag_06"};
const std::vector<std::string> kProcFields = {"opertn_01", "opertn_02", "opertn_03"};
const std::vector<std::string> kEmergencyMethods = {"21", "22", "23", "24", "25",
                                                    "28", "2A", "2B", "2C", "2D"};

Expr Primary3(std::vector<std::string> cats) { return Expr::Prefix({"diag_01"}, std::move(cats)); }
Expr Primary4(std::vector<std::string> codes) { return Expr::In("diag_01", std::move(codes)); }

// STARTAGE valid: 0-120 or 7001-7007 (infants), 1.4.
Expr ValidStartAge() {
  return Expr::Or({Expr::IntRange("age_on_admission", 0, 120),
                   Expr::IntRange("age_on_admission", 7001, 7007)},
                  "STARTAGE 0-120 or 7001-7007");
}

// Record filters of the NHS unplanned-admission indicators (1.6, 5.2) [AUTH].
std::vector<Expr> UnplannedAdmissionFilters() {
  return {
      Expr::IntRange("episode_number", 1, 1, "EPIORDER = 1: first episode of the spell"),
      Expr::In("episode_status", {"1", "3"}, "EPISTAT finished or unfinished"),
      Expr::In("admission_method", kEmergencyMethods, "emergency admission method (1.5)"),
      Expr::Not(Expr::In("admission_source", {"51", "52", "53"}),
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
  return Expr::Prefix(kProcFields, {"K0", "K1", "K2", "K3", "K4", "K50", "K52", "K55", "K56",
                                    "K57", "K60", "K61", "K66", "K67", "K68", "K69", "K71"},
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
                                            {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J",
                                             "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T",
                                             "V", "W", "X0", "X1", "X2", "X4", "X5"}),
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
  filters.insert(filters.begin(),
                 Expr::Or({Expr::IntRange("age_on_admission", 0, 18),
                           Expr::IntRange("age_on_admission", 7001, 7007)},
                          "aged 0-18 at admission (infant codes 7001-7007 = 0)"));
  d.numerator = WithFilters(
      std::move(filters),
      Expr::Or({Primary3({"J45", "E10", "E11", "E12", "E13", "E14", "G40", "G41"}),
                Primary4({"J46X"})},
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
  std::vector<std::string> four = {
      // influenza & pneumonia (4-char)
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
      Expr::Or({Primary3({"J10", "J11", "J13", "J14", "A35", "A36", "A37", "A80", "B05", "B06",
                          "B26", "H66", "H67", "J02", "J03", "J06", "N11", "L03", "L04", "K02",
                          "K03", "K04", "K05", "K06", "K08", "K12", "K13", "R56", "O15", "N70",
                          "N73", "N74"}),
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
  filters.insert(filters.begin(),
                 Expr::Or({Expr::IntRange("age_on_admission", 0, 18),
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
                   {"S", "T0", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T90", "T91",
                    "T92", "T93", "T94", "T95", "T96", "T97", "T98"},
                   "primary diagnosis injury S00-T98"),
      Expr::Prefix(cause_fields, {"W0", "W1"}, "external cause of fall W00-W19"),
  };
  if (sw.at("falls.exclude_transfers") == "true") {
    all.push_back(Expr::Not(Expr::In("admission_method", {"2B"}), "not an emergency transfer"));
    all.push_back(Expr::Not(Expr::In("admission_source", {"51", "52", "53"}),
                            "not transferred from another NHS provider"));
  }
  d.numerator = Expr::And(std::move(all));
  d.period_field = "episode_end_date";
  d.period_rule = "episode end date (EPIEND) inside the period (PHOF: financial year the "
                  "episode ended); unfinished episodes have no end and are not yet counted";
  d.denominator_age_lo = age_lo;
  d.denominator_age_hi = age_hi;
  d.denominator_rule = age_hi >= 200
                           ? "ONS mid-year estimate, ages " + std::to_string(age_lo) + "+"
                           : "ONS mid-year estimate, ages " + std::to_string(age_lo) + "-" +
                                 std::to_string(age_hi);
  d.standardisation = Standardisation::kEsp2013Age;
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
  for (auto& d : c) {
    d.breakdowns = {Breakdown::kNone,     Breakdown::kSex, Breakdown::kAgeBand,
                    Breakdown::kPractice, Breakdown::kCcg, Breakdown::kDeprivation};
    d.switches.push_back("population.mye_year");
    d.switches.push_back("disclosure.apply");
  }
  return c;
}

}  // namespace pioneer::metrics
