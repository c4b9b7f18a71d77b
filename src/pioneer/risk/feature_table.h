// Risk features in the query layer's definition language: a person-table spec
// (metrics/person_table.h) whose population is BuildCohort's cohort and whose columns give a
// handful of BuildCohort's features, so that risk, the metrics and Care Trak can share one
// language and both engines (the fast timeline engine and the SQL engine on the store).
//
// The population: PDS birth date before D, no death date before D, and a gp_registrations
// record open on D (start on or before D, no end or an end after D) - BuildCohort's cohort.
// The columns read every record of every person (distinct_rows and exclude_objections off:
// scores are for direct care, and BuildCohort reads the timeline as it is). What a column
// cannot say alone is the feature's transformation, applied by FeatureFromTable: the
// emergency-admission count capped at 3, and days since the last emergency admission (730
// when none in 24 months). tests/integration/risk_feature_table_test.cc checks that on a
// synthetic area these equal BuildCohort's values for every cohort person, on both engines.
// BuildCohort itself still computes the features over the timeline (one pass per person).
//
// Information governance: the table is keyed by NHS Number (person_table.h): direct care only.
// Thread safety: pure functions.
#pragma once

#include <span>

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

}  // namespace pioneer::risk
