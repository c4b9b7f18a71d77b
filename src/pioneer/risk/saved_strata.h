// Saved strata: the risk strata of a scored cohort written to the store (table risk_strata,
// store schema version 5; fields in formats/derived_tables.h), so that the BCF metrics
// catalogue can count high-risk adults and their joint care plan coverage with both engines
// (docs/risk.md "Saved strata", docs/metrics.md "nc_*").
//
// One row per scored person on the index date: NHS Number, index date, model id (the first
// 16 hex digits of the model's training-data SHA-256), the practice and age on the day, the
// practice's top 2% and top 4% flags (risk::Stratify over the boosted emergency-admission
// probability: exactly the people scores.csv flags), the Likelihood of Admission band and,
// when scored, the Resource Utilisation Band. Saving again at the same index date replaces
// that date's rows (one set of strata per date; the last model saved wins), in one
// transaction.
// Information governance: person-level risk for direct care, like scores.csv. People in
// `leave_out` (sorted NHS Numbers of those who objected to use beyond their own care,
// store::ObjectingNhsNumbers) rank in their practice's list but get no row, as in scores.csv.
// Nothing here logs or prints a person.
// Errors: the store's (kFailedPrecondition for a store that cannot be written or has no
// risk_strata table: an older schema is migrated on open).
// Thread safety: one Store per thread, as store::Store requires.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/risk/model_store.h"
#include "pioneer/risk/pipeline.h"
#include "pioneer/risk/stratification.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::risk {

// "sha256:" + the first 16 hex digits of model.data_sha256.
std::string ModelId(const RiskModel& model);

// Writes the strata of `s` (scored by `model` at s.cohort.index_date); returns rows saved.
// `strata`, when given, must be Stratify(s.cohort.practice, s.boosted[kEmergency]) (a caller
// that computed it already); else it is computed here.
StatusOr<int64_t> SaveStrata(store::Store& store, const timeline::Timeline& t,
                             const RiskModel& model, const Scores& s,
                             std::span<const std::string> leave_out = {},
                             const Strata* strata = nullptr);

}  // namespace pioneer::risk
