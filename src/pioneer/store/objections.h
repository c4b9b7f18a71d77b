// The people who objected to the use of their records beyond their own care (the right to
// object), as every secondary-use reader needs them: BCF metrics, risk coverage figures.
// The table (ig_objections) is written by the IG module (`pioneer objections import`, a FHIR
// Consent with a deny provision); this typed read is the one way analytic modules learn who
// objected, so none of them writes its own SQL for it.
//
// Information governance: the result holds identifiers; callers keep it in memory and never
// print it.
// Errors: the store's. Thread safety: as Store (one thread at a time).
#pragma once

#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::store {

// NHS Numbers (10 digits) of the people whose objection is in force, sorted ascending, unique;
// empty when the store has no objections table.
StatusOr<std::vector<std::string>> ObjectingNhsNumbers(Store& store);

}  // namespace pioneer::store
