// Gate: the ONE place that decides who may see which person's records (docs/ig.md).
//
// Every person-level read goes through a PersonAccess, which only the Gate can create, and
// PersonRecords (person_records.h) reads nothing without one. The rules:
//   1. Direct care roles (gp, nurse, social_worker, care_coordinator) see a person only with
//      a legitimate relationship, checked in this order:
//        registered-practice   the person's current PDS practice, or an open GP registration,
//                              is the user's organisation;
//        social-care-episode   the person has an open social care event (no end date) with
//                              the user's organisation (its council code);
//        team-caseload         the person is on the caseload of the user's team
//                              (ig_caseloads, organisation + team);
//        care-team             the person has an open joint care plan (active or on-hold, no
//                              end date) that involves the user's organisation (as one of
//                              its organisations or the coordinator's employer);
//        break-glass           the user's token carries an unexpired grant for the person.
//   2. A patient account sees only the person it is bound to (basis "self").
//   3. Analysts never get a PersonAccess (aggregates are served without person-level
//      records). IG officers get one only from OpenConsent (basis ig-review), through which
//      PersonRecords discloses no records at all: only the person's objection
//      (objections.h) is read through it.
//   4. Objection: when the person has objected to sharing (ig_objections), a PersonAccess
//      for a user of another organisation discloses only the records held by the user's own
//      organisation (PersonAccess::own_org_only); demographics stay visible to a user with a
//      relationship so the person can be identified.
//   5. No existence leaks: Open returns nullopt both when the person does not exist and when
//      the user may not see them; searches count only people the user may see.
//   6. Every decision is audited (audit.h): a permitted access when its PersonAccess is
//      audited or destroyed (with what was returned or written), a denial at once.
//   7. Writing (OpenForWrite): only a role that may write the resource type
//      (WritableResourceTypes, role.h) holding a write scope for it (ScopesAllowWrite), with
//      a legitimate relationship of rule 1 other than break-glass (a grant is for reading
//      in an emergency, not for changing the record). Analysts, IG officers and patients
//      (for care plans) are refused before any person is looked at.
//   8. Aggregates for secondary use (ReleaseAggregates, aggregate_release.h): everyone gets
//      them published (small numbers suppressed, objectors excluded); only an IG officer,
//      with a reason of at least kMinReleaseReason characters, may be granted a release with
//      small numbers shown or objectors included, for reconciliation. Grants and refusals
//      are audited (action "aggregates.release").
// Errors: the store's errors only; "not allowed" is never an error.
// Thread safety: one Gate per Store connection (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/ig/aggregate_release.h"
#include "pioneer/ig/audit.h"
#include "pioneer/ig/patient_query.h"
#include "pioneer/ig/principal.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

class Gate;

enum class Basis {
  kRegisteredPractice,
  kSocialCareEpisode,
  kTeamCaseload,
  kCareTeam,
  kBreakGlass,
  kSelf,
  kIgReview  // the IG officer reading a person's objection (Consent) only
};
std::string_view BasisName(Basis basis);

// The gated-read type: permission to read one person's records for one request.
// Move-only; audited exactly once (Gate::Audit, or on destruction).
class PersonAccess {
 public:
  PersonAccess(PersonAccess&& other) noexcept;
  PersonAccess& operator=(PersonAccess&&) = delete;
  PersonAccess(const PersonAccess&) = delete;
  ~PersonAccess();

  const NhsNumber& person() const { return person_; }
  Basis basis() const { return basis_; }
  // True when the person objects and the user is from another organisation: only records
  // held by `org_code()` may be disclosed.
  bool own_org_only() const { return own_org_only_; }
  const std::string& org_code() const { return org_code_; }
  // The person's Patient id (the PDS row), 0 when the person has no PDS record.
  int64_t patient_id() const { return patient_id_; }
  // Records that `n` resources of `type` were returned (for the audit entry).
  void NoteReturned(std::string_view type, int64_t n);
  // Records what was written, e.g. "CarePlan/cp-3/_history/2" (for the audit entry).
  void NoteWritten(std::string_view what);
  // Records that a write was refused after the gate permitted it, and why
  // ("version-mismatch"), so the audit entry does not read as a silent permitted access.
  void NoteNotWritten(std::string_view why);

 private:
  friend class Gate;
  PersonAccess(Gate* gate, const Principal& who, NhsNumber person, Basis basis, bool own_org_only,
               int64_t patient_id, std::string action);

  Gate* gate_;
  const Principal* who_;
  NhsNumber person_;
  Basis basis_;
  bool own_org_only_;
  std::string org_code_;
  int64_t patient_id_;
  std::string action_;
  std::string returned_;
  bool audited_ = false;
};

class Gate {
 public:
  // Audit entries go to `audit` when given (the server's group-commit writer), else they are
  // appended on `store` itself.
  Gate(store::Store& store, int64_t now, AuditSink* audit = nullptr)
      : store_(store), now_(now), audit_(audit) {}

  // Access to one person for `action` (e.g. "Patient.read"), or nullopt.
  StatusOr<std::optional<PersonAccess>> Open(const Principal& who, const NhsNumber& person,
                                             std::string_view action);
  // Access to the person whose Patient id (PDS row id) is given, or nullopt.
  StatusOr<std::optional<PersonAccess>> OpenPatient(const Principal& who, int64_t patient_id,
                                                    std::string_view action);
  // Access to the person a stored record (table, row id) is placed on, or nullopt.
  StatusOr<std::optional<PersonAccess>> OpenRecordOwner(const Principal& who,
                                                        std::string_view table, int64_t row_id,
                                                        std::string_view action);
  // Every person matching the query that the user may see, in Patient id order.
  // kInvalidArgument when the query has no criteria or matches more than kMaxCandidates
  // people the user could be related to (narrow the search).
  StatusOr<std::vector<PersonAccess>> FindPatients(const Principal& who, const PatientQuery& q,
                                                   std::string_view action);
  static constexpr int64_t kMaxCandidates = 20000;

  // Access to one person's Consent (objection) for `action`: the IG officer (basis
  // ig-review, for any person), otherwise as Open. nullopt when not allowed.
  StatusOr<std::optional<PersonAccess>> OpenConsent(const Principal& who, int64_t patient_id,
                                                    std::string_view action);

  // Whether the role and scopes of `who` allow writing resources of `type` at all (the
  // first half of rule 7; no person is looked at). Handlers answer 403 when false.
  static bool MayWrite(const Principal& who, std::string_view type);
  // Permission to write `type` records of one person (rule 7), or nullopt (also when the
  // role or scopes do not allow it). Denials are audited. `action` e.g. "CarePlan.create".
  StatusOr<std::optional<PersonAccess>> OpenForWrite(const Principal& who, const NhsNumber& person,
                                                     std::string_view type,
                                                     std::string_view action);
  // As OpenForWrite, for the person whose Patient id (PDS row id) is given; an unknown id and
  // a person without a relationship both give nullopt.
  StatusOr<std::optional<PersonAccess>> OpenPatientForWrite(const Principal& who,
                                                            int64_t patient_id,
                                                            std::string_view type,
                                                            std::string_view action);

  // Whether `who` may break the glass for a person: direct care roles only, with a reason of
  // at least kMinBreakGlassReason characters. Never depends on whether the person exists.
  // Audits the grant (or the refusal). kInvalidArgument with the reason when refused.
  Status AuthoriseBreakGlass(const Principal& who, const NhsNumber& person, std::string_view reason,
                             int64_t grant_id);

  // Rule 8: what an aggregate output may contain for `who`. A request for both protections
  // (the default AggregateRequest) is Published() and is not audited. Otherwise only the IG
  // officer role, with a reason of at least kMinReleaseReason characters and a named output,
  // gets the release asked for, and the grant is audited; any other role is refused with
  // kInvalidArgument (audited as denied), as is a short reason (not audited: nothing was
  // asked of the gate yet).
  StatusOr<AggregateRelease> ReleaseAggregates(const Principal& who,
                                               const AggregateRequest& request);
  static constexpr size_t kMinReleaseReason = 10;

  // Writes the access's audit entry (once). Call before sending what it disclosed.
  Status Audit(PersonAccess& access);
  // Ends an access through which nothing was read (e.g. a search match outside the page
  // returned) without an audit entry; one through which something was read is audited.
  Status Release(PersonAccess& access);
  // Audits an access that concerned no single permitted person (a denial, an audit-trail
  // search, an aggregate query). `person` may be null.
  Status AuditOther(const Principal& who, std::string_view action, const NhsNumber* person,
                    std::string_view outcome, std::string_view returned);

  // Does the person object to sharing?
  StatusOr<bool> Objects(const NhsNumber& person);

  store::Store& store() { return store_; }

 private:
  StatusOr<std::optional<Basis>> Relationship(const Principal& who, const NhsNumber& person);
  StatusOr<std::optional<PersonAccess>> Decide(const Principal& who, const NhsNumber& person,
                                               std::string_view action, bool audit_denial);
  StatusOr<std::optional<NhsNumber>> PersonOfPatientId(int64_t patient_id);

  Status Append(AuditEntry e);

  store::Store& store_;
  int64_t now_;
  AuditSink* audit_;
};

// Purpose recorded in the audit trail for a principal's accesses.
std::string_view PurposeOf(const Principal& who);

}  // namespace pioneer::ig
