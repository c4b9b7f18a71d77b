// PersonDirectory: the typed, read-only questions the IG gate (pioneer::ig) asks of the
// records about people, so that the gate holds the policy and the store holds the SQL.
//
// Each accessor answers one question in the backend's own dialect, with one query (these are
// the point queries behind every FHIR request: their statements are the same text on every
// call, so a backend that caches prepared statements, as SqliteStore::Query does, reuses
// them). The rules they apply are the store's shared ones:
//   * a person's PDS row: the master index rule (master_index.h): a current row with a valid
//     NHS Number;
//   * where a record is placed: on the person of its usable link (record_links.h) when it
//     has one, otherwise on the person of its own NHS Number when that is valid; a record with
//     neither is placed on no one. A superseded own number (a usable link to another person)
//     does not place the record on its own number's person.
// "Person table": a table with the columns nhs_number and nhs_number_status (every extract
// with an NHS Number field; the saved risk strata). Callers choose which person tables may be
// read (the gate's list, ig/person_records.h); accessors quote the name they are given but
// do not check it: an unknown table or column is the store's error.
// NULL rules: a NULL or empty organisation, team or date column never equals a given code;
// an open registration or social care event is one whose end date is NULL.
// Information governance: answers name people (NhsNumber) and rows are person-level records;
// this is for pioneer::ig only, which decides what may be disclosed (docs/ig.md). Nothing
// here logs or echoes a value; errors are the store's.
// Thread safety: as Store: one thread at a time per Store connection. Read-only: nothing here
// writes, so it works on read-only stores (Store::OpenReadOnlySqlite).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::store {

// The PDS facts the gate records on every permitted access, read together.
struct PersonStanding {
  int64_t patient_id = 0;  // row id of the PDS row that speaks for the person (master_index.h:
                           // the first current one), 0 when PDS does not hold the person
  bool objects = false;    // the person has an objection in force (ig_objections)
};

// A Patient search (the FHIR Patient search's criteria, already parsed), over current PDS
// rows; every criterion given must hold. Name criteria match from the start of the name
// (SQL LIKE, `%` and `_` literal; case-insensitive for ASCII in SQLite); dates are ISO text.
struct PersonSearch {
  std::optional<NhsNumber> nhs_number;
  std::optional<int64_t> patient_id;        // PDS row id
  std::vector<std::string> family;          // family_name starts with each
  std::vector<std::string> given;           // given_name or other_given_name starts with each
  std::vector<std::string> name;            // family or a given name starts with each
  std::optional<std::string> birth_from;    // birth_date >= (inclusive)
  std::optional<std::string> birth_before;  // birth_date < (exclusive)
  std::optional<std::string> sex;           // PDS code

  // Whose rows are candidates at all (the gate narrows before it decides per person):
  enum class Scope {
    kOnePerson,  // only `person` (no one when it is nullopt): a patient's own record
    kTiedTo,     // people with a recorded tie to `org_code`: PDS practice, open GP registration
                 // or open social care event placed on them (as above), the caseload of
                 // (`org_code`, `team`) when `team` is not empty, an open care plan (active or
                 // on-hold, no end date) coordinated by or involving `org_code`; and `person`
  };
  Scope scope = Scope::kOnePerson;
  std::optional<NhsNumber> person;
  std::string org_code;
  std::string team;
};

class PersonDirectory {
 public:
  explicit PersonDirectory(Store& store) : store_(store) {}

  // The person of the current PDS row with row id `patient_id`; nullopt when there is no
  // such row, it is a history row, or its number is not valid.
  StatusOr<std::optional<NhsNumber>> PersonOfPatientId(int64_t patient_id);

  // The person's Patient id and whether they object (PersonStanding), in one query.
  StatusOr<PersonStanding> Standing(const NhsNumber& person);

  // True when the person's current PDS row names `practice` as their practice, or a
  // gp_registrations row placed on the person with gp_practice_code `practice` has no end
  // date.
  StatusOr<bool> IsRegisteredAt(const NhsNumber& person, std::string_view practice);

  // True when a social_care_events row placed on the person with la_code `council` has no end
  // date (an open episode with that council).
  StatusOr<bool> HasOpenSocialCareWith(const NhsNumber& person, std::string_view council);

  // The person the record (row `row_id` of person table `table`) is placed on; nullopt when
  // the row does not exist or is placed on no one.
  StatusOr<std::optional<NhsNumber>> RecordOwner(std::string_view table, int64_t row_id);

  // Calls fn once with the PDS row that speaks for the person (master_index.h: the first
  // current one by row id), or not at all when PDS does not hold them. Columns: the row id, then
  // `pds.fields` in spec order (Text "" and IsNull for absent values).
  Status ReadCurrentPersonRow(const NhsNumber& person, const formats::ExtractSpec& pds,
                              const RowCallback& fn);

  // Which of the person's records ReadPlacedRecords returns: all of them, or those whose
  // `org_column` equals `org` (when org_column is not empty), or the one row `row_id`.
  struct RecordFilter {
    std::string_view org_column;  // "" no organisation filter
    std::string_view org;
    std::optional<int64_t> row_id;
  };
  // Calls fn for every row of person table `spec.table` placed on the person and matching
  // `filter`, in row id order. Columns: the row id, then `spec.fields` in spec order.
  Status ReadPlacedRecords(const NhsNumber& person, const formats::ExtractSpec& spec,
                           const RecordFilter& filter, const RowCallback& fn);

  // The people matching `search`, in Patient id order, at most `limit` of them (ask for one
  // more than you accept to learn that there are more).
  StatusOr<std::vector<NhsNumber>> FindPeople(const PersonSearch& search, int64_t limit);

 private:
  Store& store_;
};

}  // namespace pioneer::store
