#include "pioneer/ig/gate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "pioneer/careplan/plan_store.h"
#include "pioneer/ig/audit.h"
#include "pioneer/ig/person_records.h"
#include "pioneer/ig/tokens.h"
#include "pioneer/store/person_directory.h"

namespace pioneer::ig {
namespace {

using store::Param;

}  // namespace

std::string_view BasisName(Basis basis) {
  switch (basis) {
    case Basis::kRegisteredPractice:
      return "registered-practice";
    case Basis::kSocialCareEpisode:
      return "social-care-episode";
    case Basis::kTeamCaseload:
      return "team-caseload";
    case Basis::kCareTeam:
      return "care-team";
    case Basis::kBreakGlass:
      return "break-glass";
    case Basis::kSelf:
      return "self";
    case Basis::kIgReview:
      return "ig-review";
  }
  return "unknown";
}

std::string_view PurposeOf(const Principal& who) {
  switch (who.role) {
    case Role::kPatient:
      return "patient-access";
    case Role::kIgOfficer:
      return "audit-review";
    case Role::kAnalyst:
      return "secondary-use";
    default:
      return "direct-care";
  }
}

// An audit entry carrying who asked (user, role, organisation) and for what purpose; the caller
// adds what was done, to whom and with what outcome.
AuditEntry EntryFor(const Principal& who) {
  AuditEntry e;
  e.user_id = who.user_id;
  e.username = who.username;
  e.role = RoleName(who.role);
  e.org_code = who.org_code;
  e.purpose = PurposeOf(who);
  return e;
}

// --- PersonAccess ----------------------------------------------------------------------

PersonAccess::PersonAccess(Gate* gate, const Principal& who, NhsNumber person, Basis basis,
                           bool own_org_only, int64_t patient_id, std::string action)
    : gate_(gate),
      who_(&who),
      person_(std::move(person)),
      basis_(basis),
      own_org_only_(own_org_only),
      org_code_(who.org_code),
      patient_id_(patient_id),
      action_(std::move(action)) {}

PersonAccess::PersonAccess(PersonAccess&& o) noexcept
    : gate_(o.gate_),
      who_(o.who_),
      person_(o.person_),
      basis_(o.basis_),
      own_org_only_(o.own_org_only_),
      org_code_(std::move(o.org_code_)),
      patient_id_(o.patient_id_),
      action_(std::move(o.action_)),
      returned_(std::move(o.returned_)),
      audited_(o.audited_) {
  o.audited_ = true;  // the moved-from object no longer stands for the access
}

PersonAccess::~PersonAccess() {
  if (!audited_ && gate_ != nullptr) {
    Status s = gate_->Audit(*this);
    if (!s.ok()) std::fprintf(stderr, "{\"level\":\"error\",\"event\":\"audit-failed\"}\n");
  }
}

void PersonAccess::NoteReturned(std::string_view type, int64_t n) {
  if (n == 0) return;
  if (!returned_.empty()) returned_ += ' ';
  returned_ += fmt::format("{}:{}", type, n);
}

void PersonAccess::NoteWritten(std::string_view what) {
  if (!returned_.empty()) returned_ += ' ';
  returned_ += fmt::format("wrote:{}", what);
}

void PersonAccess::NoteNotWritten(std::string_view why) {
  if (!returned_.empty()) returned_ += ' ';
  returned_ += fmt::format("not-written:{}", why);
}

// --- Gate ------------------------------------------------------------------------------

StatusOr<bool> Gate::Objects(const NhsNumber& person) {
  bool objects = false;
  Param p[] = {Param::Of(person.digits())};
  PIONEER_RETURN_IF_ERROR(store_.Query("SELECT 1 FROM ig_objections WHERE nhs_number = ?1", p,
                                       [&](const store::RowView&) { objects = true; }));
  return objects;
}

StatusOr<std::optional<Basis>> Gate::Relationship(const Principal& who, const NhsNumber& person) {
  using R = std::optional<Basis>;
  if (who.role == Role::kPatient) {
    if (who.own_nhs_number && *who.own_nhs_number == person) return R(Basis::kSelf);
    return R();
  }
  if (!IsDirectCareRole(who.role)) return R();
  store::PersonDirectory people(store_);
  PIONEER_ASSIGN_OR_RETURN(bool registered, people.IsRegisteredAt(person, who.org_code));
  if (registered) return R(Basis::kRegisteredPractice);
  PIONEER_ASSIGN_OR_RETURN(bool social_care, people.HasOpenSocialCareWith(person, who.org_code));
  if (social_care) return R(Basis::kSocialCareEpisode);
  if (!who.team.empty()) {
    bool on_caseload = false;
    Param p[] = {Param::Of(person.digits()), Param::Of(who.org_code), Param::Of(who.team)};
    PIONEER_RETURN_IF_ERROR(store_.Query(
        "SELECT 1 FROM ig_caseloads WHERE nhs_number = ?1 AND org_code = ?2 AND team = ?3", p,
        [&](const store::RowView&) { on_caseload = true; }));
    if (on_caseload) return R(Basis::kTeamCaseload);
  }
  careplan::PlanFilter plans_of;
  plans_of.nhs_number = person;
  PIONEER_ASSIGN_OR_RETURN(std::vector<careplan::CarePlan> plans,
                           careplan::ListPlans(store_, plans_of));
  for (const careplan::CarePlan& plan : plans) {
    const bool open = (plan.status == careplan::PlanStatus::kActive ||
                       plan.status == careplan::PlanStatus::kOnHold) &&
                      !plan.end_date;
    const bool involved = plan.coordinator_org == who.org_code ||
                          std::find(plan.organisations.begin(), plan.organisations.end(),
                                    who.org_code) != plan.organisations.end();
    if (open && involved) return R(Basis::kCareTeam);
  }
  if (who.grant && who.grant->person == person && who.grant->expires_at > now_) {
    return R(Basis::kBreakGlass);
  }
  return R();
}

StatusOr<std::optional<PersonAccess>> Gate::Decide(const Principal& who, const NhsNumber& person,
                                                   std::string_view action, bool audit_denial) {
  PIONEER_ASSIGN_OR_RETURN(std::optional<Basis> basis, Relationship(who, person));
  if (!basis) {
    if (audit_denial) {
      PIONEER_RETURN_IF_ERROR(AuditOther(who, action, &person, "denied", ""));
    }
    return std::optional<PersonAccess>();
  }
  // Whether the person objects (rule 4) and their Patient id (0 without a PDS record), in one
  // read: a request answers after a handful of point queries, so each one counts.
  PIONEER_ASSIGN_OR_RETURN(store::PersonStanding standing,
                           store::PersonDirectory(store_).Standing(person));
  bool own_org_only = standing.objects && *basis != Basis::kSelf;
  return std::optional<PersonAccess>(PersonAccess(this, who, person, *basis, own_org_only,
                                                  standing.patient_id, std::string(action)));
}

StatusOr<std::optional<PersonAccess>> Gate::Open(const Principal& who, const NhsNumber& person,
                                                 std::string_view action) {
  return Decide(who, person, action, true);
}

StatusOr<std::optional<PersonAccess>> Gate::OpenPatient(const Principal& who, int64_t patient_id,
                                                        std::string_view action) {
  PIONEER_ASSIGN_OR_RETURN(std::optional<NhsNumber> person, PersonOfPatientId(patient_id));
  if (!person) {
    PIONEER_RETURN_IF_ERROR(AuditOther(who, action, nullptr, "denied", ""));
    return std::optional<PersonAccess>();
  }
  return Decide(who, *person, action, true);
}

StatusOr<std::optional<PersonAccess>> Gate::OpenRecordOwner(const Principal& who,
                                                            std::string_view table, int64_t row_id,
                                                            std::string_view action) {
  std::optional<NhsNumber> person;
  if (FindPersonTable(table) != nullptr) {
    PIONEER_ASSIGN_OR_RETURN(person, store::PersonDirectory(store_).RecordOwner(table, row_id));
  }
  if (!person) {
    PIONEER_RETURN_IF_ERROR(AuditOther(who, action, nullptr, "denied", ""));
    return std::optional<PersonAccess>();
  }
  return Decide(who, *person, action, true);
}

StatusOr<std::vector<Gate::RecordOwner>> Gate::OpenRecordOwners(const Principal& who,
                                                                std::string_view table,
                                                                const std::vector<int64_t>& row_ids,
                                                                std::string_view action) {
  std::vector<RecordOwner> out;
  if (row_ids.empty()) return out;
  // Each row's person, as OpenRecordOwner places it; then one decision per person.
  std::vector<std::pair<NhsNumber, std::vector<int64_t>>> people;  // in first-row order
  std::map<std::string, size_t> index;
  int64_t unplaced = 0;
  if (FindPersonTable(table) != nullptr) {
    store::PersonDirectory directory(store_);
    std::vector<int64_t> sorted = row_ids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (int64_t row : sorted) {
      PIONEER_ASSIGN_OR_RETURN(std::optional<NhsNumber> person, directory.RecordOwner(table, row));
      if (!person) {
        ++unplaced;
        continue;
      }
      auto [it, added] = index.emplace(person->digits(), people.size());
      if (added) people.push_back({*person, {}});
      people[it->second].second.push_back(row);
    }
  } else {
    unplaced = static_cast<int64_t>(row_ids.size());
  }
  int64_t denied_people = 0, withheld_rows = unplaced;
  for (auto& [person, rows] : people) {
    PIONEER_ASSIGN_OR_RETURN(std::optional<PersonAccess> access,
                             Decide(who, person, action, false));
    if (!access) {
      ++denied_people;
      withheld_rows += static_cast<int64_t>(rows.size());
      continue;
    }
    out.push_back({std::move(*access), std::move(rows)});
  }
  if (withheld_rows > 0) {
    PIONEER_RETURN_IF_ERROR(AuditOther(who, action, nullptr, "denied",
                                       fmt::format("withheld: people:{} rows:{} (of which on no "
                                                   "person: {})",
                                                   denied_people, withheld_rows, unplaced)));
  }
  return out;
}

StatusOr<std::optional<PersonAccess>> Gate::OpenConsent(const Principal& who, int64_t patient_id,
                                                        std::string_view action) {
  if (who.role != Role::kIgOfficer) return OpenPatient(who, patient_id, action);
  PIONEER_ASSIGN_OR_RETURN(std::optional<NhsNumber> person, PersonOfPatientId(patient_id));
  if (!person) {
    PIONEER_RETURN_IF_ERROR(AuditOther(who, action, nullptr, "denied", ""));
    return std::optional<PersonAccess>();
  }
  return std::optional<PersonAccess>(
      PersonAccess(this, who, *person, Basis::kIgReview, false, patient_id, std::string(action)));
}

bool Gate::MayWrite(const Principal& who, std::string_view type) {
  const std::vector<std::string> types = WritableResourceTypes(who.role);
  return std::find(types.begin(), types.end(), type) != types.end() &&
         ScopesAllowWrite(who.scopes, type);
}

StatusOr<std::optional<PersonAccess>> Gate::OpenForWrite(const Principal& who,
                                                         const NhsNumber& person,
                                                         std::string_view type,
                                                         std::string_view action) {
  if (!MayWrite(who, type)) {
    PIONEER_RETURN_IF_ERROR(AuditOther(who, action, &person, "denied", ""));
    return std::optional<PersonAccess>();
  }
  PIONEER_ASSIGN_OR_RETURN(std::optional<PersonAccess> access, Decide(who, person, action, true));
  if (access && access->basis() == Basis::kBreakGlass) {
    access->audited_ = true;  // nothing was read or written through it
    PIONEER_RETURN_IF_ERROR(
        AuditOther(who, action, &person, "denied", "break-glass grants reading only"));
    return std::optional<PersonAccess>();
  }
  return access;
}

StatusOr<std::optional<PersonAccess>> Gate::OpenPatientForWrite(const Principal& who,
                                                                int64_t patient_id,
                                                                std::string_view type,
                                                                std::string_view action) {
  PIONEER_ASSIGN_OR_RETURN(std::optional<NhsNumber> person, PersonOfPatientId(patient_id));
  if (!person) {
    PIONEER_RETURN_IF_ERROR(AuditOther(who, action, nullptr, "denied", ""));
    return std::optional<PersonAccess>();
  }
  return OpenForWrite(who, *person, type, action);
}

StatusOr<std::optional<NhsNumber>> Gate::PersonOfPatientId(int64_t patient_id) {
  return store::PersonDirectory(store_).PersonOfPatientId(patient_id);
}

StatusOr<std::vector<PersonAccess>> Gate::FindPatients(const Principal& who, const PatientQuery& q,
                                                       std::string_view action) {
  std::vector<PersonAccess> out;
  if (!q.HasCriteria()) {
    return InvalidArgumentError("a Patient search needs at least one search parameter");
  }
  if (q.impossible) return out;
  if (who.role != Role::kPatient && !IsDirectCareRole(who.role)) return out;
  store::PersonSearch search;
  search.nhs_number = q.nhs_number;
  search.patient_id = q.pds_row;
  search.family = q.family;
  search.given = q.given;
  search.name = q.name;
  search.birth_from = q.birth_from;
  search.birth_before = q.birth_before;
  search.sex = q.sex;
  // Narrow to people the user could be related to; the exact rule runs per candidate.
  if (who.role == Role::kPatient) {
    search.scope = store::PersonSearch::Scope::kOnePerson;
    search.person = who.own_nhs_number;
  } else {
    search.scope = store::PersonSearch::Scope::kTiedTo;
    search.org_code = who.org_code;
    search.team = who.team;
    if (who.grant) search.person = who.grant->person;
  }
  PIONEER_ASSIGN_OR_RETURN(std::vector<NhsNumber> candidates,
                           store::PersonDirectory(store_).FindPeople(search, kMaxCandidates + 1));
  if (static_cast<int64_t>(candidates.size()) > kMaxCandidates) {
    return InvalidArgumentError(fmt::format(
        "the search matches too many people (more than {}); add criteria", kMaxCandidates));
  }
  for (const NhsNumber& n : candidates) {
    PIONEER_ASSIGN_OR_RETURN(std::optional<PersonAccess> a, Decide(who, n, action, false));
    if (a) out.push_back(std::move(*a));
  }
  return out;
}

Status Gate::AuthoriseBreakGlass(const Principal& who, const NhsNumber& person,
                                 std::string_view reason, int64_t grant_id) {
  if (!IsDirectCareRole(who.role)) {
    PIONEER_RETURN_IF_ERROR(AuditOther(who, "break-glass", &person, "denied", ""));
    return InvalidArgumentError(
        fmt::format("the {} role cannot break the glass", RoleName(who.role)));
  }
  if (reason.size() < kMinBreakGlassReason) {
    return InvalidArgumentError(fmt::format(
        "a break-glass reason of at least {} characters is required", kMinBreakGlassReason));
  }
  if (grant_id == 0) return OkStatus();  // checked before the grant is stored
  AuditEntry e = EntryFor(who);
  e.action = "break-glass";
  e.basis = "break-glass";
  e.reason = reason;
  e.nhs_number = person;
  e.outcome = "granted";
  e.returned = fmt::format("grant:{}", grant_id);
  return Append(std::move(e));
}

StatusOr<AggregateRelease> Gate::ReleaseAggregates(const Principal& who,
                                                   const AggregateRequest& request) {
  if (!request.show_small_numbers && !request.include_objectors) {
    return AggregateRelease::Published();
  }
  std::string what;
  if (request.show_small_numbers) what = "small numbers shown";
  if (request.include_objectors)
    what += std::string(what.empty() ? "" : ", ") + "objectors included";
  if (request.reason.size() < kMinReleaseReason) {
    return InvalidArgumentError(
        fmt::format("a reason of at least {} characters is required for aggregates with {}",
                    kMinReleaseReason, what));
  }
  if (request.output.empty()) return InvalidArgumentError("the output to be released is not named");
  AuditEntry e = EntryFor(who);
  e.action = "aggregates.release";
  e.reason = request.reason;
  e.returned = fmt::format("{}: {}", request.output, what);
  if (who.role != Role::kIgOfficer) {
    e.basis = "none";
    e.outcome = "denied";
    PIONEER_RETURN_IF_ERROR(Append(std::move(e)));
    return InvalidArgumentError(
        fmt::format("the {} role cannot be given aggregates with {}: only an IG officer may, for "
                    "reconciliation",
                    RoleName(who.role), what));
  }
  e.basis = "reconciliation";
  e.outcome = "granted";
  PIONEER_RETURN_IF_ERROR(Append(std::move(e)));
  return AggregateRelease(!request.show_small_numbers, !request.include_objectors,
                          fmt::format("reconciliation granted by the IG gate to {} '{}' ({})",
                                      RoleName(who.role), who.username, what));
}

Status Gate::Audit(PersonAccess& access) {
  if (access.audited_) return OkStatus();
  access.audited_ = true;
  const Principal& who = *access.who_;
  AuditEntry e = EntryFor(who);
  e.action = access.action_;
  e.basis = BasisName(access.basis_);
  if (access.basis_ == Basis::kBreakGlass && who.grant) e.reason = who.grant->reason;
  e.nhs_number = access.person_;
  e.outcome = access.own_org_only_ ? "permitted-own-organisation-only" : "permitted";
  e.returned = access.returned_;
  return Append(std::move(e));
}

Status Gate::Release(PersonAccess& access) {
  if (access.returned_.empty()) {
    access.audited_ = true;
    return OkStatus();
  }
  return Audit(access);
}

Status Gate::AuditOther(const Principal& who, std::string_view action, const NhsNumber* person,
                        std::string_view outcome, std::string_view returned) {
  AuditEntry e = EntryFor(who);
  e.action = action;
  e.basis = "none";
  if (person) e.nhs_number = *person;
  e.outcome = outcome;
  e.returned = returned;
  return Append(std::move(e));
}

Status Gate::Append(AuditEntry e) {
  if (audit_) return audit_->Append(std::move(e));
  return AuditLog(store_).Append(std::move(e));
}

}  // namespace pioneer::ig
