// Care Trak's countable activity measures in the query layer's definition language: a person
// table (metrics/person_table.h) with per-person index dates, one column per measure and month
// around each person's own index date, so that the same figures can be read by either engine
// (the timeline or SQL over the store) and by anything else built on person tables.
//
// Months are ActivityContext::PersonMonths' months (activity.h): month k (k = -lookback ..
// followup - 1) is the days [D + 30.4375 k, D + 30.4375 (k + 1)), i.e. the whole days D + o
// with ceil(30.4375 k) <= o <= ceil(30.4375 (k + 1)) - 1 (30.4375 = 487/16 is exact in binary,
// so both sides compute the same bounds). The measures, placed as PersonMonths places them:
//   ae_attendances           A&E attendances on their arrival date
//   non_elective_admissions  first episodes (episode_number 1) with an emergency admission
//                            method (model/code_sets.h), on the admission date
//   elective_admissions      first episodes with admission method 11, 12 or 13, likewise
//   outpatient_attendances   appointments attended (5, 6), on the appointment date
//   gp_contacts              GP consultations, telephone consultations and home visits
//   community_contacts       community contacts, on the contact date
//   mental_health_contacts   mental health contacts, on the contact date
// Bed days, home care and care home weeks (spread over the days they cover) and costs (unit
// prices, a cost per record) are not expressible as person-table columns; Care Trak's
// estimates still come from PersonMonths, which also gives the exposure (months alive) and
// the censoring of a comparison person enrolled later. Every record is read (duplicates and
// objectors included), as PersonMonths reads the timeline.
// tests/integration/person_table_synthetic_test.cc checks on a synthetic area that both
// engines' tables equal PersonMonths' counts for every listed person and month.
//
// Information governance: the table is keyed by NHS Number: for evaluation inside Care Trak,
// whose outputs are aggregates (docs/caretrak.md).
// Thread safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "pioneer/caretrak/activity.h"
#include "pioneer/metrics/person_table.h"

namespace pioneer::caretrak {

// The measures ActivityTableSpec expresses, in Measure order.
std::span<const Measure> TableMeasures();

// The column of measure m in month k: "<measure name>_m<k>" (e.g. "gp_contacts_m-3").
std::string ActivityColumnName(Measure m, int month);

// The window of month k in days from the index date: {lo, hi}, both inclusive.
std::pair<int, int> MonthWindow(int month);

// One column per TableMeasures() measure and month -lookback .. followup - 1 (measure-major),
// for the listed people each at their own index date. REQUIRES: lookback, followup >= 0 and
// index_dates non-empty (ValidatePersonTableSpec checks the numbers).
metrics::PersonTableSpec ActivityTableSpec(std::vector<metrics::PersonIndexDate> index_dates,
                                           int lookback, int followup);

}  // namespace pioneer::caretrak
