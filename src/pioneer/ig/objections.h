// Objections to sharing (table ig_objections, docs/ig.md rule "objection"), and team
// caseloads (table ig_caseloads, rule "team-caseload").
//
// An objections file is CSV with a header naming `nhs_number` (required) and optionally
// `recorded_on` (ISO date). Every row is checked before anything is stored: a bad row makes
// the whole import fail with file, line, field and reason (never the value itself, which is
// an identifier), and nothing is written. Re-importing a person already objecting keeps the
// first record. A FHIR Consent with a deny provision records the same fact (later increment).
// Errors: kInvalidArgument for content, kUnavailable for I/O, the store's errors.
// Thread safety: functions take a Store used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

struct ObjectionImport {
  int64_t rows = 0;      // data rows in the file
  int64_t added = 0;     // people newly objecting
  int64_t existing = 0;  // already recorded
};

StatusOr<ObjectionImport> ImportObjections(store::Store& store, const std::string& path);
// Adds one person to the caseload of a team at an organisation (idempotent).
Status AddToCaseload(store::Store& store, const std::string& org_code, const std::string& team,
                     const NhsNumber& person);

}  // namespace pioneer::ig
