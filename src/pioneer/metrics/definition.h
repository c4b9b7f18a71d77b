// Metric definitions as data (architecture guide 6.4: definitions vs engines).
//
// Every metric is declared once, as a MetricDefinition value (catalogue.cc), and evaluated by
// engines that interpret it: the fast engine over the person timeline (fast_engine.h) and the
// reference engine that renders the same definition to SQL and lets SQLite run it on the store
// (sql_engine.h). Nothing about a metric's rules is written anywhere else; docs/metrics.md is
// generated from these values (docs.h).
//
// A definition measures *records* of one source (APC episodes, social care events, GP events)
// that satisfy a predicate `Expr` over that record's fields -- and, through relations, over
// other records and the PDS details of the same person (kExists, kPersonDate) -- assigns each
// record to periods (a date in the period, an interval overlapping it, or "as at" the period
// end), derives the person's age (a record field, or from the PDS birth date at a date), and
// sums a measure per record (1, distinct persons, days inside the period, or days between two
// dates). The denominator is an ONS population of an age range, another metric's numerator
// (proportions, means), an expected prevalence from a reference rate table, or none (counts).
// A composite sums its components' numerators, or (switch composite.deduplicate_spells)
// counts the records that satisfy any component once; an alias is a one-component composite.
//
// Field values in predicates are the store's canonical forms: ICD-10 HES-style ("J459",
// "J46X"), OPCS-4 without the dot ("K401", "" for the placeholders '-' and '&'), codes as
// listed in docs/data-formats.md, integers for integer fields.
//
// Switches: the [PROP]/[CORR] choices of docs/metrics.md are named switches with
// documented defaults (AllSwitches()); BuildCatalogue(values) returns the definitions as they
// stand under those values, so the switch in force is part of the data each engine reads.
// Thread safety: plain values; the catalogue functions are pure.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/ig/aggregate_release.h"

namespace pioneer::metrics {

// ---------------------------------------------------------------------------------------------
// Predicates over one record's fields.
// A relation from the record being tested to other records of the same person.
//   anchor   a date field of the record being tested, or kPeriodEnd (last day of the period
//            being counted), or kPeriodStart (its first day);
//   day(x)   anchor + x days; kUnbounded as lo/hi removes that side of the window.
struct Relation {
  enum class Kind {
    kStartsWithin,  // related `date_field` in [day(lo), day(hi)]
    kOpenOn,        // related `date_field` <= day(lo) and (`end_field` empty or > day(lo))
    kBefore,        // same source: related (date_field, rowid) < (this anchor, this rowid)
  };
  Kind kind = Kind::kStartsWithin;
  std::string source;      // related table (kExists); ignored by kPersonDate
  std::string date_field;  // related record's date (kExists); PDS date field (kPersonDate)
  std::string end_field;   // kOpenOn
  std::string anchor;
  int lo = 0, hi = 0;
};
inline constexpr const char* kPeriodEnd = "@period_end";
inline constexpr const char* kPeriodStart = "@period_start";
// As a sex/practice/LSOA/birth field name: take the value from the person's PDS current row.
inline constexpr const char* kPersonField = "@person";
// As the practice field: the practice the person was registered with on the record's period
// date, or for "as at the period end" metrics (registers) on the period's last day
// (gp_registrations placed on the person: registration start on or before that date and
// no end or an end on or after it; the latest start, then the highest row id, wins), else the
// PDS current practice. People who have since died or moved keep the practice they had then.
inline constexpr const char* kPracticeAtEvent = "@practice_at_event";
inline constexpr int kUnbounded = 1 << 30;

struct Expr {
  enum class Kind {
    kTrue,      // always
    kIn,        // fields[0] equals one of values
    kPrefix,    // ANY of fields starts with ANY of values (non-empty prefixes only)
    kIntRange,  // integer fields[0] in [lo, hi] (an empty field fails)
    kAnd,
    kOr,
    kNot,
    kPresent,      // fields[0] is not empty
    kDaysBetween,  // date fields[1] - date fields[0] in [lo, hi] days (both present)
    kExists,       // a record related by `relation` satisfies children[0] (over its source)
    kPersonDate,   // the person's PDS `relation.date_field` lies in the relation's window
    kContains,     // text fields[0] contains ANY of values (non-empty substrings only)
  };
  Kind kind = Kind::kTrue;
  Relation relation;  // kExists, kPersonDate
  std::vector<std::string> fields;
  std::vector<std::string> values;
  int64_t lo = 0, hi = 0;
  std::vector<Expr> children;
  std::string note;  // why this clause exists (docs), e.g. "rule a: no D57 in any position"

  static Expr True() { return {}; }
  static Expr In(std::string field, std::vector<std::string> values, std::string note = "");
  static Expr Prefix(std::vector<std::string> fields, std::vector<std::string> prefixes,
                     std::string note = "");
  static Expr IntRange(std::string field, int64_t lo, int64_t hi, std::string note = "");
  static Expr Contains(std::string field, std::vector<std::string> parts, std::string note = "");
  static Expr And(std::vector<Expr> c, std::string note = "");
  static Expr Or(std::vector<Expr> c, std::string note = "");
  static Expr Not(Expr c, std::string note = "");
  static Expr Present(std::string field, std::string note = "");
  static Expr DaysBetween(std::string from, std::string to, int64_t lo, int64_t hi,
                          std::string note = "");
  static Expr Exists(Relation r, Expr related, std::string note = "");
  static Expr PersonDate(std::string pds_field, std::string anchor, int lo, int hi,
                         std::string note = "");

  // Every field of the tested record the predicate reads (sorted, unique), including relation
  // anchors; fields of related records are in FieldsBySource.
  std::vector<std::string> Fields() const;
  // A readable rendering for docs ("diag_01[0:3] in {J45} or diag_01 in {J46X}").
  std::string Describe() const;
};

// ---------------------------------------------------------------------------------------------
// Switches.
struct SwitchSpec {
  std::string name;                  // "composite.deduplicate_spells"
  std::string default_value;         // "false"
  std::vector<std::string> allowed;  // closed set of values
  std::string provenance;            // PROP / CORR
  std::string description;
  // Decided by the IG gate, never by a caller (disclosure.apply, objections.secondary_use):
  // its value comes from the ig::AggregateRelease (docs/ig.md R23).
  bool gated = false;
};
// name -> value in force.
using SwitchValues = std::map<std::string, std::string>;

const std::vector<SwitchSpec>& AllSwitches();
// Defaults overridden by `overrides`, and the gated switches set from `release`:
// disclosure.apply = release.suppress_small_numbers(), objections.secondary_use = exclude
// when release.exclude_objectors(). kInvalidArgument for an unknown switch or value, and for
// an override of a gated switch (only the gate decides those).
StatusOr<SwitchValues> ResolveSwitches(
    const SwitchValues& overrides,
    const ig::AggregateRelease& release = ig::AggregateRelease::Published());

// ---------------------------------------------------------------------------------------------
enum class Unit { kPer100k, kPer1000, kPercent, kCount, kDays };
enum class Polarity { kLowerIsBetter, kHigherIsBetter };
enum class Standardisation {
  kNone,           // crude rate only
  kEsp2013Age,     // directly standardised by 5-year age band (persons)
  kEsp2013AgeSex,  // directly standardised by 5-year age band within sex
};
enum class Breakdown { kNone, kSex, kAgeBand, kPractice, kCcg, kDeprivation, kHwb };
// "none", "sex", "age_band", "practice", "ccg", "deprivation", "hwb"
const char* BreakdownName(Breakdown b);
const std::vector<Breakdown>& AllBreakdowns();

// What one record contributes.
enum class Measure {
  kRecords,       // 1 per record
  kPersons,       // 1 per person per period: the person's first record (period date, rowid)
  kDaysInPeriod,  // days of [period_field, period_end_field) inside the period (open = to end)
  kDaysBetween,   // days from `value_from_field` to `period_field` (negative counts 0)
};
// Which periods a record belongs to.
enum class PeriodMode {
  kDateInPeriod,    // period_field inside the period
  kOverlapsPeriod,  // [period_field, period_end_field) overlaps it (empty end = still open)
  kAsAtPeriodEnd,   // period_field on or before the period's last day
};
// How the age of a record is derived.
enum class AgeRule {
  kField,               // integer age_field (7001-7007 = 0)
  kAtDateField,         // from birth_field at the record's age_date_field
  kAtFinancialYearEnd,  // from birth_field at 31 March of the FY holding the period date
  kAtPeriodEnd,         // from birth_field at the last day of the period being counted
};
enum class DenominatorKind {
  kPopulation,          // ONS mid-year estimate of [denominator_age_lo, denominator_age_hi]
  kMetric,              // another metric's numerator, cell by cell (denominator_metric)
  kExpectedPrevalence,  // sum of reference rate x population over 5-year bands and sex
  kNone,                // counts only
};
// Day-of-week profile: groups are "<provider_field value>|Mon".."|Sun" (whatever breakdown
// is asked) and Evaluate adds "<provider>|cv", the coefficient of variation across the days.
// An empty provider_field puts every record in one provider named "all" ("all|Mon"..).
enum class Profile { kNone, kProviderWeekday };
std::optional<Breakdown> ParseBreakdown(std::string_view name);
// Breakdown bands for kAgeBand: 0-17, 18-64, 65-74, 75-84, 85+.
const std::vector<std::pair<int, int>>& AgeBands();

struct MetricDefinition {
  std::string id;  // "nhsof_2_3_i"
  std::string title;
  std::string version;     // definition version, bumped with any rule change
  std::string citation;    // spec section and the official source it follows
  std::string provenance;  // AUTH / CORR / PROP for the definition as a whole
  Unit unit = Unit::kPer100k;
  Polarity polarity = Polarity::kLowerIsBetter;
  bool provisional = false;  // any [PROP] rule in force -> outputs labelled provisional

  // Numerator: records of `source` table satisfying `numerator`.
  std::string source = "apc_episodes";
  Expr numerator;
  // Period assignment: the date field that places a record in a period.
  std::string period_field;  // "admission_date", "episode_end_date"
  std::string period_rule;   // prose for docs
  // Age of the record (for age bands, standardisation and the age filter).
  AgeRule age_rule = AgeRule::kField;
  std::string age_field = "age_on_admission";       // kField
  std::string birth_field = kPersonField;           // other rules: the PDS birth date by default
  std::string age_date_field;                       // kAtDateField
  int age_lo = -1, age_hi = 200;                    // filter on the derived age; -1 = none
  std::string sex_field = "sex";                    // or kPersonField
  std::string practice_field = "gp_practice_code";  // or kPersonField, kPracticeAtEvent
  std::string lsoa_field = "lsoa_code";             // or kPersonField

  PeriodMode period_mode = PeriodMode::kDateInPeriod;
  std::string period_end_field;  // kOverlapsPeriod / kDaysInPeriod
  std::vector<int> months;       // when non-empty: only period dates in these calendar months
  Measure measure = Measure::kRecords;
  std::string value_from_field;  // kDaysBetween
  Profile profile = Profile::kNone;
  std::string provider_field = "provider_code";

  // Composite: sum (or dedupe) of these metric ids; numerator ignored when non-empty.
  std::vector<std::string> components;
  bool deduplicate_components = false;

  // Denominator.
  DenominatorKind denominator_kind = DenominatorKind::kPopulation;
  std::string denominator_metric;  // kMetric
  std::string prevalence_table;    // kExpectedPrevalence: ReferenceRates name
  bool per_month = false;  // rate of (numerator / months in the period): "average per month"
  // Population and expected-prevalence denominators from GP-registered people (1 April of the
  // financial year) whatever switch population.basis says (dementia.population_basis).
  bool registered_denominator = false;
  int denominator_age_lo = 0;
  int denominator_age_hi = 200;
  std::string denominator_rule;  // prose for docs

  // Records placed on no person (no usable NHS Number: missing or invalid and not traced by
  // `pioneer link`) are counted too, by the age, sex, practice and residence on the record, as
  // the official hospital-based indicators count every episode. Set by BuildCatalogue under
  // switch records.without_nhs_number for definitions that ReadsOnlyTheRecord; a definition
  // that needs the person (relations, PDS dates, distinct persons) cannot count them.
  bool count_unplaced = false;
  // The records of people who objected to secondary use (ReferenceData::objecting) are left
  // out: BCF metrics are planning, not direct care. Set for every definition by BuildCatalogue
  // under switch objections.secondary_use (default exclude). Population denominators (ONS
  // estimates) cannot be adjusted; denominators that are other metrics exclude them too.
  bool exclude_objections = false;

  Standardisation standardisation = Standardisation::kNone;
  // > 0: values whose period starts less than this many years after the social care history
  // starts (ReferenceData::social_care_first_date) are flagged "lookback_truncated" (ASCOF 2A:
  // "no earlier placement" is only as good as the history the data holds).
  int lookback_years = 0;
  std::vector<Breakdown> breakdowns;
  std::vector<std::string> switches;  // names of switches this definition reads
};

// Every metric, evaluated in this order, under the given switch values (resolved).
std::vector<MetricDefinition> BuildCatalogue(const SwitchValues& switches);
// The definition with this id, or nullptr.
const MetricDefinition* FindMetric(const std::vector<MetricDefinition>& catalogue,
                                   std::string_view id);
// The record predicate of a definition, expanding composites (Or of components).
// REQUIRES: components exist in the catalogue.
Expr EffectivePredicate(const std::vector<MetricDefinition>& catalogue,
                        const MetricDefinition& def);
// True when evaluating `def` with `predicate` (its EffectivePredicate) reads only the record
// itself: no relation to other records, no PDS field or date, not a count of distinct persons.
bool ReadsOnlyTheRecord(const MetricDefinition& def, const Expr& predicate);
// Every field each source must provide to evaluate `def` (its own fields, related records'
// fields, relation dates), by table name.
std::map<std::string, std::set<std::string>> FieldsBySource(
    const std::vector<MetricDefinition>& catalogue, const MetricDefinition& def);

// Reference rate tables (per 100 people) by sex (1, 2) and 5-year band from 65 (0 = 65-69 ..
// 5 = 90+), with their source; loaded as data in catalogue.cc and printed in docs/metrics.md.
struct RateTable {
  std::string name;
  std::string source;
  std::string provenance;
  double rate[3][6] = {};  // [sex][band]; sex 0 unused
};
const std::vector<RateTable>& ReferenceRates();
const RateTable* FindRateTable(std::string_view name);

}  // namespace pioneer::metrics
