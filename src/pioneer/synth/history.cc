#include "pioneer/synth/history.h"

namespace pioneer::synth {

void PersonHistory::Clear() {
  index = 0;
  entry = EntryKind::kResident;
  entry_day = kNoDay;
  exit = ExitKind::kNone;
  exit_day = kNoDay;
  sex = 1;
  birth = 0;
  origin = NameOrigin::kBritish;
  given_name.clear();
  other_given_name.clear();
  name_periods.clear();
  address_periods.clear();
  registrations.clear();
  conditions = 0;
  latent_risk = 0;
  known_to_council = false;
  duplicate_council_record = false;
  duplicate_from = kNoDay;
  council_first_contact = kNoDay;
  spells.clear();
  ae.clear();
  op.clear();
  community.clear();
  mh.clear();
  gp.clear();
  social_care.clear();
}

const AddressPeriod& PersonHistory::AddressOn(Day d) const {
  size_t i = 0;
  while (i + 1 < address_periods.size() && address_periods[i + 1].from <= d) ++i;
  return address_periods[i];
}

const std::string& PersonHistory::FamilyNameOn(Day d) const {
  size_t i = 0;
  while (i + 1 < name_periods.size() && name_periods[i + 1].from <= d) ++i;
  return name_periods[i].family_name;
}

int PersonHistory::PracticeOn(Day d) const {
  for (const Registration& r : registrations) {
    if (r.start <= d && (r.end == kNoDay || d < r.end)) return r.practice;
  }
  return -1;
}

}  // namespace pioneer::synth
