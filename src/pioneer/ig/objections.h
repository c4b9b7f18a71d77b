// Objections to sharing (table ig_objections, docs/ig.md rule "objection"), and team
// caseloads (table ig_caseloads, rule "team-caseload").
//
// An objections file is CSV with a header naming `nhs_number` (required) and optionally
// `recorded_on` (ISO date). Every row is checked before anything is stored: a bad row makes
// the whole import fail with file, line, field and reason (never the value itself, which is
// an identifier), and nothing is written. Re-importing a person already objecting keeps the
// first record. A FHIR Consent with a deny provision records the same fact through the gate
// (RecordObjection); a withdrawal lifts it (LiftObjection). Each change that happens (not a
// repeat) appends a version to the person's history (ObjectionHistory), in the same
// transaction. Reads and writes of one person's objection take the PersonAccess the gate
// granted.
// Errors: kInvalidArgument for content, kUnavailable for I/O, the store's errors.
// Thread safety: functions take a Store used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/ig/gate.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

struct ObjectionImport {
  int64_t rows = 0;      // data rows in the file
  int64_t added = 0;     // people newly objecting
  int64_t existing = 0;  // already recorded
};

StatusOr<ObjectionImport> ImportObjections(store::Store& store, const std::string& path);

// One person's objection as stored.
struct ObjectionRecord {
  std::string recorded_on;  // ISO date the person objected, "" when not known
  std::string source;       // "import:<file>" or "fhir:<username>"
  std::string imported_at;  // UTC ISO 8601 of when it was stored
};
// The objection of the access's person, if any (noted on the access as "ig_objections:1").
StatusOr<std::optional<ObjectionRecord>> ReadObjection(store::Store& store, PersonAccess& access);
// Records that the access's person objects (idempotent: true when newly recorded, false
// when already objecting, the first record kept). `recorded_on` an ISO date or "".
StatusOr<bool> RecordObjection(store::Store& store, PersonAccess& access,
                               const std::string& recorded_on, const std::string& source);
// Lifts the access's person's objection; true when there was one. `source` as above
// ("fhir:<username>").
StatusOr<bool> LiftObjection(store::Store& store, PersonAccess& access, const std::string& source);

// One version of a person's objection (table ig_objection_history): every recording and every
// lifting appends one, numbered from 1. `record.imported_at` is when the change was stored;
// a lifting keeps the recorded_on of the objection it lifted and names who lifted it.
struct ObjectionVersion {
  int64_t version = 0;
  bool objecting = false;
  ObjectionRecord record;
};
// The access's person's versions, oldest first (empty when they never objected); noted on
// the access as "ig_objection_history:<n>".
StatusOr<std::vector<ObjectionVersion>> ObjectionHistory(store::Store& store, PersonAccess& access);
// Adds one person to the caseload of a team at an organisation (idempotent).
Status AddToCaseload(store::Store& store, const std::string& org_code, const std::string& team,
                     const NhsNumber& person);

}  // namespace pioneer::ig
