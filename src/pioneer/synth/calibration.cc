#include "pioneer/synth/calibration.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <map>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "pioneer/model/clinical_codes.h"
#include "pioneer/model/code_sets.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/synth/csv_reader.h"

namespace pioneer::synth {
namespace {

using Day = int32_t;
constexpr Day kNone = std::numeric_limits<Day>::min();
constexpr Day kForever = std::numeric_limits<Day>::max();

Day ParseDay(const std::string& s) {
  if (s.empty()) return kNone;
  const auto d = Date::ParseIso(s);
  return d ? d->days_since_epoch() : kNone;
}

int FyOf(Day d) {
  const Date date = Date::FromDaysSinceEpoch(d);
  return date.month() >= 4 ? date.year() : date.year() - 1;
}

int ParseInt(const std::string& s, int fallback = -1) {
  if (s.empty()) return fallback;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return fallback;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string Norm(const std::string& code) {
  if (code.empty()) return {};
  auto n = model::NormaliseIcd10(code);
  return n ? *n : std::string();
}

bool In3(const std::string& code, std::initializer_list<const char*> list) {
  if (code.size() < 3) return false;
  for (const char* c : list) {
    if (code.compare(0, 3, c) == 0) return true;
  }
  return false;
}

bool In4(const std::string& code, std::initializer_list<const char*> list) {
  for (const char* c : list) {
    if (code == c) return true;
  }
  return false;
}

bool AnyProcedureStarts(const std::vector<std::string>& procedures,
                        std::initializer_list<const char*> prefixes) {
  for (const std::string& p : procedures) {
    if (p.empty()) continue;
    for (const char* prefix : prefixes) {
      if (p.rfind(prefix, 0) == 0) return true;
    }
  }
  return false;
}

bool KProcedureExclusion(const std::vector<std::string>& procedures) {
  return AnyProcedureStarts(
      procedures, {"K0", "K1", "K2", "K3", "K4", "K50", "K52", "K55", "K56", "K57", "K60", "K61",
                   "K66", "K67", "K68", "K69", "K71", "K73", "K74"});
}

// Age in years from STARTAGE (7001-7007 = under one year).
int YearsFromStartAge(int code) { return code >= 7001 && code <= 7007 ? 0 : code; }

struct Interval {
  Day from;
  Day to;  // exclusive; kForever when open
};

struct ClientInfo {
  std::map<std::string, int> nhs_votes;
  Day birth = kNone;
  Day death = kNone;
  Day first_permanent = kForever;
  bool first_is_council = false;
  std::vector<Interval> placements;
  std::vector<Day> reablement_starts;
};

constexpr const char* kDefs[5][4] = {
    {"permanent_admissions_65", "Permanent admissions 65+ to care homes",
     "per 100,000 65+ per year", "762.73"},
    {"reablement_at_home_91", "65+ at home 91 days after discharge into reablement", "%", "78.22"},
    {"delayed_days_18", "Delayed transfer of care days", "per 100,000 18+ per month", "292.71"},
    {"avoidable_admissions", "Avoidable emergency admissions (composite)", "per 100,000 per month",
     "124.12"},
    {"falls_65", "Emergency admissions for falls injuries 65+", "per 100,000 65+ per month",
     "168.20"},
};

}  // namespace

bool IsChronicAcsc(const std::string& d1, const std::vector<std::string>& diagnoses,
                   const std::vector<std::string>& procedures) {
  if (d1.size() < 4) return false;
  // a: chronic hepatitis B, no sickle-cell disorder anywhere.
  if (In4(d1, {"B180", "B181"})) {
    bool d57 = false;
    for (const std::string& d : diagnoses) d57 |= d.rfind("D57", 0) == 0;
    if (!d57) return true;
  }
  if (In3(d1, {"J45"}) || d1 == "J46X") return true;  // b asthma
  if ((In3(d1, {"I50"}) || In4(d1, {"I110", "J81X", "I130"})) && !KProcedureExclusion(procedures)) {
    return true;  // c CHF
  }
  if (In3(d1, {"E10", "E11", "E12", "E13", "E14"})) return true;                 // d diabetes
  if (In3(d1, {"J41", "J43", "J44"}) || In4(d1, {"J42X", "J47X"})) return true;  // e COPD
  if (In3(d1, {"J20"})) {
    for (const std::string& d : diagnoses) {
      if (In3(d, {"J41", "J42", "J43", "J44", "J47"})) return true;
    }
  }
  if (In3(d1, {"I20", "I25"}) &&
      !AnyProcedureStarts(procedures,
                          {"A", "B", "C", "D", "E", "F", "G", "H", "I",  "J",  "K",  "L",  "M", "N",
                           "O", "P", "Q", "R", "S", "T", "V", "W", "X0", "X1", "X2", "X4", "X5"})) {
    return true;  // f angina
  }
  if (In3(d1, {"D51", "D52"}) || In4(d1, {"D501", "D508", "D509"})) return true;   // g anaemia
  if (In4(d1, {"I10X", "I119"}) && !KProcedureExclusion(procedures)) return true;  // h hypertension
  if (In3(d1, {"I48", "G40", "G41", "F00", "F01", "F02", "F03"})) return true;     // i
  return false;
}

bool IsChildAsthmaDiabetesEpilepsy(const std::string& d1) {
  return In3(d1, {"J45", "E10", "E11", "E12", "E13", "E14", "G40", "G41"}) || d1 == "J46X";
}

bool IsAcuteAcsc(const std::string& d1, const std::vector<std::string>& diagnoses) {
  if (d1.size() < 4) return false;
  const bool flu_pneumonia = In3(d1, {"J10", "J11", "J13", "J14"}) ||
                             In4(d1, {"J153", "J154", "J157", "J159", "J168", "J181", "J188"});
  if (flu_pneumonia) {
    for (const std::string& d : diagnoses) {
      if (d.rfind("D57", 0) == 0) return false;
    }
    return true;
  }
  return In3(d1, {"A35", "A36", "A37", "A80", "B05", "B06", "B26"}) ||
         In4(d1, {"B161", "B169", "G000", "M014"}) ||                      // vaccine
         In3(d1, {"H66", "H67", "J02", "J03", "J06"}) || d1 == "J312" ||   // ENT
         In4(d1, {"N10X", "N12X", "N136", "N390"}) || In3(d1, {"N11"}) ||  // UTI
         In4(d1, {"E86X", "K522", "K528", "K529"}) ||                      // gastro
         In4(d1, {"K250", "K251", "K252", "K254", "K255", "K256", "K260", "K261",
                  "K262", "K264", "K265", "K266", "K270", "K271", "K272", "K274",
                  "K275", "K276", "K280", "K281", "K282", "K284", "K285", "K286"}) ||  // ulcer
         In3(d1, {"L03", "L04"}) ||
         In4(d1, {"L080", "L088", "L089", "L88X", "L980"}) ||  // cellulitis
         d1 == "A690" || In3(d1, {"K02", "K03", "K04", "K05", "K06", "K08", "K12", "K13"}) ||
         In4(d1, {"K098", "K099"}) ||  // dental
         In3(d1, {"R56", "O15"}) || d1 == "R02X" || In3(d1, {"N70", "N73", "N74"});
}

bool IsChildLrti(const std::string& d1) {
  return In3(d1, {"J12", "J13", "J14", "J15", "J16", "J18", "J21"});
}

bool IsFallInjury(const std::string& d1, const std::string& cause) {
  if (d1.size() < 3 || cause.size() < 3) return false;
  const bool injury = d1[0] == 'S' || (d1[0] == 'T' && (d1[1] - '0') * 10 + (d1[2] - '0') <= 98);
  const int cause_number = (cause[1] - '0') * 10 + (cause[2] - '0');
  return injury && cause[0] == 'W' && cause_number >= 0 && cause_number <= 19;
}

namespace {

struct PdsInfo {
  Day birth = kNone;
  Day death = kNone;
};

// An ASCOF 2B candidate: 65+ discharged alive to their usual residence in October-December.
struct Discharge {
  std::string nhs;
  Day day;
};

// Column positions of apc_episodes.csv, in the order ApcColumns() names them.
enum ApcColumn {
  kEpisodeId,
  kSpellId,
  kEpisodeNumber,
  kStatus,
  kType,
  kNhs,
  kAdmission,
  kMethod,
  kSource,
  kClasspat,
  kEpisodeEnd,
  kDischarge,
  kDisMethod,
  kDisDest,
  kAge,
  kSex,
  kDiag1,
  kDiag2,
  kDiag3,
  kDiag4,
  kDiag5,
  kDiag6,
  kCause,
  kOp1,
  kOp2,
  kOp3,
  kReady,
  kAgency
};

constexpr const char* kApcColumns[] = {"episode_id",
                                       "spell_id",
                                       "episode_number",
                                       "episode_status",
                                       "episode_type",
                                       "nhs_number",
                                       "admission_date",
                                       "admission_method",
                                       "admission_source",
                                       "patient_classification",
                                       "episode_end_date",
                                       "discharge_date",
                                       "discharge_method",
                                       "discharge_destination",
                                       "age_on_admission",
                                       "sex",
                                       "diag_01",
                                       "diag_02",
                                       "diag_03",
                                       "diag_04",
                                       "diag_05",
                                       "diag_06",
                                       "cause",
                                       "opertn_01",
                                       "opertn_02",
                                       "opertn_03",
                                       "discharge_ready_date",
                                       "delay_agency"};
static_assert(std::size(kApcColumns) == kAgency + 1);

std::vector<double> Zeros(size_t n) { return std::vector<double>(n, 0); }

// One calibration run: reads the folder's extracts once each, counting into per-FY vectors
// (index i is financial year fys[i]), then assembles the report.
class CalibrationRun {
 public:
  CalibrationRun(const std::string& dir, const CalibrationOptions& options, std::vector<int> fys)
      : dir_(dir),
        options_(options),
        window_start_(options.start.days_since_epoch()),
        window_end_(options.end.days_since_epoch()),
        fys_(std::move(fys)),
        n_(fys_.size()) {}

  Status ReadPopulation();
  Status ReadPds();
  Status ReadApc();
  Status ReadSocialCare();
  CalibrationReport Assemble();

 private:
  // Index of the financial year holding `d` in fys_, or -1.
  int FyIndex(Day d) const {
    if (d == kNone) return -1;
    const int fy = FyOf(d);
    for (size_t i = 0; i < fys_.size(); ++i) {
      if (fys_[i] == fy) return static_cast<int>(i);
    }
    return -1;
  }
  // Reads `file`'s header and appends the position of each of `names` to idx; the width a
  // row needs is then max(idx) + 1.
  Status Columns(const std::string& file, std::span<const char* const> names,
                 std::vector<int>* idx) const {
    std::vector<std::string> h;
    PIONEER_RETURN_IF_ERROR(ReadCsvHeader(dir_ + "/" + file, &h));
    for (const char* name : names) {
      const int i = ColumnIndex(h, name);
      if (i < 0) return InvalidArgumentError(file + ": missing column " + name);
      idx->push_back(i);
    }
    return OkStatus();
  }
  Status Columns(const std::string& file, std::initializer_list<const char*> names,
                 std::vector<int>* idx) const {
    return Columns(file, std::span<const char* const>(names.begin(), names.size()), idx);
  }
  void CountFirstEpisode(const std::vector<std::string>& f, const std::vector<int>& c, int age,
                         int age_code, bool emergency_method, Day admission);
  void CountSpellEnd(const std::vector<std::string>& f, const std::vector<int>& c, int age,
                     int age_code, bool emergency_method, Day admission, Day discharge);
  void CountDelay(const std::vector<std::string>& f, const std::vector<int>& c, int age,
                  int age_code, Day discharge);
  std::vector<double> PermanentAdmissions();
  bool AtHomeAfter91Days(const Discharge& d, const ClientInfo& cl) const;
  void AddMeasure(CalibrationReport& report, int def, const std::vector<double>& num,
                  const std::vector<double>& den, double scale) const;
  double MeanOf(const std::vector<double>& num, const std::vector<double>& den,
                double scale) const {
    double s = 0;
    for (size_t i = 0; i < n_; ++i) s += den[i] > 0 ? num[i] / den[i] * scale : 0;
    return s / static_cast<double>(n_);
  }
  void AddContext(CalibrationReport& report, const std::vector<double>& pop_all,
                  const std::vector<double>& pop_months, const std::vector<double>& reab_den);

  const std::string& dir_;
  const CalibrationOptions& options_;
  const Day window_start_;
  const Day window_end_;
  const std::vector<int> fys_;
  const size_t n_;
  std::vector<std::string> header_;

  std::map<int, std::array<double, 3>> pop_;  // year -> {all, 18+, 65+}
  std::unordered_map<std::string, PdsInfo> pds_;
  std::vector<double> pds_deaths_ = Zeros(n_);
  // APC.
  std::vector<double> composite_ = Zeros(n_), falls_ = Zeros(n_), delayed_ = Zeros(n_),
                      emergency_ = Zeros(n_);
  std::vector<double> component_[4] = {Zeros(n_), Zeros(n_), Zeros(n_), Zeros(n_)};
  std::vector<double> delayed_agency_[3] = {Zeros(n_), Zeros(n_), Zeros(n_)};
  int64_t delayed_spells_ = 0;
  double delayed_total_ = 0;
  std::vector<double> hospital_deaths_ = Zeros(n_);
  double weekday_discharges_[8] = {};
  std::vector<Discharge> candidates_;
  std::vector<double> alive_discharges_65_ = Zeros(n_);
  std::unordered_map<std::string, std::vector<Interval>> stays_;
  std::unordered_map<std::string, Day> apc_death_;
  std::vector<std::string> diags_, procs_;  // scratch
  // Social care.
  std::unordered_map<std::string, ClientInfo> clients_;
  int64_t sc_rows_ = 0, sc_rows_with_nhs_ = 0;
};

// Population denominators (mid-year inside the FY).
Status CalibrationRun::ReadPopulation() {
  std::vector<int> c;
  PIONEER_RETURN_IF_ERROR(Columns("population.csv", {"year", "age", "population"}, &c));
  const size_t width = static_cast<size_t>(*std::max_element(c.begin(), c.end())) + 1;
  PIONEER_RETURN_IF_ERROR(
      ReadCsvFile(dir_ + "/population.csv", &header_, [&](const std::vector<std::string>& f) {
        if (f.size() < width) return;
        const int year = ParseInt(f[c[0]]);
        const int age = ParseInt(f[c[1]]);
        const double people = ParseInt(f[c[2]], 0);
        auto& p = pop_[year];
        p[0] += people;
        if (age >= 18) p[1] += people;
        if (age >= 65) p[2] += people;
      }));
  for (int fy : fys_) {
    if (pop_.count(fy) == 0 || pop_[fy][0] <= 0) {
      return InvalidArgumentError(fmt::format("population.csv has no mid-{} estimate", fy));
    }
  }
  return OkStatus();
}

// PDS: birth and death dates of current rows.
Status CalibrationRun::ReadPds() {
  std::vector<int> c;
  PIONEER_RETURN_IF_ERROR(
      Columns("pds.csv", {"nhs_number", "record_type", "birth_date", "death_date"}, &c));
  const size_t width = static_cast<size_t>(*std::max_element(c.begin(), c.end())) + 1;
  return ReadCsvFile(dir_ + "/pds.csv", &header_, [&](const std::vector<std::string>& f) {
    if (f.size() < width || f[c[1]] != "current") return;
    PdsInfo& info = pds_[f[c[0]]];
    info.birth = ParseDay(f[c[2]]);
    info.death = ParseDay(f[c[3]]);
    const int i = FyIndex(info.death);
    if (i >= 0) pds_deaths_[i] += 1;
  });
}

Status CalibrationRun::ReadApc() {
  std::vector<int> c;
  PIONEER_RETURN_IF_ERROR(Columns("apc_episodes.csv", kApcColumns, &c));
  const size_t width = static_cast<size_t>(*std::max_element(c.begin(), c.end())) + 1;
  std::unordered_set<std::string> seen;
  return ReadCsvFile(dir_ + "/apc_episodes.csv", &header_, [&](const std::vector<std::string>& f) {
    if (f.size() < width) return;
    if (!seen.insert(f[c[kEpisodeId]]).second) return;  // exact duplicate
    const Day admission = ParseDay(f[c[kAdmission]]);
    const Day discharge = ParseDay(f[c[kDischarge]]);
    if (admission == kNone) return;
    if (discharge != kNone && discharge < admission) return;  // quarantined by ingest
    const int age_code = ParseInt(f[c[kAge]]);
    const int age = YearsFromStartAge(age_code);
    const bool emergency_method = model::IsEmergencyAdmissionMethod(f[c[kMethod]]);
    if (f[c[kEpisodeNumber]] == "1") {
      CountFirstEpisode(f, c, age, age_code, emergency_method, admission);
    }
    const bool last = discharge != kNone || f[c[kStatus]] == "3";
    if (last) CountSpellEnd(f, c, age, age_code, emergency_method, admission, discharge);
  });
}

// Admission-level facts from a spell's first episode: emergency admissions, falls and the
// avoidable-admissions composite.
void CalibrationRun::CountFirstEpisode(const std::vector<std::string>& f, const std::vector<int>& c,
                                       int age, int age_code, bool emergency_method,
                                       Day admission) {
  const std::string& method = f[c[kMethod]];
  if (emergency_method) {
    const int i = FyIndex(admission);
    if (i >= 0) emergency_[i] += 1;
  }
  if (!method.empty() && method[0] == '2') {
    // Falls: by the FY in which the episode ended.
    const Day episode_end = ParseDay(f[c[kEpisodeEnd]]);
    const std::string& classpat = f[c[kClasspat]];
    if (age >= 65 && age_code < 7000 && episode_end != kNone && classpat != "3" &&
        classpat != "4") {
      const int i = FyIndex(episode_end);
      if (i >= 0 && IsFallInjury(Norm(f[c[kDiag1]]), Norm(f[c[kCause]]))) falls_[i] += 1;
    }
  }
  if (!(emergency_method && f[c[kClasspat]] == "1" && f[c[kType]] == "1" &&
        !model::IsNhsProviderTransferSource(f[c[kSource]]) &&
        (f[c[kSex]] == "1" || f[c[kSex]] == "2") && age >= 0 && age <= 120)) {
    return;
  }
  const int i = FyIndex(admission);
  if (i < 0) return;
  const std::string d1 = Norm(f[c[kDiag1]]);
  diags_.clear();
  for (int k = kDiag1; k <= kDiag6; ++k) diags_.push_back(Norm(f[c[k]]));
  procs_.clear();
  for (int k = kOp1; k <= kOp3; ++k) {
    if (f[c[k]].empty()) continue;
    auto p = model::NormaliseOpcs4(f[c[k]]);
    if (p && !p->empty()) procs_.push_back(*p);
  }
  const bool parts[4] = {
      IsChronicAcsc(d1, diags_, procs_), age <= 18 && IsChildAsthmaDiabetesEpilepsy(d1),
      IsAcuteAcsc(d1, diags_) && !(age_code >= 7001 && age_code <= 7003 &&
                                   In3(d1, {"J10", "J11", "J13", "J14", "J15", "J16", "J18"})),
      age <= 18 && IsChildLrti(d1)};
  for (int k = 0; k < 4; ++k) {
    if (!parts[k]) continue;
    composite_[i] += 1;
    component_[k][i] += 1;
  }
}

// Spell-level facts from a spell's last episode: stays, deaths, weekday discharges, delays
// and ASCOF 2B candidates.
void CalibrationRun::CountSpellEnd(const std::vector<std::string>& f, const std::vector<int>& c,
                                   int age, int age_code, bool emergency_method, Day admission,
                                   Day discharge) {
  const std::string& nhs = f[c[kNhs]];
  const Day end = discharge != kNone ? discharge : kForever;
  const bool valid_nhs = NhsNumber::Check(nhs) == NhsNumberProblem::kNone;
  if (valid_nhs) stays_[nhs].push_back({admission, end});
  const bool died = f[c[kDisMethod]] == "4";
  if (died && discharge != kNone) {
    if (valid_nhs) {
      auto it = apc_death_.find(nhs);
      if (it == apc_death_.end() || discharge < it->second) apc_death_[nhs] = discharge;
    }
    const int i = FyIndex(discharge);
    if (i >= 0) hospital_deaths_[i] += 1;
  }
  if (discharge != kNone && !died && emergency_method && discharge >= window_start_ &&
      discharge <= window_end_) {
    weekday_discharges_[Date::FromDaysSinceEpoch(discharge).iso_weekday()] += 1;
  }
  CountDelay(f, c, age, age_code, discharge);
  if (discharge == kNone || died || !valid_nhs) return;
  const Date dd = Date::FromDaysSinceEpoch(discharge);
  const std::string& dest = f[c[kDisDest]];
  if (dd.month() < 10 || (dest != "19" && dest != "29")) return;
  int age_at_discharge = age;
  auto p = pds_.find(nhs);
  if (p != pds_.end() && p->second.birth != kNone) {
    age_at_discharge = Date::FromDaysSinceEpoch(p->second.birth).AgeOn(dd);
  }
  const int i = FyIndex(discharge);
  if (age_at_discharge >= 65 && i >= 0) {
    candidates_.push_back({nhs, discharge});
    alive_discharges_65_[i] += 1;
  }
}

// Delayed days: a reportable delay has a responsible agency; a ready date alone (recorded on
// every emergency spell) is not a delayed transfer.
void CalibrationRun::CountDelay(const std::vector<std::string>& f, const std::vector<int>& c,
                                int age, int age_code, Day discharge) {
  const Day ready = ParseDay(f[c[kReady]]);
  if (ready == kNone || f[c[kAgency]].empty() || age < 18 || age_code >= 7000) return;
  const Day stop = discharge != kNone ? discharge : window_end_ + 1;
  if (stop <= ready) return;
  ++delayed_spells_;
  delayed_total_ += stop - ready;
  const std::string& agency = f[c[kAgency]];
  const int a = agency == "NHS" ? 0 : agency == "SOCIAL_CARE" ? 1 : 2;
  for (Day d = ready; d < stop; ++d) {
    const int i = FyIndex(d);
    if (i < 0) continue;
    delayed_[i] += 1;
    delayed_agency_[a][i] += 1;
  }
}

Status CalibrationRun::ReadSocialCare() {
  std::vector<int> c;
  PIONEER_RETURN_IF_ERROR(
      Columns("social_care_events.csv",
              {"event_id", "la_person_id", "nhs_number", "birth_date", "event_type", "service_type",
               "service_term", "event_start_date", "event_end_date", "funding", "death_date"},
              &c));
  enum {
    kId,
    kPerson,
    kNhsCol,
    kBirth,
    kEventType,
    kService,
    kTerm,
    kStart,
    kEnd,
    kFunding,
    kDeath
  };
  const size_t width = static_cast<size_t>(*std::max_element(c.begin(), c.end())) + 1;
  std::unordered_set<std::string> seen;
  return ReadCsvFile(
      dir_ + "/social_care_events.csv", &header_, [&](const std::vector<std::string>& f) {
        if (f.size() < width) return;
        ++sc_rows_;
        if (!f[c[kNhsCol]].empty()) ++sc_rows_with_nhs_;
        if (!seen.insert(f[c[kId]]).second) return;
        ClientInfo& cl = clients_[f[c[kPerson]]];
        const std::string& nhs = f[c[kNhsCol]];
        if (!nhs.empty() && NhsNumber::Check(nhs) == NhsNumberProblem::kNone) ++cl.nhs_votes[nhs];
        const Day start = ParseDay(f[c[kStart]]);
        const Day end = ParseDay(f[c[kEnd]]);
        if (start == kNone || (end != kNone && end < start)) return;
        if (cl.birth == kNone) cl.birth = ParseDay(f[c[kBirth]]);
        const Day death = ParseDay(f[c[kDeath]]);
        if (death != kNone && (cl.death == kNone || death < cl.death)) cl.death = death;
        if (f[c[kEventType]] != "service") return;
        const std::string& service = f[c[kService]];
        const std::string& funding = f[c[kFunding]];
        const bool council = funding == "la_funded" || funding == "joint";
        if ((service == "residential" || service == "nursing") && f[c[kTerm]] == "long_term") {
          cl.placements.push_back({start, end == kNone ? kForever : end});
          if (start < cl.first_permanent) {
            cl.first_permanent = start;
            cl.first_is_council = council;
          } else if (start == cl.first_permanent) {
            cl.first_is_council |= council;
          }
        }
        if (service == "reablement" && council) cl.reablement_starts.push_back(start);
      });
}

// Measure 1: council-funded first permanent placements of people 65+ on 31 March.
std::vector<double> CalibrationRun::PermanentAdmissions() {
  std::vector<double> admissions = Zeros(n_);
  for (const auto& [id, cl] : clients_) {
    if (cl.first_permanent == kForever || !cl.first_is_council) continue;
    const int i = FyIndex(cl.first_permanent);
    if (i >= 0 && cl.birth != kNone) {
      const Date march31 = *Date::FromYmd(fys_[i] + 1, 3, 31);
      if (Date::FromDaysSinceEpoch(cl.birth).AgeOn(march31) >= 65) admissions[i] += 1;
    }
  }
  return admissions;
}

// ASCOF 2B numerator: not dead, in hospital or in a care home 91 days after discharge `d`.
bool CalibrationRun::AtHomeAfter91Days(const Discharge& d, const ClientInfo& cl) const {
  const Day check = d.day + 91;
  auto p = pds_.find(d.nhs);
  if (p != pds_.end() && p->second.death != kNone && p->second.death <= check) return false;
  if (cl.death != kNone && cl.death <= check) return false;
  auto a = apc_death_.find(d.nhs);
  if (a != apc_death_.end() && a->second <= check) return false;
  auto s = stays_.find(d.nhs);
  if (s != stays_.end()) {
    for (const Interval& iv : s->second) {
      if (iv.from > d.day && iv.from <= check && check < iv.to) return false;
    }
  }
  for (const Interval& iv : cl.placements) {
    if (iv.from <= check && check < iv.to) return false;
  }
  return true;
}

void CalibrationRun::AddMeasure(CalibrationReport& report, int def, const std::vector<double>& num,
                                const std::vector<double>& den, double scale) const {
  MeasureResult m;
  m.key = kDefs[def][0];
  m.name = kDefs[def][1];
  m.unit = kDefs[def][2];
  m.target = std::stod(kDefs[def][3]);
  double sum = 0;
  for (size_t i = 0; i < n_; ++i) {
    YearValue y;
    y.fy_start_year = fys_[i];
    y.numerator = num[i];
    y.denominator = den[i];
    y.value = den[i] > 0 ? num[i] / den[i] * scale : 0;
    sum += y.value;
    m.years.push_back(y);
  }
  m.mean = sum / static_cast<double>(n_);
  m.low = m.target * (1 - options_.band);
  m.high = m.target * (1 + options_.band);
  m.within_band = m.mean >= m.low && m.mean <= m.high;
  for (const YearValue& y : m.years) m.years_outside_band += (y.value < m.low || y.value > m.high);
  report.measures.push_back(m);
}

CalibrationReport CalibrationRun::Assemble() {
  const std::vector<double> admissions = PermanentAdmissions();
  // Resolve each client's NHS Number: the most frequent valid one (ties: smallest); a number
  // claimed by two client records keeps the first.
  std::unordered_map<std::string, const ClientInfo*> by_nhs;
  for (const auto& [id, cl] : clients_) {
    const std::string* best = nullptr;
    int best_votes = 0;
    for (const auto& [nhs, votes] : cl.nhs_votes) {
      if (votes > best_votes) best = &nhs, best_votes = votes;
    }
    if (best != nullptr) by_nhs.emplace(*best, &cl);
  }
  // Measure 2: ASCOF 2B, candidates with council reablement starting within 7 days.
  std::vector<double> reab_den = Zeros(n_), reab_num = Zeros(n_);
  for (const Discharge& d : candidates_) {
    auto it = by_nhs.find(d.nhs);
    if (it == by_nhs.end()) continue;
    const ClientInfo& cl = *it->second;
    bool qualifies = false;
    for (Day s : cl.reablement_starts) qualifies |= s >= d.day && s <= d.day + 7;
    if (!qualifies) continue;
    const int i = FyIndex(d.day);
    reab_den[i] += 1;
    if (AtHomeAfter91Days(d, cl)) reab_num[i] += 1;
  }

  CalibrationReport report;
  report.band = options_.band;
  std::vector<double> pop_all(n_), pop18(n_), pop65(n_), pop65_months(n_), pop18_months(n_),
      pop_months(n_);
  for (size_t i = 0; i < n_; ++i) {
    const auto& p = pop_[fys_[i]];
    pop_all[i] = p[0], pop18[i] = p[1], pop65[i] = p[2];
    pop_months[i] = p[0] * 12, pop18_months[i] = p[1] * 12, pop65_months[i] = p[2] * 12;
  }
  AddMeasure(report, 0, admissions, pop65, 100000);
  AddMeasure(report, 1, reab_num, reab_den, 100);
  AddMeasure(report, 2, delayed_, pop18_months, 100000);
  AddMeasure(report, 3, composite_, pop_months, 100000);
  AddMeasure(report, 4, falls_, pop65_months, 100000);
  report.all_within_band = std::all_of(report.measures.begin(), report.measures.end(),
                                       [](const MeasureResult& m) { return m.within_band; });
  AddContext(report, pop_all, pop_months, reab_den);
  return report;
}

// Context figures: plausibility checks beside the measures, each with its expected range.
void CalibrationRun::AddContext(CalibrationReport& report, const std::vector<double>& pop_all,
                                const std::vector<double>& pop_months,
                                const std::vector<double>& reab_den) {
  report.context.push_back({"Emergency admissions per 100,000 per year",
                            MeanOf(emergency_, pop_all, 100000), "9,000-10,000"});
  const char* component_names[4] = {"2.3.i chronic ACSC", "2.3.ii asthma/diabetes/epilepsy <19",
                                    "3a acute conditions", "3.2 children's LRTI"};
  for (int k = 0; k < 4; ++k) {
    report.context.push_back(
        {fmt::format("  composite part {} per 100,000 per month", component_names[k]),
         MeanOf(component_[k], pop_months, 100000), "-"});
  }
  report.context.push_back(
      {"Deaths per 1,000 residents per year", MeanOf(pds_deaths_, pop_all, 1000), "8-10"});
  report.context.push_back(
      {"Deaths in hospital, % of deaths", MeanOf(hospital_deaths_, pds_deaths_, 100), "45-50"});
  report.context.push_back({"65+ Oct-Dec discharges into reablement, % (ASCOF 2B part 2)",
                            MeanOf(reab_den, alive_discharges_65_, 100), "2-6"});
  double weekday = 0;
  for (int d = 1; d <= 5; ++d) weekday += weekday_discharges_[d] / 5;
  const double weekend = (weekday_discharges_[6] + weekday_discharges_[7]) / 2;
  report.context.push_back({"Weekend emergency discharges per day, % of a weekday",
                            weekday > 0 ? weekend / weekday * 100 : 0, "40-60"});
  double all_delayed = 0, agency_days[3] = {};
  for (size_t i = 0; i < n_; ++i) {
    all_delayed += delayed_[i];
    for (int a = 0; a < 3; ++a) agency_days[a] += delayed_agency_[a][i];
  }
  if (all_delayed > 0) {
    report.context.push_back(
        {"Delayed days attributed to the NHS, %", agency_days[0] / all_delayed * 100, "~60"});
    report.context.push_back(
        {"Delayed days attributed to social care, %", agency_days[1] / all_delayed * 100, "~30"});
    report.context.push_back(
        {"Delayed days attributed to both, %", agency_days[2] / all_delayed * 100, "~10"});
  }
  report.context.push_back(
      {"Mean delay per delayed discharge, days",
       delayed_spells_ > 0 ? delayed_total_ / static_cast<double>(delayed_spells_) : 0, "5-15"});
  report.context.push_back(
      {"Social care rows with an NHS Number, %",
       sc_rows_ > 0 ? 100.0 * static_cast<double>(sc_rows_with_nhs_) / static_cast<double>(sc_rows_)
                    : 0,
       "85-91 (Leeds: 88)"});
}

}  // namespace

StatusOr<CalibrationReport> ComputeCalibration(const std::string& dir,
                                               const CalibrationOptions& options) {
  const Day window_start = options.start.days_since_epoch();
  const Day window_end = options.end.days_since_epoch();
  std::vector<int> fys;
  for (int y = options.start.year() - 1; y <= options.end.year(); ++y) {
    const Day s = Date::FromYmd(y, 4, 1)->days_since_epoch();
    const Day e = Date::FromYmd(y + 1, 3, 31)->days_since_epoch();
    if (s >= window_start && e <= window_end) fys.push_back(y);
  }
  if (fys.empty()) return InvalidArgumentError("the window holds no complete financial year");
  CalibrationRun run(dir, options, std::move(fys));
  PIONEER_RETURN_IF_ERROR(run.ReadPopulation());
  PIONEER_RETURN_IF_ERROR(run.ReadPds());
  PIONEER_RETURN_IF_ERROR(run.ReadApc());
  PIONEER_RETURN_IF_ERROR(run.ReadSocialCare());
  return run.Assemble();
}

std::string FormatCalibrationTable(const CalibrationReport& report) {
  std::string out =
      fmt::format("BCF calibration against the Leicestershire baselines (band +/-{:.0f}%)\n",
                  report.band * 100);
  out +=
      fmt::format("  {:<52} {:>9} {:>9} {:>19} {:>4}\n", "measure", "value", "target", "band", "");
  for (const MeasureResult& m : report.measures) {
    out += fmt::format("  {:<52} {:>9.2f} {:>9.2f} {:>9.2f}-{:<9.2f} {:>4}\n",
                       m.name + " (" + m.unit + ")", m.mean, m.target, m.low, m.high,
                       m.within_band ? "OK" : "OUT");
  }
  out += "  by financial year:";
  if (!report.measures.empty()) {
    for (const YearValue& y : report.measures[0].years) {
      out += fmt::format(" {:>9}",
                         fmt::format("{}/{:02d}", y.fy_start_year, (y.fy_start_year + 1) % 100));
    }
  }
  out += "\n";
  for (const MeasureResult& m : report.measures) {
    out += fmt::format("  {:<24}         ", m.key);
    for (const YearValue& y : m.years) out += fmt::format(" {:>9.2f}", y.value);
    out += "\n";
  }
  out += "  context:\n";
  for (const ContextFigure& c : report.context) {
    out += fmt::format("  {:<62} {:>9.1f}  (expected {})\n", c.name, c.value, c.expected);
  }
  return out;
}

}  // namespace pioneer::synth
