// PersonRecords: reads one person's stored records, and nothing without a PersonAccess.
//
// Placement follows the person timeline's rule (ARCHITECTURE.md): a row belongs to the
// person of its traced NHS Number when `pioneer link` left a usable link for it
// (decision automatic or accepted), otherwise to the person of its own valid NHS Number.
// Reads are indexed point queries (the extract tables' NHS Number indexes and record_links'
// traced-number index), so they are real-time against the store. When the access is
// own_org_only (an objection), rows held by other organisations are left out. Every read is
// noted on the access for its audit entry ("pds:1 apc_episodes:4").
// An ig-review access (the IG officer's, gate.h) discloses nothing here: every read answers
// as if the person had no records.
// Errors: the store's errors; kInvalidArgument for a table that holds no person records.
// Thread safety: one PersonRecords per Store connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/careplan/care_plan.h"
#include "pioneer/careplan/plan_store.h"
#include "pioneer/documents/document_store.h"
#include "pioneer/ig/gate.h"
#include "pioneer/ig/source_row.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

// A person-level extract table and the column naming the organisation holding each row.
struct PersonTable {
  std::string_view table;
  std::string_view org_column;
};
// gp_registrations, gp_events, apc_episodes, ae_attendances, op_appointments,
// community_contacts, mh_contacts, social_care_events, and the saved risk strata
// (risk_strata, held by the person's practice).
const std::vector<PersonTable>& PersonTables();
const PersonTable* FindPersonTable(std::string_view table);

class PersonRecords {
 public:
  explicit PersonRecords(store::Store& store) : store_(store) {}

  // The person's current PDS row, or nullopt when PDS does not hold them.
  StatusOr<std::optional<SourceRow>> Demographics(PersonAccess& access);
  // Every disclosable record of the person in `table`, in row order.
  StatusOr<std::vector<SourceRow>> Records(PersonAccess& access, std::string_view table);
  // One record, if it is the person's and disclosable; nullopt otherwise.
  StatusOr<std::optional<SourceRow>> Record(PersonAccess& access, std::string_view table,
                                            int64_t row_id);
  // The person's joint care plans (current versions, by plan id). When the access is
  // own_org_only, only plans the user's organisation is involved in.
  StatusOr<std::vector<careplan::CarePlan>> CarePlans(PersonAccess& access);
  // The versions of one of the person's plans (care_plan_history, oldest first) that may be
  // disclosed: none when the plan is not (now) the person's or, under own_org_only, does not
  // involve the user's organisation; versions recorded for another person or, under
  // own_org_only, not involving the organisation are left out.
  StatusOr<std::vector<careplan::PlanVersion>> CarePlanHistory(PersonAccess& access,
                                                               int64_t plan_id);
  // The person's documents from other organisations (documents/document_store.h) of `type`
  // ("" for all), current versions. Under own_org_only, only those the user's organisation
  // holds.
  StatusOr<std::vector<documents::Document>> Documents(PersonAccess& access, std::string_view type);
  // The versions of one document (oldest first) when it is the person's and disclosable
  // (as above); empty otherwise.
  StatusOr<std::vector<documents::Document>> DocumentHistory(PersonAccess& access, int64_t doc_id);

 private:
  StatusOr<std::vector<SourceRow>> Select(PersonAccess& access, std::string_view table,
                                          std::optional<int64_t> row_id);
  store::Store& store_;
};

}  // namespace pioneer::ig
