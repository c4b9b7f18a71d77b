// The fictional Health and Wellbeing Board area: its council, CCGs, practices, trusts, LSOAs,
// streets, postcodes and care homes.
//
// Everything here is invented and documented as such in docs/synthetic-data.md:
//  * the council "Kirkholme" (ONS code E08000999 - real metropolitan districts stop at
//    E08000037), LSOAs E0190xxxx (real codes stop below E01040000);
//  * ODS codes starting with Z (CCGs Z01-Z03, trusts ZA1/ZA2/ZC1/ZM1, council Z00,
//    practices Z1xxxx);
//  * postcodes in the KH area (no such UK postcode area exists); people who leave move to
//    the equally fictional WH, MH and DF areas.
// Layout: LSOAs of about 1,500 residents on a jittered grid around a city centre;
// deprivation (IMD decile) is highest in the centre and the east, as in many northern cities;
// three CCGs split the area into north, west and south-east; practices sit in LSOAs and
// people register with one of the four nearest, weighted by list popularity.
//
// Thread safety: immutable after Build(); share one Area between generator threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/synth/calendar.h"
#include "pioneer/synth/rng.h"

namespace pioneer::synth {

// The council's ONS code (the organisation of its social care records and staff).
inline constexpr const char* kCouncilCode = "E08000999";

struct Organisation {
  std::string code;
  std::string name;
  std::string type;  // organisation_type code
  std::string parent;
  std::string postcode;
  Day open_date = kNoDay;
  Day close_date = kNoDay;
};

struct Lsoa {
  std::string code;
  std::string name;
  int imd_decile = 5;  // 1 = most deprived
  int ccg = 0;         // index into Area::ccgs()
  double x = 0, y = 0;
  double weight = 1;  // relative residents
  std::vector<int> streets;
  std::array<int, 4> practices{};        // nearest practices (indices)
  std::array<double, 4> practice_cum{};  // cumulative choice weights
  std::vector<int> care_homes;           // care homes located in or near this LSOA
};

struct Street {
  std::string name;
  int lsoa = 0;
  int max_house = 80;
  std::vector<std::string> postcodes;  // unit postcodes along the street
};

struct Practice {
  int organisation = 0;  // index into organisations()
  int lsoa = 0;
  int ccg = 0;
  Day close_date = kNoDay;  // set when the practice merges into `merged_into` in the window
  int merged_into = -1;
};

struct CareHome {
  std::string name;
  int street = 0;
  int house = 1;
  int lsoa = 0;
  bool nursing = false;
};

// Fixed provider roles (indices into Area::providers()).
enum ProviderRole { kMainAcute = 0, kOtherAcute = 1, kCommunityTrust = 2, kMentalHealthTrust = 3 };

class Area {
 public:
  // Builds the area for `population` residents at `window_start`. Deterministic in `seed`.
  static Area Build(uint64_t seed, int64_t population, Day window_start, Day window_end);

  const std::string& la_code() const { return la_code_; }
  const std::string& la_name() const { return la_name_; }
  const std::string& la_ods_code() const { return organisations_[0].code; }
  const std::vector<Organisation>& organisations() const { return organisations_; }
  const std::vector<Lsoa>& lsoas() const { return lsoas_; }
  const std::vector<Street>& streets() const { return streets_; }
  const std::vector<Practice>& practices() const { return practices_; }
  const std::vector<CareHome>& care_homes() const { return care_homes_; }
  // ODS code of a practice / provider role.
  const std::string& practice_code(int practice) const {
    return organisations_[practices_[practice].organisation].code;
  }
  const std::string& provider_code(int role) const { return organisations_[providers_[role]].code; }

  // A residence LSOA, weighted by residents.
  int SampleLsoa(Rng& rng) const;
  // An LSOA near `lsoa` (within-area moves are mostly short).
  int NearbyLsoa(Rng& rng, int lsoa) const;
  // A practice for someone living in `lsoa`.
  int SamplePractice(Rng& rng, int lsoa) const;
  // A street and house number in `lsoa`.
  void SampleAddress(Rng& rng, int lsoa, int* street, int* house) const;
  const std::string& Postcode(int street, int house) const;
  std::string AddressLine(int street, int house) const;
  // A care home for someone from `lsoa`; nursing homes for nursing care.
  int SampleCareHome(Rng& rng, int lsoa, bool nursing) const;
  // A postcode and address outside the area (previous addresses of in-migrants, new
  // addresses of people who leave).
  std::string OutOfAreaPostcode(Rng& rng) const;
  std::string OutOfAreaAddressLine(Rng& rng) const;

 private:
  // Build's steps, in order; each draws from `rng` in turn, so the order is part of the
  // area's determinism.
  void AddOrganisations();
  void PlaceLsoas(Rng& rng, int64_t population);
  void AddStreets(Rng& rng);
  void AddPractices(Rng& rng, int64_t population, Day window_start, Day window_end);
  void AddCareHomes(Rng& rng, int64_t population);

  std::string la_code_;
  std::string la_name_;
  std::vector<Organisation> organisations_;
  std::array<int, 4> providers_{};
  std::vector<int> ccgs_;
  std::vector<Lsoa> lsoas_;
  std::vector<Street> streets_;
  std::vector<Practice> practices_;
  std::vector<CareHome> care_homes_;
  Discrete lsoa_dist_;
};

}  // namespace pioneer::synth
