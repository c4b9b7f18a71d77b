// Calibration check: the five BCF baseline figures of a generated area, computed
// independently from the written CSV files (read back with libcsv; nothing is taken from the
// generator's memory) and compared with the Leicestershire BCF plan baselines
// (the West Leicestershire BCF plan, 2014), per financial year.
//
// Measures (definitions as in docs/metrics.md, simplified where noted):
//  1. Permanent admissions of people 65+ to residential and nursing care per 100,000
//     population 65+ per year (ASCOF 2A part 2, s2.3): council-supported (funding la_funded
//     or joint) long-term residential/nursing service events; a person counts in the FY in
//     which their first-ever long-term residential/nursing event (any funding, looking back
//     over everything in the extract) starts, if that event is council-supported; age 65+ on
//     31 March of the FY (council's birth date); persons keyed by la_person_id.
//     Target 762.73.
//  2. % of people 65+ discharged from hospital 1 Oct - 31 Dec into reablement who are at home
//     91 days after discharge (ASCOF 2B part 1, s3.4): spells discharged alive to their usual
//     residence; a council-supported reablement service starting 0-7 days after discharge,
//     linked by NHS Number (each council client's number = the most frequent valid number on
//     their rows); not at home = died on or before day 91 (PDS, social care or APC), in a
//     hospital spell on day 91, or in a permanent placement on day 91. Counted per discharge.
//     Target 78.22%.
//  3. Delayed days per 100,000 adults (18+) per month (s4.3/4.5): every day d with
//     discharge_ready_date <= d < discharge_date (or the end of the data for spells still
//     open), adults only (age on admission), averaged over the FY's 12 months. Target 292.71.
//  4. Avoidable emergency admissions per 100,000 (all ages) per month (s5.1-5.5): the plain
//     sum of components 2.3.i, 2.3.ii, 3a and 3.2 over first episodes with an emergency
//     admission method, CLASSPAT 1, EPITYPE 1, ADMISORC not 51-53, sex 1/2, primary
//     diagnosis per the code lists, by admission date. Target 124.12.
//  5. Emergency admissions for falls injuries of people 65+ per 100,000 65+ per month (s6.1,
//     crude): first episodes, admission method starting 2, age 65+, primary diagnosis
//     S00-T98, cause W00-W19, not regular day/night attenders, by the FY in which the episode
//     ended. Target 168.20.
// Denominators come from population.csv (mid-year inside the FY). Duplicate rows (same record
// id) are counted once and rows whose discharge precedes admission are skipped, as ingest
// would quarantine them.
//
// Thread safety: functions are reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"

namespace pioneer::synth {

struct CalibrationOptions {
  Date start = *Date::FromYmd(2012, 4, 1);  // window of the data; FYs wholly inside are used
  Date end = *Date::FromYmd(2016, 3, 31);
  double band = 0.15;  // accepted relative distance from the target
};

struct YearValue {
  int fy_start_year = 0;  // 2014 for 2014/15
  double numerator = 0;
  double denominator = 0;
  double value = 0;
};

struct MeasureResult {
  std::string key;   // "permanent_admissions_65", ...
  std::string name;  // human-readable
  std::string unit;
  double target = 0;
  std::vector<YearValue> years;
  double mean = 0;  // mean of the yearly values
  double low = 0, high = 0;
  bool within_band = false;  // the mean
  int years_outside_band = 0;
};

// Supporting figures that are not targets but show the area is realistic.
struct ContextFigure {
  std::string name;
  double value = 0;
  std::string expected;  // e.g. "9,000-10,000"
};

struct CalibrationReport {
  double band = 0.15;
  std::vector<MeasureResult> measures;
  std::vector<ContextFigure> context;
  bool all_within_band = false;
};

// Reads dir/{population,pds,apc_episodes,social_care_events}.csv and computes the measures.
StatusOr<CalibrationReport> ComputeCalibration(const std::string& dir,
                                               const CalibrationOptions& options);

// A small text table: measure, value (mean over FYs), target, band, OK/OUT, then per-FY values
// and the context figures.
std::string FormatCalibrationTable(const CalibrationReport& report);

// ICD-10 classification helpers used by the measures (exposed for tests). Codes are HES-style
// normalised (model::NormaliseIcd10); procedures normalised OPCS-4.
bool IsChronicAcsc(const std::string& primary, const std::vector<std::string>& diagnoses,
                   const std::vector<std::string>& procedures);
bool IsChildAsthmaDiabetesEpilepsy(const std::string& primary);  // 2.3.ii (age checked by caller)
bool IsAcuteAcsc(const std::string& primary, const std::vector<std::string>& diagnoses);  // 3a
bool IsChildLrti(const std::string& primary);  // 3.2 (age checked by caller)
bool IsFallInjury(const std::string& primary, const std::string& cause);

}  // namespace pioneer::synth
