// Risk features in the query layer's definition language: a person-table spec
// (metrics/person_table.h) whose population is BuildCohort's cohort and whose columns give all
// 44 of BuildCohort's features, so that risk, the metrics and Care Trak share one language
// and both engines (the fast timeline engine and the SQL engine on the store). BuildCohort
// still computes every feature in its own pass (built on the table it took about twice as
// long: docs/query-layer.md).
//
// The population: PDS birth date before D, no death date before D, and a gp_registrations
// record open on D (start on or before D, no end or an end after D) - BuildCohort's cohort.
// The columns read every record of every person (distinct_rows and exclude_objections off:
// scores are for direct care, and BuildCohort reads the timeline as it is). Columns are named
// as the features (FeatureSpecs()) except sex and last_emergency; what a column cannot say
// alone is applied by TableFeatureReader: the emergency-admission count capped at 3, days
// since the last emergency admission (730 when none in 24 months), the long-term condition
// count, male from the sex code, a missing IMD decile or frailty score as NaN (the frailty
// score is a fixed-point kLastDecimal, read back as a double).
// tests/integration/person_table_synthetic_test.cc checks that on a synthetic area these equal
// BuildCohort's values for every cohort person, on both engines.
//
// Information governance: the table is keyed by NHS Number (person_table.h): direct care only.
// Thread safety: pure functions; a TableFeatureReader is read-only after construction.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/metrics/person_table.h"
#include "pioneer/risk/features.h"

namespace pioneer::risk {

// The cohort at `index_date` and one column per feature of TableFeatures().
metrics::PersonTableSpec FeatureTableSpec(Date index_date);

// The features FeatureTableSpec expresses, in Feature order.
std::span<const Feature> TableFeatures();

// The value BuildCohort gives feature `f` (one of TableFeatures()) for the person of `row` of
// a table built from FeatureTableSpec(index_date).
double FeatureFromTable(const metrics::PersonTable& table, size_t row, Feature f, Date index_date);

// FeatureFromTable over one person's cells (metrics::FastEngine::PersonCells, or a table row):
// the columns are looked up by name once, for readers of every person.
class TableFeatureReader {
 public:
  // `column_names`: the names of the spec's columns, in order.
  TableFeatureReader(const std::vector<std::string>& column_names, Date index_date);
  // Feature f (one of TableFeatures()) of the person whose column k holds values[k], null
  // when null[k] != 0.
  double Value(const int64_t* values, const uint8_t* null, Feature f) const;

 private:
  double Number(const int64_t* values, const uint8_t* null, int k) const {
    return k < 0 || null[k] ? 0.0 : static_cast<double>(values[k]);
  }
  std::array<int, kFeatureCount> column_{};  // named as the feature, -1 none
  int sex_ = -1, last_emergency_ = -1;
  int32_t day_ = 0;
};

}  // namespace pioneer::risk
