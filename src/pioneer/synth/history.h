// PersonHistory: everything that happened to one synthetic person, as the simulator
// (simulator.h) produces it and before any extract formatting or data-quality faults
// (extract_writer.h). Dates are Day values; codes are pointers to static strings.
//
// Invariants the simulator maintains (checked in tests through the written files):
//  * spells do not overlap; within a spell, episodes are contiguous and in order;
//  * name_periods and address_periods are sorted by `from`, the first starting at or before
//    the person's first activity;
//  * no activity after `exit_day` (death or leaving), except faults added by the writer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/synth/area.h"
#include "pioneer/synth/calendar.h"
#include "pioneer/synth/conditions.h"
#include "pioneer/synth/names.h"

namespace pioneer::synth {

enum class EntryKind { kResident, kBirth, kInMigrant };
enum class ExitKind { kNone, kDied, kLeftArea };

struct NamePeriod {
  Day from;
  std::string family_name;
};

struct AddressPeriod {
  Day from;
  int lsoa = -1;       // -1 outside the area
  int care_home = -1;  // index into Area::care_homes(), or -1
  std::string postcode;
  std::string line1;
};

struct Registration {
  int practice;
  Day start;
  Day end = kNoDay;
  const char* reason = nullptr;  // deregistration_reason code
};

struct Episode {
  Day start = 0;
  Day end = kNoDay;  // kNoDay: unfinished at the end of the extract
  const char* specialty = nullptr;
  const char* diag[6] = {};
  const char* cause = nullptr;
  const char* opertn[3] = {};
};

struct Spell {
  Day admission = 0;
  Day discharge = kNoDay;  // kNoDay: still in hospital at the end of the extract
  Day ready = kNoDay;      // discharge_ready_date: emergency spells, and delayed electives
  int provider = kMainAcute;
  const char* method = nullptr;
  const char* source = nullptr;
  const char* classpat = "1";
  const char* epitype = "1";
  const char* discharge_method = nullptr;
  const char* discharge_destination = nullptr;
  const char* delay_agency = nullptr;
  const char* delay_reason = nullptr;
  int age_code = 0;  // STARTAGE: years, or 7001-7007 for infants
  int n_episodes = 1;
  Episode episodes[3];
};

struct AeAttendance {
  Day arrival;
  Day departure;
  int provider;
  const char* arrival_mode;
  const char* department_type;
  const char* category;
  const char* complaint;
  const char* disposal;
};

struct OpAppointment {
  Day date;
  int provider;
  const char* specialty;
  bool first;
  const char* attended;
};

struct CommunityContact {
  Day date;
  const char* team;
  const char* location;
  const char* attended;
  int referral;  // per-person referral sequence number
};

struct MhContact {
  Day date;
  const char* team;
  const char* attended;
  bool in_hospital_ok = false;  // liaison psychiatry happens on the ward
};

struct GpEvent {
  Day date;
  const char* snomed;
  double value = -1;  // < 0: no value
};

struct ScEvent {
  const char* type;  // asc_event_type
  const char* service = nullptr;
  const char* term = nullptr;
  const char* route = nullptr;
  Day start;
  Day end = kNoDay;
  double weekly_cost = -1;
  const char* funding = nullptr;
  const char* outcome = nullptr;
};

struct PersonHistory {
  uint64_t index = 0;
  EntryKind entry = EntryKind::kResident;
  Day entry_day = kNoDay;  // birth or arrival; kNoDay for residents at the window start
  ExitKind exit = ExitKind::kNone;
  Day exit_day = kNoDay;  // death or departure
  int sex = 1;
  Day birth = 0;
  NameOrigin origin = NameOrigin::kBritish;
  std::string given_name;
  std::string other_given_name;
  std::vector<NamePeriod> name_periods;
  std::vector<AddressPeriod> address_periods;
  std::vector<Registration> registrations;
  ConditionSet conditions = 0;  // at the end of the simulation
  double latent_risk = 0;
  bool known_to_council = false;
  bool duplicate_council_record = false;  // a second client id from `duplicate_from`
  Day duplicate_from = kNoDay;
  Day council_first_contact = kNoDay;

  std::vector<Spell> spells;
  std::vector<AeAttendance> ae;
  std::vector<OpAppointment> op;
  std::vector<CommunityContact> community;
  std::vector<MhContact> mh;
  std::vector<GpEvent> gp;
  std::vector<ScEvent> social_care;

  void Clear();
  // The address / surname / registered practice in force on day d (the first period if d is
  // before it). Practice is -1 when not registered on d.
  const AddressPeriod& AddressOn(Day d) const;
  const std::string& FamilyNameOn(Day d) const;
  int PracticeOn(Day d) const;
  bool Died() const { return exit == ExitKind::kDied; }
};

}  // namespace pioneer::synth
