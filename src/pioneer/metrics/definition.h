// Metric definitions as data (architecture guide 6.4: definitions vs engines).
//
// Every metric is declared once, as a MetricDefinition value (catalogue.cc), and evaluated by
// engines that interpret it: the fast engine over the person timeline (fast_engine.h) and the
// reference engine that renders the same definition to SQL and lets SQLite run it on the store
// (sql_engine.h). Nothing about a metric's rules is written anywhere else; docs/metrics.md is
// generated from these values (docs.h).
//
// A definition counts *records* of one source (today: APC episodes) that satisfy a predicate
// `Expr` over that record's fields, assigns each record to periods by one date field, and
// divides by an ONS population denominator restricted to an age range. A composite sums its
// components' numerators, or (switch composite.deduplicate_spells) counts the records that
// satisfy any component once.
//
// Field values in predicates are the store's canonical forms: ICD-10 HES-style ("J459",
// "J46X"), OPCS-4 without the dot ("K401", "" for the placeholders '-' and '&'), codes as
// listed in docs/data-formats.md, integers for integer fields.
//
// Switches: the [PROP]/[CORR] choices of ../shared/specs/bcf-metrics.md are named switches with
// documented defaults (AllSwitches()); BuildCatalogue(values) returns the definitions as they
// stand under those values, so the switch in force is part of the data each engine reads.
// Thread safety: plain values; the catalogue functions are pure.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"

namespace pioneer::metrics {

// ---------------------------------------------------------------------------------------------
// Predicates over one record's fields.
struct Expr {
  enum class Kind {
    kTrue,      // always
    kIn,        // fields[0] equals one of values
    kPrefix,    // ANY of fields starts with ANY of values (non-empty prefixes only)
    kIntRange,  // integer fields[0] in [lo, hi] (an empty field fails)
    kAnd,
    kOr,
    kNot,
  };
  Kind kind = Kind::kTrue;
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
  static Expr And(std::vector<Expr> c, std::string note = "");
  static Expr Or(std::vector<Expr> c, std::string note = "");
  static Expr Not(Expr c, std::string note = "");

  // Every field the predicate reads (sorted, unique).
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
};
// name -> value in force.
using SwitchValues = std::map<std::string, std::string>;

const std::vector<SwitchSpec>& AllSwitches();
// Defaults overridden by `overrides`; kInvalidArgument for an unknown switch or value.
StatusOr<SwitchValues> ResolveSwitches(const SwitchValues& overrides);

// ---------------------------------------------------------------------------------------------
enum class Unit { kPer100k, kPercent, kCount };
enum class Polarity { kLowerIsBetter, kHigherIsBetter };
enum class Standardisation {
  kNone,            // crude rate only
  kEsp2013Age,      // directly standardised by 5-year age band (persons)
  kEsp2013AgeSex,   // directly standardised by 5-year age band within sex
};
enum class Breakdown { kNone, kSex, kAgeBand, kPractice, kCcg, kDeprivation };
const char* BreakdownName(Breakdown b);  // "none", "sex", "age_band", "practice", "ccg", ...
std::optional<Breakdown> ParseBreakdown(std::string_view name);
// Breakdown bands for kAgeBand: 0-17, 18-64, 65-74, 75-84, 85+.
const std::vector<std::pair<int, int>>& AgeBands();

struct MetricDefinition {
  std::string id;        // "nhsof_2_3_i"
  std::string title;
  std::string version;   // definition version, bumped with any rule change
  std::string citation;  // spec section and the official source it follows
  std::string provenance;  // AUTH / CORR / PROP for the definition as a whole
  Unit unit = Unit::kPer100k;
  Polarity polarity = Polarity::kLowerIsBetter;
  bool provisional = false;  // any [PROP] rule in force -> outputs labelled provisional

  // Numerator: records of `source` table satisfying `numerator`.
  std::string source = "apc_episodes";
  Expr numerator;
  // Period assignment: the date field that places a record in a period.
  std::string period_field;     // "admission_date", "episode_end_date"
  std::string period_rule;      // prose for docs
  // Age of the record (for age bands and standardisation): integer field; 7001-7007 -> 0.
  std::string age_field = "age_on_admission";
  std::string sex_field = "sex";

  // Composite: sum (or dedupe) of these metric ids; numerator ignored when non-empty.
  std::vector<std::string> components;
  bool deduplicate_components = false;

  // Denominator: ONS mid-year estimate of ages [denominator_age_lo, denominator_age_hi].
  int denominator_age_lo = 0;
  int denominator_age_hi = 200;
  std::string denominator_rule;  // prose for docs

  Standardisation standardisation = Standardisation::kNone;
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

}  // namespace pioneer::metrics
