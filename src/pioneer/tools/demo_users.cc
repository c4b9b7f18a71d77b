// The demo accounts of `pioneer demo --serve` (commands.h, AddDemoUsers). The area is
// synthetic, so the passwords are fixed, printed and documented in README.md; a real
// deployment adds its users with `pioneer users add --password-stdin`.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/ig/role.h"
#include "pioneer/ig/users.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct DemoUser {
  ig::NewUser user;
  std::string password;
  std::string sees;
};

// The practice with the most living people registered (PDS), and that practice's living
// adult with the longest record (most events), so the patient account shows a full history.
struct DemoPeople {
  std::string practice;
  std::optional<NhsNumber> patient;
};

DemoPeople ChoosePeople(const timeline::Timeline& t) {
  const auto& p = t.persons();
  const size_t n = t.person_count();
  std::map<uint32_t, int64_t> living;
  for (size_t i = 0; i < n; ++i) {
    if (p.in_pds[i] && p.death_day[i] == timeline::kNoDate && p.practice[i] != 0) {
      ++living[p.practice[i]];
    }
  }
  DemoPeople out;
  uint32_t best = 0;
  int64_t most = -1;
  for (const auto& [id, count] : living) {
    if (count > most) {
      most = count;
      best = id;
    }
  }
  if (most <= 0) return out;
  out.practice = std::string(t.strings().Get(best));
  // Adults only: the latest event day stands in for "today" (the area's data end).
  int32_t last_day = timeline::kNoDate;
  for (int32_t d : t.events().start_day) last_day = std::max(last_day, d);
  uint64_t longest = 0;
  std::optional<size_t> chosen;
  for (size_t i = 0; i < n; ++i) {
    if (!p.in_pds[i] || p.death_day[i] != timeline::kNoDate || p.practice[i] != best) continue;
    if (p.birth_day[i] == timeline::kNoDate || last_day - p.birth_day[i] < 18 * 366) continue;
    const auto [begin, end] = t.EventRange(static_cast<timeline::PersonIndex>(i));
    if (end - begin > longest) {
      longest = end - begin;
      chosen = i;
    }
  }
  if (chosen) out.patient = NhsNumber::Parse(std::string(p.nhs_number[*chosen]));
  return out;
}

}  // namespace

int AddDemoUsers(const std::string& db, const timeline::Timeline& t, const std::string& la_code) {
  const DemoPeople people = ChoosePeople(t);
  if (people.practice.empty() || !people.patient) {
    std::fprintf(stderr, "pioneer demo: the area has no registered living adult to serve\n");
    return kExitUsage;
  }
  auto make = [](const char* name, ig::Role role, std::string org, std::string sees) {
    DemoUser u;
    u.user.username = name;
    u.user.role = role;
    u.user.org_code = std::move(org);
    u.password = std::string("pioneer-demo-") + std::string(ig::RoleName(role));
    u.sees = std::move(sees);
    return u;
  };
  std::vector<DemoUser> users = {
      make("demo-gp", ig::Role::kGp, people.practice,
           "the full shared record of patients registered at " + people.practice),
      make("demo-nurse", ig::Role::kNurse, people.practice,
           "the same patients as the GP (practice nurse)"),
      make("demo-social-worker", ig::Role::kSocialWorker, la_code,
           "people with an open social care episode at the council " + la_code),
      make("demo-coordinator", ig::Role::kCareCoordinator, la_code,
           "people with an open episode, or an open joint care plan involving the council; "
           "may write care plans"),
      make("demo-analyst", ig::Role::kAnalyst, la_code,
           "aggregates only, small numbers suppressed; no person-level records"),
      make("demo-ig", ig::Role::kIgOfficer, la_code,
           "the audit trail and objections; no clinical records"),
      make(
          "demo-patient", ig::Role::kPatient, people.practice,
          "their own record (NHS Number " + people.patient->digits() + ") and who has accessed it"),
  };
  users.back().user.nhs_number = people.patient;
  auto store = store::Store::OpenExistingSqlite(db);
  if (!store.ok()) {
    std::fprintf(stderr, "pioneer demo: %s\n", store.status().message().c_str());
    return ExitCodeFor(store.status());
  }
  ig::UserDirectory dir(**store);
  std::printf("Demo accounts (synthetic area; passwords for this demo only):\n");
  std::printf("  %-20s %-22s %-17s %s\n", "username", "password", "role", "sees");
  for (const DemoUser& u : users) {
    Status s = dir.Add(u.user, u.password);
    if (!s.ok() && s.code() != StatusCode::kAlreadyExists) {
      std::fprintf(stderr, "pioneer demo: adding %s: %s\n", u.user.username.c_str(),
                   s.message().c_str());
      return ExitCodeFor(s);
    }
    std::printf("  %-20s %-22s %-17s %s\n", u.user.username.c_str(), u.password.c_str(),
                std::string(ig::RoleName(u.user.role)).c_str(), u.sees.c_str());
  }
  return kExitOk;
}

}  // namespace pioneer::tools
