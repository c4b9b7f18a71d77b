#include "pioneer/ig/gate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "pioneer/careplan/plan_store.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/ig/audit.h"
#include "pioneer/ig/person_records.h"
#include "pioneer/ig/tokens.h"
#include "pioneer/store/master_index.h"
#include "pioneer/store/record_links.h"

namespace pioneer::ig {
namespace {

using store::Param;

// LIKE pattern for "starts with `s`", escaping the wildcards (ESCAPE '\').
std::string StartsWithPattern(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

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

namespace {

// The NHS Number a stored record (?1 = table, ?2 = row id) is placed on: its usable traced
// number, else its own valid one; NULL when neither. `table` must be a person table.
std::string RecordOwnerSql(std::string_view table, const store::SqlDialect& d) {
  return fmt::format(
      "SELECT coalesce((SELECT l.traced_nhs_number FROM record_links l WHERE l.source_table = ?1 "
      "AND l.row_id = ?2 AND {}), CASE WHEN t.nhs_number_status = 'valid' THEN t.nhs_number END) "
      "FROM \"{}\" t WHERE {} = ?2",
      store::UsableLinkSql("l"), table, d.RowId("t"));
}

}  // namespace

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
  bool found = false;
  auto hit = [&](const store::RowView&) { found = true; };
  Param p[] = {Param::Of(person.digits()), Param::Of(who.org_code), Param::Of(who.team)};
  PIONEER_RETURN_IF_ERROR(store_.Query(
      fmt::format("SELECT 1 FROM {} WHERE nhs_number = ?1 AND {} AND gp_practice_code = ?2 "
                  "UNION ALL SELECT 1 FROM gp_registrations WHERE {} IN ({}) AND "
                  "gp_practice_code = ?2 AND registration_end_date IS NULL LIMIT 1",
                  formats::kMasterIndexTable, store::CurrentPersonRowSql(""),
                  store_.dialect().RowIdColumn(),
                  PlacedRowsSql("gp_registrations", store_.dialect())),
      std::span<const Param>(p, 2), hit));
  if (found) return R(Basis::kRegisteredPractice);
  PIONEER_RETURN_IF_ERROR(store_.Query(
      fmt::format("SELECT 1 FROM social_care_events WHERE {} IN ({}) AND la_code = ?2 AND "
                  "event_end_date IS NULL LIMIT 1",
                  store_.dialect().RowIdColumn(),
                  PlacedRowsSql("social_care_events", store_.dialect())),
      std::span<const Param>(p, 2), hit));
  if (found) return R(Basis::kSocialCareEpisode);
  if (!who.team.empty()) {
    PIONEER_RETURN_IF_ERROR(store_.Query(
        "SELECT 1 FROM ig_caseloads WHERE nhs_number = ?1 AND org_code = ?2 AND team = ?3", p,
        hit));
    if (found) return R(Basis::kTeamCaseload);
  }
  careplan::PlanFilter plans_of;
  plans_of.nhs_number = person.digits();
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
  bool objects = false;
  int64_t patient_id = 0;
  Param p[] = {Param::Of(person.digits())};
  PIONEER_RETURN_IF_ERROR(store_.Query(
      fmt::format("SELECT EXISTS (SELECT 1 FROM ig_objections WHERE nhs_number = ?1), "
                  "coalesce((SELECT {0} FROM {1} WHERE nhs_number = ?1 AND {2} ORDER BY {0} "
                  "DESC LIMIT 1), 0)",
                  store_.dialect().RowIdColumn(), formats::kMasterIndexTable,
                  store::CurrentPersonRowSql("")),
      p, [&](const store::RowView& r) {
        objects = r.Int(0) != 0;
        patient_id = r.Int(1);
      }));
  bool own_org_only = objects && *basis != Basis::kSelf;
  return std::optional<PersonAccess>(
      PersonAccess(this, who, person, *basis, own_org_only, patient_id, std::string(action)));
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
    Param p[] = {Param::Of(table), Param::Of(row_id)};
    PIONEER_RETURN_IF_ERROR(
        store_.Query(RecordOwnerSql(table, store_.dialect()), p, [&](const store::RowView& r) {
          if (!r.IsNull(0)) person = NhsNumber::Parse(r.Text(0));
        }));
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
    const std::string sql = RecordOwnerSql(table, store_.dialect());
    std::vector<int64_t> sorted = row_ids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (int64_t row : sorted) {
      Param p[] = {Param::Of(table), Param::Of(row)};
      std::optional<NhsNumber> person;
      PIONEER_RETURN_IF_ERROR(store_.Query(sql, p, [&](const store::RowView& r) {
        if (!r.IsNull(0)) person = NhsNumber::Parse(r.Text(0));
      }));
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
  std::optional<NhsNumber> person;
  Param p[] = {Param::Of(patient_id)};
  PIONEER_RETURN_IF_ERROR(store_.Query(
      fmt::format("SELECT nhs_number FROM {} WHERE {} = ?1 AND {}", formats::kMasterIndexTable,
                  store_.dialect().RowIdColumn(), store::CurrentPersonRowSql("")),
      p, [&](const store::RowView& r) { person = NhsNumber::Parse(r.Text(0)); }));
  return person;
}

StatusOr<std::vector<PersonAccess>> Gate::FindPatients(const Principal& who, const PatientQuery& q,
                                                       std::string_view action) {
  std::vector<PersonAccess> out;
  if (!q.HasCriteria()) {
    return InvalidArgumentError("a Patient search needs at least one search parameter");
  }
  if (q.impossible) return out;
  if (who.role != Role::kPatient && !IsDirectCareRole(who.role)) return out;
  std::vector<Param> params;
  auto param = [&](Param p) {
    params.push_back(std::move(p));
    return fmt::format("?{}", params.size());
  };
  const std::string prow = store_.dialect().RowId("p");
  std::string sql = fmt::format("SELECT {}, p.nhs_number FROM {} p WHERE {}", prow,
                                formats::kMasterIndexTable, store::CurrentPersonRowSql("p"));
  if (q.nhs_number) sql += " AND p.nhs_number = " + param(Param::Of(q.nhs_number->digits()));
  if (q.pds_row) sql += " AND " + prow + " = " + param(Param::Of(*q.pds_row));
  for (const std::string& f : q.family) {
    sql += " AND p.family_name LIKE " + param(Param::Of(StartsWithPattern(f))) + " ESCAPE '\\'";
  }
  for (const std::string& g : q.given) {
    std::string ph = param(Param::Of(StartsWithPattern(g)));
    sql += fmt::format(
        " AND (p.given_name LIKE {0} ESCAPE '\\' OR p.other_given_name LIKE {0} ESCAPE '\\')", ph);
  }
  for (const std::string& n : q.name) {
    std::string ph = param(Param::Of(StartsWithPattern(n)));
    sql += fmt::format(
        " AND (p.family_name LIKE {0} ESCAPE '\\' OR p.given_name LIKE {0} ESCAPE '\\' OR "
        "p.other_given_name LIKE {0} ESCAPE '\\')",
        ph);
  }
  if (q.birth_from) sql += " AND p.birth_date >= " + param(Param::Of(*q.birth_from));
  if (q.birth_before) sql += " AND p.birth_date < " + param(Param::Of(*q.birth_before));
  if (q.sex) sql += " AND p.sex = " + param(Param::Of(*q.sex));
  // Narrow to people the user could be related to; the exact rule runs per candidate.
  if (who.role == Role::kPatient) {
    sql += " AND p.nhs_number = " +
           param(Param::Of(who.own_nhs_number ? who.own_nhs_number->digits() : std::string()));
  } else {
    std::string org = param(Param::Of(who.org_code));
    std::string team = param(Param::Of(who.team));
    std::string grant = param(Param::Of(who.grant ? who.grant->person.digits() : std::string()));
    auto related_via = [&](std::string_view table, std::string_view condition) {
      return fmt::format(
          " OR p.nhs_number IN (SELECT t.nhs_number FROM {0} t WHERE {1} AND "
          "t.nhs_number_status = 'valid') OR p.nhs_number IN (SELECT l.traced_nhs_number FROM "
          "record_links l JOIN {0} t ON l.source_table = '{0}' AND {3} = l.row_id WHERE {1} "
          "AND {2})",
          table, condition, store::UsableLinkSql("l"), store_.dialect().RowId("t"));
    };
    sql += " AND (p.gp_practice_code = " + org +
           related_via(
               "gp_registrations",
               fmt::format("t.gp_practice_code = {} AND t.registration_end_date IS NULL", org)) +
           related_via("social_care_events",
                       fmt::format("t.la_code = {} AND t.event_end_date IS NULL", org)) +
           fmt::format(
               " OR p.nhs_number IN (SELECT nhs_number FROM ig_caseloads WHERE org_code "
               "= {} AND team = {} AND team != '')",
               org, team) +
           // Open care plans involving the organisation (the care-team rule; organisations
           // are stored ';'-separated, careplan/plan_store.h).
           fmt::format(
               " OR p.nhs_number IN (SELECT nhs_number FROM care_plans WHERE status IN "
               "('active', 'on-hold') AND end_date IS NULL AND (coordinator_org = {0} OR ';' || "
               "organisations || ';' LIKE '%;' || {0} || ';%'))",
               org) +
           " OR p.nhs_number = " + grant + ")";
  }
  sql += fmt::format(" ORDER BY {} LIMIT {}", prow, kMaxCandidates + 1);
  std::vector<NhsNumber> candidates;
  PIONEER_RETURN_IF_ERROR(store_.Query(sql, params, [&](const store::RowView& r) {
    if (auto n = NhsNumber::Parse(r.Text(1))) candidates.push_back(*n);
  }));
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
  e.nhs_number = person.digits();
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
  e.nhs_number = access.person_.digits();
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
  if (person) e.nhs_number = person->digits();
  e.outcome = outcome;
  e.returned = returned;
  return Append(std::move(e));
}

Status Gate::Append(AuditEntry e) {
  if (audit_) return audit_->Append(std::move(e));
  return AuditLog(store_).Append(std::move(e));
}

}  // namespace pioneer::ig
