#include "pioneer/synth/area.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace pioneer::synth {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Letters used in the inward part of real postcodes (C, I, K, M, O, V are never used).
constexpr char kUnitLetters[] = "ABDEFGHJLNPQRSTUWXYZ";
constexpr int kUnitLetterCount = 20;

constexpr const char* kStreetRoots[] = {
    "Mill",     "Church",   "Station",  "Park",      "Victoria",  "Albert", "Chapel",
    "School",   "North",    "South",    "High",      "Green",     "Manor",  "Springfield",
    "Oak",      "Beech",    "Elm",      "Ash",       "Holly",     "Willow", "Meadow",
    "Moor",     "Hill",     "Valley",   "River",     "Bridge",    "Canal",  "Queen's",
    "King's",   "Princess", "York",     "Harrogate", "Wakefield", "Otley",  "Aire",
    "Wharfe",   "Calder",   "Cross",    "Quarry",    "Kirk",      "Town",   "Low",
    "Cliff",    "Grange",   "Hall",     "Cottage",   "Farm",      "Well",   "Spring",
    "Wood",     "Forest",   "Heather",  "Bank",      "Croft",     "Fold",   "Garth",
    "Ings",     "Lidgett",  "Carr",     "Westfield", "Eastfield", "Back",   "Commercial",
    "Chestnut", "Rowan",    "Sycamore", "Larch",     "Primrose",  "Clover", "Laburnum",
};
constexpr const char* kStreetTypes[] = {
    "Road", "Street",  "Lane",  "Avenue", "Close", "Crescent", "Drive", "Grove", "Terrace",
    "Way",  "Gardens", "Court", "Place",  "Rise",  "View",     "Mount", "Walk",  "Fold"};

constexpr const char* kPlaceWords[] = {
    "Moorside",  "Beechwood",   "Highfield", "Oakwood",    "Thornhill",  "Westgate",   "Eastmoor",
    "Kirkgate",  "Northcliffe", "Rosebank",  "Brookfield", "Ashgrove",   "Fairfield",  "Greenhill",
    "Millbrook", "Parkside",    "Riverside", "Woodhouse",  "Hollybank",  "Stonegate",  "Heathfield",
    "Lindley",   "Calderdale",  "Airedale",  "Holmfirth",  "Meanwood",   "Roundhay",   "Seacroft",
    "Armley",    "Bramley",     "Beeston",   "Hunslet",    "Chapeltown", "Headingley", "Horsforth",
    "Pudsey",    "Rothwell",    "Garforth",  "Wetherby",   "Morley"};
constexpr const char* kPracticeSuffixes[] = {"Surgery", "Medical Centre", "Health Centre",
                                             "Medical Practice", "Family Practice"};
constexpr const char* kCareHomeNames[] = {
    "Oakwood House", "The Beeches", "Meadowbank",  "St Anne's",    "Ashfield Lodge",
    "Moorview",      "The Laurels", "Rose Court",  "Hollybank",    "Fernlea",
    "Elmhurst",      "The Grange",  "Cedar Lodge", "Willow Court", "Springfield House",
    "Abbeyfield",    "Brookside",   "Parkview",    "Heather Lea",  "Sunnyside"};
constexpr const char* kOutAreas[] = {"WH", "MH", "DF"};

// National-like skew of deprivation deciles for a northern city: a fifth of LSOAs in the
// most deprived decile nationally (Leeds: 22% in 2015).
constexpr double kDecileShare[10] = {0.20, 0.12, 0.10, 0.09, 0.08, 0.08, 0.08, 0.08, 0.08, 0.09};

std::string UnitPostcode(const std::string& sector, int unit) {
  std::string pc = sector;
  pc.push_back(kUnitLetters[(unit / kUnitLetterCount) % kUnitLetterCount]);
  pc.push_back(kUnitLetters[unit % kUnitLetterCount]);
  return pc;
}

}  // namespace

Area Area::Build(uint64_t seed, int64_t population, Day window_start, Day window_end) {
  Area a;
  Rng rng = Rng::ForStream(seed, Stream::kArea, 0);
  a.la_code_ = kCouncilCode;
  a.la_name_ = "Kirkholme";
  a.AddOrganisations();
  a.PlaceLsoas(rng, population);
  a.AddStreets(rng);
  a.AddPractices(rng, population, window_start, window_end);
  a.AddCareHomes(rng, population);
  return a;
}

// The council, the CCGs and the trusts. Practices are appended by AddPractices.
void Area::AddOrganisations() {
  organisations_.push_back({"Z00", "Kirkholme City Council", "local_authority", "", "KH1 1AA",
                            DaysFromCivil(1974, 4, 1), kNoDay});
  const char* ccg_names[3] = {"NHS Kirkholme North CCG", "NHS Kirkholme West CCG",
                              "NHS Kirkholme South and East CCG"};
  for (int c = 0; c < 3; ++c) {
    ccgs_.push_back(static_cast<int>(organisations_.size()));
    organisations_.push_back({fmt::format("Z0{}", c + 1), ccg_names[c], "ccg", "", "",
                              DaysFromCivil(2013, 4, 1), kNoDay});
  }
  struct TrustDef {
    const char* code;
    const char* name;
    const char* type;
  };
  const TrustDef trusts[4] = {
      {"ZA1", "Kirkholme Teaching Hospitals NHS Trust", "acute_trust"},
      {"ZA2", "Calderbridge and District Hospitals NHS Foundation Trust", "acute_trust"},
      {"ZC1", "Kirkholme Community Healthcare NHS Trust", "community_trust"},
      {"ZM1", "Kirkholme and Calder Partnership NHS Foundation Trust", "mental_health_trust"}};
  for (int t = 0; t < 4; ++t) {
    providers_[t] = static_cast<int>(organisations_.size());
    organisations_.push_back({trusts[t].code, trusts[t].name, trusts[t].type, "", "",
                              DaysFromCivil(1992, 4, 1), kNoDay});
  }
}

// LSOAs on a jittered grid, each in a CCG by its bearing from the centre and given an IMD
// decile by a deprivation score falling away from the centre.
void Area::PlaceLsoas(Rng& rng, int64_t population) {
  const int lsoa_count = static_cast<int>(std::max<int64_t>(2, (population + 750) / 1500));
  const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(lsoa_count))));
  lsoas_.resize(lsoa_count);
  std::vector<double> deprivation(lsoa_count);
  for (int i = 0; i < lsoa_count; ++i) {
    Lsoa& l = lsoas_[i];
    l.x = (i % side + 0.5 + 0.6 * (rng.Uniform() - 0.5)) / side;
    l.y = (i / side + 0.5 + 0.6 * (rng.Uniform() - 0.5)) / side;
    l.weight = 0.8 + 0.45 * rng.Uniform();
    l.code = fmt::format("E0190{:04d}", i + 1);
    l.name = fmt::format("Kirkholme {:03d}{}", i / 5 + 1, static_cast<char>('A' + i % 5));
    const double dx = l.x - 0.5, dy = l.y - 0.5;
    const double dist = std::sqrt(dx * dx + dy * dy);
    deprivation[i] = 1.2 * (0.7 - dist) + 0.5 * dx + rng.Normal(0, 0.25);
    const double theta = std::atan2(dy, dx);
    if (theta >= kPi / 6 && theta < 5 * kPi / 6) {
      l.ccg = 0;  // north
    } else if (theta >= 5 * kPi / 6 || theta < -kPi / 2) {
      l.ccg = 1;  // west
    } else {
      l.ccg = 2;  // south and east
    }
  }
  {
    std::vector<int> order(lsoa_count);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int p, int q) { return deprivation[p] > deprivation[q]; });
    double cumulative = 0;
    int decile = 1;
    for (int rank = 0; rank < lsoa_count; ++rank) {
      while (decile < 10 && rank >= (cumulative + kDecileShare[decile - 1]) * lsoa_count) {
        cumulative += kDecileShare[decile - 1];
        ++decile;
      }
      lsoas_[order[rank]].imd_decile = decile;
    }
  }
  {
    std::vector<double> w;
    for (const Lsoa& l : lsoas_) w.push_back(l.weight);
    lsoa_dist_ = Discrete(w);
  }
}

// Postcode districts (about 20 LSOAs each), sectors and streets.
void Area::AddStreets(Rng& rng) {
  const int lsoa_count = static_cast<int>(lsoas_.size());
  const int district_side = std::max(1, static_cast<int>(std::ceil(std::sqrt(lsoa_count / 20.0))));
  std::vector<int> lsoas_in_district(district_side * district_side, 0);
  std::vector<int> units_used_in_sector(district_side * district_side * 10, 0);
  std::set<std::string> names_in_lsoa;
  for (int i = 0; i < lsoa_count; ++i) {
    Lsoa& l = lsoas_[i];
    const int dx = std::min(district_side - 1, static_cast<int>(l.x * district_side));
    const int dy = std::min(district_side - 1, static_cast<int>(l.y * district_side));
    const int district = dy * district_side + dx;
    const int sector = lsoas_in_district[district]++ % 10;
    const std::string sector_text = fmt::format("KH{} {}", district + 1, sector);
    int& units_used = units_used_in_sector[district * 10 + sector];
    const int n_streets = rng.Between(6, 10);
    names_in_lsoa.clear();
    for (int s = 0; s < n_streets; ++s) {
      Street st;
      st.lsoa = i;
      for (int attempt = 0; attempt < 10; ++attempt) {
        st.name = std::string(kStreetRoots[rng.Below(std::size(kStreetRoots))]) + " " +
                  kStreetTypes[rng.Below(std::size(kStreetTypes))];
        if (names_in_lsoa.insert(st.name).second) break;
      }
      st.max_house = rng.Between(20, 150);
      const int units = (st.max_house + 29) / 30;
      for (int u = 0; u < units; ++u) {
        st.postcodes.push_back(UnitPostcode(sector_text, units_used++ % 400));
      }
      l.streets.push_back(static_cast<int>(streets_.size()));
      streets_.push_back(std::move(st));
    }
  }
}

// Practices: about one per 8,000 residents.
void Area::AddPractices(Rng& rng, int64_t population, Day window_start, Day window_end) {
  const int practice_count = static_cast<int>(std::max<int64_t>(3, (population + 4000) / 8000));
  std::vector<double> popularity(practice_count);
  std::set<std::string> practice_names;
  for (int p = 0; p < practice_count; ++p) {
    Practice pr;
    pr.lsoa = lsoa_dist_.Sample(rng);
    pr.ccg = lsoas_[pr.lsoa].ccg;
    popularity[p] = rng.LogNormal(0, 0.45);
    int street, house;
    SampleAddress(rng, pr.lsoa, &street, &house);
    std::string name;
    for (int attempt = 0; attempt < 20; ++attempt) {
      name = std::string(kPlaceWords[rng.Below(std::size(kPlaceWords))]) + " " +
             kPracticeSuffixes[rng.Below(std::size(kPracticeSuffixes))];
      if (practice_names.insert(name).second) break;
      name += fmt::format(" ({})", streets_[street].name);
      if (practice_names.insert(name).second) break;
    }
    const int founded = rng.Between(1948, 2008);
    pr.organisation = static_cast<int>(organisations_.size());
    organisations_.push_back({fmt::format("Z1{:04d}", p + 1), name, "gp_practice",
                              organisations_[ccgs_[pr.ccg]].code, Postcode(street, house),
                              DaysFromCivil(founded, rng.Between(1, 12), 1), kNoDay});
    practices_.push_back(pr);
  }
  // Nearest practices for each LSOA, weighted by popularity and distance.
  const double scale = 0.9 / std::sqrt(static_cast<double>(practice_count));
  for (Lsoa& l : lsoas_) {
    std::vector<std::pair<double, int>> scored;
    for (int p = 0; p < practice_count; ++p) {
      const Lsoa& at = lsoas_[practices_[p].lsoa];
      const double d = std::hypot(at.x - l.x, at.y - l.y);
      scored.push_back({-popularity[p] * std::exp(-d / scale), p});
    }
    std::sort(scored.begin(), scored.end());
    double cumulative = 0;
    for (int k = 0; k < 4; ++k) {
      const auto& [neg_score, p] = scored[std::min<size_t>(k, scored.size() - 1)];
      l.practices[k] = p;
      cumulative += -neg_score + 1e-12;
      l.practice_cum[k] = cumulative;
    }
  }
  // A few practices merge into a neighbour during the window (about 1 in 50).
  if (practice_count >= 10) {
    const int closures = std::max(1, practice_count / 50);
    const Day close = window_start + (window_end - window_start) * 2 / 5;
    for (int c = 0; c < closures; ++c) {
      const int p = static_cast<int>(rng.Below(practice_count));
      Practice& pr = practices_[p];
      if (pr.close_date != kNoDay) continue;
      const Lsoa& home = lsoas_[pr.lsoa];
      int into = -1;
      for (int k = 0; k < 4 && into < 0; ++k) {
        const int q = home.practices[k];
        if (q != p && practices_[q].close_date == kNoDay) into = q;
      }
      if (into < 0) into = (p + 1) % practice_count;
      if (practices_[into].close_date != kNoDay) continue;
      pr.close_date = close + rng.Between(0, 60);
      pr.merged_into = into;
      organisations_[pr.organisation].close_date = pr.close_date;
    }
  }
}

// Care homes: about one per 5,000 residents, more in the suburbs; 40% nursing homes.
void Area::AddCareHomes(Rng& rng, int64_t population) {
  const int home_count = static_cast<int>(std::max<int64_t>(2, (population + 2500) / 5000));
  {
    std::vector<double> w;
    for (const Lsoa& l : lsoas_) w.push_back(l.weight * (0.3 + std::hypot(l.x - 0.5, l.y - 0.5)));
    const Discrete suburb(w);
    for (int h = 0; h < home_count; ++h) {
      CareHome ch;
      ch.lsoa = suburb.Sample(rng);
      ch.nursing = h % 5 < 2;
      SampleAddress(rng, ch.lsoa, &ch.street, &ch.house);
      ch.name = std::string(kCareHomeNames[rng.Below(std::size(kCareHomeNames))]) +
                (ch.nursing ? " Nursing Home" : " Care Home");
      care_homes_.push_back(std::move(ch));
    }
    for (Lsoa& l : lsoas_) {
      std::vector<std::pair<double, int>> by_distance;
      for (int h = 0; h < home_count; ++h) {
        const Lsoa& at = lsoas_[care_homes_[h].lsoa];
        by_distance.push_back({std::hypot(at.x - l.x, at.y - l.y), h});
      }
      std::sort(by_distance.begin(), by_distance.end());
      for (size_t k = 0; k < by_distance.size() && k < 12; ++k) {
        l.care_homes.push_back(by_distance[k].second);
      }
    }
  }
}

int Area::SampleLsoa(Rng& rng) const { return lsoa_dist_.Sample(rng); }

int Area::NearbyLsoa(Rng& rng, int lsoa) const {
  if (rng.Bernoulli(0.3)) return SampleLsoa(rng);
  const Lsoa& from = lsoas_[lsoa];
  // Rejection sample an LSOA within a short distance of the current one.
  const double radius = 2.5 / std::sqrt(static_cast<double>(lsoas_.size()));
  for (int attempt = 0; attempt < 30; ++attempt) {
    const int candidate = SampleLsoa(rng);
    const Lsoa& to = lsoas_[candidate];
    if (candidate != lsoa && std::hypot(to.x - from.x, to.y - from.y) < radius) return candidate;
  }
  return SampleLsoa(rng);
}

int Area::SamplePractice(Rng& rng, int lsoa) const {
  const Lsoa& l = lsoas_[lsoa];
  const double u = rng.Uniform() * l.practice_cum[3];
  for (int k = 0; k < 4; ++k) {
    if (u < l.practice_cum[k]) return l.practices[k];
  }
  return l.practices[3];
}

void Area::SampleAddress(Rng& rng, int lsoa, int* street, int* house) const {
  const Lsoa& l = lsoas_[lsoa];
  *street = l.streets[rng.Below(l.streets.size())];
  *house = rng.Between(1, streets_[*street].max_house);
}

const std::string& Area::Postcode(int street, int house) const {
  const Street& s = streets_[street];
  const size_t unit =
      static_cast<size_t>(house - 1) * s.postcodes.size() / static_cast<size_t>(s.max_house);
  return s.postcodes[std::min(unit, s.postcodes.size() - 1)];
}

std::string Area::AddressLine(int street, int house) const {
  return fmt::format("{} {}", house, streets_[street].name);
}

int Area::SampleCareHome(Rng& rng, int lsoa, bool nursing) const {
  const Lsoa& l = lsoas_[lsoa];
  int fallback = l.care_homes.empty() ? 0 : l.care_homes[0];
  for (int attempt = 0; attempt < 8; ++attempt) {
    // Nearer homes are likelier: the first candidates carry most of the weight.
    const size_t k = std::min(l.care_homes.size() - 1, static_cast<size_t>(rng.Geometric(0.35)));
    const int h = l.care_homes[k];
    if (care_homes_[h].nursing == nursing) return h;
    fallback = h;
  }
  for (int h : l.care_homes) {
    if (care_homes_[h].nursing == nursing) return h;
  }
  return fallback;
}

std::string Area::OutOfAreaPostcode(Rng& rng) const {
  std::string pc =
      fmt::format("{}{} {}", kOutAreas[rng.Below(3)], rng.Between(1, 30), rng.Between(0, 9));
  pc.push_back(kUnitLetters[rng.Below(kUnitLetterCount)]);
  pc.push_back(kUnitLetters[rng.Below(kUnitLetterCount)]);
  return pc;
}

std::string Area::OutOfAreaAddressLine(Rng& rng) const {
  return fmt::format("{} {} {}", rng.Between(1, 200),
                     kStreetRoots[rng.Below(std::size(kStreetRoots))],
                     kStreetTypes[rng.Below(std::size(kStreetTypes))]);
}

}  // namespace pioneer::synth
