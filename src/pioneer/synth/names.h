// Names for synthetic people: weighted lists with a realistic UK frequency skew, and the
// ways names go wrong in council and hospital systems.
//
// Surnames: about 300 common British surnames weighted by their approximate frequency in
// England and Wales (Smith ~1.2% of people, Jones ~0.8%, ...; together ~22%), a long tail of
// ~10,000 English toponymic surnames generated from place-name elements with Zipf weights
// (so that, as in real data, the top 100 names cover about a sixth of people and most names
// are rare), plus
// South Asian, Eastern European (with Polish feminine -ska/-cka forms and diacritics, e.g.
// "Wiśniewska") and other surnames seen in English cities. Forenames depend on sex, origin
// and birth cohort (e.g. Doris and Harold for the 1920s, Chloe and Jack for the 1990s).
// All strings are UTF-8.
//
// Thread safety: NameTables is immutable after construction (build it once, share it); the
// free functions are pure given the Rng.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pioneer/synth/rng.h"

namespace pioneer::synth {

enum class NameOrigin { kBritish = 0, kSouthAsian = 1, kEasternEuropean = 2, kOther = 3 };
inline constexpr int kNameOrigins = 4;

class NameTables {
 public:
  NameTables();

  // Origin of a person's names given birth year and the LSOA's deprivation decile (1 = most
  // deprived): South Asian names are commoner in deprived inner-city LSOAs, Eastern European
  // names among people born 1970-1995 and their children.
  NameOrigin SampleOrigin(Rng& rng, int birth_year, int imd_decile) const;
  // A surname in its form for `sex` (1 male, 2 female): Kowalski / Kowalska.
  std::string Surname(Rng& rng, NameOrigin origin, int sex) const;
  std::string_view Forename(Rng& rng, NameOrigin origin, int sex, int birth_year) const;
  // Number of distinct surnames the tables can produce (for tests and docs).
  size_t surname_count() const;

 private:
  struct Weighted {
    std::vector<std::string> names;
    Discrete dist;
  };
  Weighted surnames_[kNameOrigins];
  // forenames_[origin][sex-1][cohort]; cohort = 0 for non-British origins.
  std::vector<Weighted> forenames_[kNameOrigins][2];
};

// A common variant of a forename or surname ("Jon" for "John", "Katherine" for "Catherine",
// "Kath" for "Katherine", "Thomson" for "Thompson"), or the name itself when it has none.
std::string NameVariant(std::string_view name, Rng& rng);
// True if NameVariant can change this name.
bool HasNameVariant(std::string_view name);

// A keying error: two adjacent letters transposed, a letter dropped or a letter doubled.
// Only ASCII letters are touched, so UTF-8 stays valid. Names shorter than 3 letters are
// returned unchanged.
std::string NameTypo(std::string_view name, Rng& rng);

// The keying error of the hard corruption model (link/synthetic_people.h): one letter
// substituted, inserted or deleted, or two adjacent letters transposed, at any position
// (the first letter too). Only ASCII letters are touched or inserted (lower case, or upper
// case next to upper case), so UTF-8 stays valid. Names shorter than 2 letters are returned
// unchanged; a deletion leaves at least 3 letters.
std::string NameKeyingError(std::string_view name, Rng& rng);

// "Smith-Jones" -> "Smith Jones" or "SmithJones"; "O'Brien" -> "OBrien" or "O Brien";
// unchanged when there is no hyphen or apostrophe.
std::string DropPunctuation(std::string_view name, Rng& rng);
bool HasPunctuation(std::string_view name);

// "Wiśniewska" -> "Wisniewska": the Latin-alphabet diacritics used by the name lists are
// replaced by their base letters (what systems limited to ASCII store).
std::string StripDiacritics(std::string_view name);
bool HasDiacritics(std::string_view name);

// Upper-case ASCII letters ("McDonald" -> "MCDONALD"); other bytes unchanged.
std::string UpperAscii(std::string_view name);

}  // namespace pioneer::synth
