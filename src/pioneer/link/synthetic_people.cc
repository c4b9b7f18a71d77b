#include "pioneer/link/synthetic_people.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>

#include "pioneer/base/date.h"

namespace pioneer::link {
namespace {

// Common English given names, most common first (weights fall as 1 / rank^0.9).
constexpr std::string_view kMale[] = {
    "james",       "john",     "david",   "michael", "robert",  "william",  "richard",  "thomas",
    "christopher", "daniel",   "paul",    "mark",    "andrew",  "stephen",  "peter",    "anthony",
    "matthew",     "joseph",   "george",  "edward",  "samuel",  "benjamin", "jonathan", "alexander",
    "nicholas",    "charles",  "henry",   "oliver",  "jack",    "harry",    "jacob",    "joshua",
    "ryan",        "adam",     "simon",   "gary",    "kevin",   "ian",      "martin",   "neil",
    "philip",      "graham",   "keith",   "brian",   "kenneth", "ronald",   "raymond",  "frederick",
    "lawrence",    "leonard",  "timothy", "gregory", "terence", "francis",  "patrick",  "sean",
    "lewis",       "mohammed", "aaron",   "liam",    "noah",    "leo",      "arthur",   "oscar",
    "ethan",       "dylan",    "connor",  "callum",  "kieran",  "declan",   "rhys",     "owen"};
constexpr std::string_view kFemale[] = {
    "mary",      "sarah",     "elizabeth", "margaret",   "susan",   "emma",    "jennifer",
    "catherine", "rebecca",   "victoria",  "patricia",   "helen",   "ann",     "laura",
    "emily",     "jessica",   "charlotte", "olivia",     "amelia",  "sophie",  "hannah",
    "lucy",      "rachel",    "claire",    "karen",      "julie",   "lisa",    "samantha",
    "deborah",   "alexandra", "christine", "abigail",    "dorothy", "barbara", "amanda",
    "kimberley", "stephanie", "natalie",   "jacqueline", "gillian", "joanne",  "nicola",
    "amy",       "chloe",     "grace",     "megan",      "isla",    "ava",     "mia",
    "freya",     "poppy",     "ella",      "evie",       "ruby",    "zoe",     "holly",
    "joan",      "irene",     "doris",     "eileen",     "sheila",  "brenda",  "valerie",
    "maureen",   "pauline",   "wendy",     "tracey",     "donna",   "kelly",   "louise",
    "fiona",     "aisha"};
// Common British family names, most common first.
constexpr std::string_view kSurnames[] = {
    "smith",     "jones",     "williams", "taylor",   "brown",    "davies",     "evans",
    "wilson",    "thomas",    "johnson",  "roberts",  "robinson", "thompson",   "wright",
    "walker",    "white",     "edwards",  "hughes",   "green",    "hall",       "lewis",
    "harris",    "clarke",    "patel",    "jackson",  "wood",     "turner",     "martin",
    "cooper",    "hill",      "ward",     "morris",   "moore",    "clark",      "lee",
    "king",      "baker",     "harrison", "morgan",   "allen",    "james",      "scott",
    "phillips",  "watson",    "davis",    "parker",   "price",    "bennett",    "young",
    "griffiths", "mitchell",  "kelly",    "cook",     "carter",   "richardson", "bailey",
    "collins",   "bell",      "shaw",     "murphy",   "miller",   "cox",        "richards",
    "khan",      "marshall",  "anderson", "simpson",  "ellis",    "adams",      "singh",
    "begum",     "wilkinson", "foster",   "chapman",  "powell",   "webb",       "rogers",
    "gray",      "mason",     "ali",      "hunt",     "hussain",  "campbell",   "matthews",
    "owen",      "palmer",    "holmes",   "mills",    "barnes",   "knight",     "lloyd",
    "butler",    "russell",   "barker",   "fisher",   "stevens",  "jenkins",    "murray",
    "dixon",     "harvey",    "graham",   "pearson",  "ahmed",    "fletcher",   "walsh",
    "kaur",      "gibson",    "howard",   "andrews",  "stewart",  "elliott",    "reynolds",
    "saunders",  "payne",     "fox",      "ford",     "pearce",   "day",        "brooks",
    "west",      "lawrence",  "cole",     "atkinson", "bradley",  "spencer",    "gill",
    "dawson",    "ball"};
// Parts of rare (generated) family names: 32 x 20 = 640 names.
constexpr std::string_view kRarePrefix[] = {
    "ash",  "black", "brad", "brook", "craw", "dal",  "east", "fair",  "gold", "hart",  "holm",
    "kirk", "lang",  "mar",  "new",   "oak",  "pen",  "red",  "ros",   "stan", "thorn", "wal",
    "west", "whit",  "wins", "yar",   "bram", "carr", "dun",  "hazel", "lind", "moss"};
constexpr std::string_view kRareSuffix[] = {
    "ley",   "ford",  "ton", "wood", "by",    "field", "well",  "ridge", "wick", "combe",
    "stead", "worth", "ham", "more", "croft", "dale",  "hurst", "bury",  "shaw", "gate"};
// Rare given names (generated from syllables): 16 x 12.
constexpr std::string_view kGivenStart[] = {"al", "bar", "cal", "dor", "el",  "fen", "gal", "hal",
                                            "is", "jor", "kel", "lor", "mer", "nor", "os",  "per"};
constexpr std::string_view kGivenEnd[] = {"ric", "wyn", "dan", "ina", "ella", "iel",
                                          "eth", "ora", "ian", "isa", "ton",  "una"};

// Nicknames and spelling variants the generator uses (a person's recorded given name).
struct Variant {
  std::string_view name;
  std::string_view variants[5];
};
constexpr Variant kVariants[] = {
    {"william", {"bill", "will", "billy", "liam"}},
    {"robert", {"bob", "rob", "bobby", "robbie"}},
    {"richard", {"rick", "dick", "richie"}},
    {"james", {"jim", "jimmy", "jamie"}},
    {"john", {"jack", "johnny", "jon"}},
    {"michael", {"mike", "mick", "micky"}},
    {"thomas", {"tom", "tommy"}},
    {"christopher", {"chris", "kit"}},
    {"daniel", {"dan", "danny"}},
    {"david", {"dave", "davy"}},
    {"anthony", {"tony", "antony"}},
    {"edward", {"ed", "ted", "eddie", "ned"}},
    {"joseph", {"joe", "joey"}},
    {"matthew", {"matt", "mat"}},
    {"andrew", {"andy", "drew"}},
    {"alexander", {"alex", "sandy", "alec"}},
    {"benjamin", {"ben", "benny"}},
    {"samuel", {"sam", "sammy"}},
    {"jonathan", {"jon", "jonny"}},
    {"nicholas", {"nick", "nicky"}},
    {"stephen", {"steve", "steven"}},
    {"peter", {"pete"}},
    {"charles", {"charlie", "chas"}},
    {"henry", {"harry", "hal"}},
    {"francis", {"frank"}},
    {"frederick", {"fred", "freddie"}},
    {"lawrence", {"larry", "laurence"}},
    {"leonard", {"len", "lenny"}},
    {"raymond", {"ray"}},
    {"ronald", {"ron", "ronnie"}},
    {"kenneth", {"ken", "kenny"}},
    {"timothy", {"tim", "timmy"}},
    {"gregory", {"greg"}},
    {"philip", {"phil", "phillip"}},
    {"terence", {"terry"}},
    {"sean", {"shaun", "shawn"}},
    {"lewis", {"louis"}},
    {"mohammed", {"muhammad", "mohammad", "mohamed"}},
    {"elizabeth", {"liz", "beth", "betty", "eliza", "lizzie"}},
    {"margaret", {"maggie", "peggy", "meg", "margo"}},
    {"catherine", {"kate", "cathy", "katie", "kathryn", "katherine"}},
    {"jennifer", {"jenny", "jen"}},
    {"susan", {"sue", "susie"}},
    {"deborah", {"debbie", "debra"}},
    {"rebecca", {"becky", "becca"}},
    {"victoria", {"vicky", "tori"}},
    {"patricia", {"pat", "trish", "patsy"}},
    {"alexandra", {"alex", "sandra", "lexi"}},
    {"christine", {"chris", "tina"}},
    {"samantha", {"sam", "sammie"}},
    {"jessica", {"jess", "jessie"}},
    {"abigail", {"abby", "abi"}},
    {"dorothy", {"dot", "dolly"}},
    {"ann", {"anne", "annie"}},
    {"sarah", {"sara"}},
    {"mary", {"molly", "polly"}},
    {"amanda", {"mandy"}},
    {"kimberley", {"kim", "kimberly"}},
    {"stephanie", {"steph"}},
    {"natalie", {"nat", "nathalie"}},
    {"jacqueline", {"jackie"}},
    {"gillian", {"gill", "jill"}},
    {"joanne", {"jo", "joanna"}},
    {"nicola", {"nicky", "nikki"}},
    {"charlotte", {"lottie", "charlie"}},
    {"olivia", {"liv"}},
    {"amelia", {"millie", "amy"}},
    {"emily", {"emilie"}},
    {"hannah", {"hanna"}},
    {"zoe", {"zoey"}},
    {"tracey", {"tracy"}},
    {"claire", {"clare"}},
    {"louise", {"lou"}},
    {"eileen", {"aileen"}},
};

struct Place {
  std::string_view area, town;
};
constexpr Place kPlaces[] = {{"LS", "Leeds"},     {"BD", "Bradford"},  {"M", "Manchester"},
                             {"B", "Birmingham"}, {"S", "Sheffield"},  {"NG", "Nottingham"},
                             {"LE", "Leicester"}, {"CV", "Coventry"},  {"HU", "Hull"},
                             {"YO", "York"},      {"WF", "Wakefield"}, {"HD", "Huddersfield"}};
constexpr std::string_view kStreetNames[] = {
    "church",  "station", "victoria", "park",   "mill",   "high",   "green",  "manor",
    "school",  "queens",  "kings",    "grange", "chapel", "north",  "south",  "west",
    "albert",  "york",    "windsor",  "oak",    "elm",    "beech",  "cedar",  "willow",
    "orchard", "meadow",  "spring",   "forest", "hill",   "bridge", "castle", "abbey"};
constexpr std::string_view kStreetTypes[] = {"street", "road", "lane",     "avenue", "close",
                                             "drive",  "way",  "crescent", "grove",  "terrace"};
constexpr char kUnitLetters[] = "ABDEFGHJLNPQRSTUWXYZ";  // postcode unit letters (no C I K M O V)

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  int Int(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }

 private:
  uint64_t s_;
};

// Cumulative Zipf-like weights 1 / rank^s.
std::vector<double> ZipfCdf(size_t n, double s) {
  std::vector<double> cdf(n);
  double acc = 0;
  for (size_t i = 0; i < n; ++i) {
    acc += 1.0 / std::pow(static_cast<double>(i + 1), s);
    cdf[i] = acc;
  }
  for (double& c : cdf) c /= acc;
  return cdf;
}
size_t Draw(const std::vector<double>& cdf, Rng& rng) {
  const double u = rng.Uniform();
  return static_cast<size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()) %
         cdf.size();
}

std::string Capitalise(std::string s) {
  bool start = true;
  for (char& c : s) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = c == ' ' || c == '-';
  }
  return s;
}

struct Truth {
  std::string given, family, postcode, address, town;
  int year = 0, month = 0, day = 0;
  int sex = 1;  // 1 male, 2 female
};

class Generator {
 public:
  explicit Generator(const SyntheticPeopleOptions& o)
      : o_(o),
        rng_(o.seed * 0x2545F4914F6CDD1DULL + 17),
        male_(ZipfCdf(std::size(kMale), 0.9)),
        female_(ZipfCdf(std::size(kFemale), 0.9)),
        surname_(ZipfCdf(std::size(kSurnames), 0.8)),
        places_(ZipfCdf(std::size(kPlaces), 0.5)) {}

  SyntheticPeople Run() {
    SyntheticPeople out;
    // A postcode unit per ~15 households; each unit is one street.
    const int64_t households_expected = std::max<int64_t>(1, o_.records / 5);
    const int64_t units = std::max<int64_t>(4, households_expected / 15);
    for (int64_t u = 0; u < units; ++u) units_.push_back(NewUnit());
    int64_t missing_dob_or_pc = 0;
    while (static_cast<int64_t>(out.records.size()) < o_.records) {
      std::vector<Truth> members = Household(&out.twin_pairs);
      ++out.households;
      for (const Truth& t : members) {
        const int64_t person = out.people++;
        const int k = RecordCount();
        for (int i = 0; i < k; ++i) {
          SyntheticRecord r;
          r.source = i == 0 ? 0 : 1;
          r.person = person;
          r.record = Corrupt(t);
          r.record.id = fmt::format("r{}", out.records.size() + 1);
          if (r.record.get(Field::kBirthDate).empty() || r.record.get(Field::kPostcode).empty()) {
            ++missing_dob_or_pc;
          }
          out.records.push_back(std::move(r));
        }
      }
    }
    out.missing_dob_or_postcode_share =
        static_cast<double>(missing_dob_or_pc) / static_cast<double>(out.records.size());
    return out;
  }

 private:
  struct Unit {
    std::string postcode, street, town;
  };

  Unit NewUnit() {
    const Place& p = kPlaces[Draw(places_, rng_)];
    Unit u;
    u.postcode = fmt::format("{}{} {}{}{}", p.area, rng_.Int(1, 30), rng_.Int(0, 9),
                             kUnitLetters[rng_.Int(0, 19)], kUnitLetters[rng_.Int(0, 19)]);
    u.street = fmt::format("{} {}", kStreetNames[rng_.Int(0, std::size(kStreetNames) - 1)],
                           kStreetTypes[rng_.Int(0, std::size(kStreetTypes) - 1)]);
    u.town = std::string(p.town);
    return u;
  }

  std::string GivenName(int sex) {
    if (rng_.Chance(0.08)) {  // rare tail
      return std::string(kGivenStart[rng_.Int(0, std::size(kGivenStart) - 1)]) +
             std::string(kGivenEnd[rng_.Int(0, std::size(kGivenEnd) - 1)]);
    }
    return std::string(sex == 1 ? kMale[Draw(male_, rng_)] : kFemale[Draw(female_, rng_)]);
  }
  std::string FamilyName() {
    const double u = rng_.Uniform();
    if (u < 0.35) {  // rare tail
      std::string s = std::string(kRarePrefix[rng_.Int(0, std::size(kRarePrefix) - 1)]) +
                      std::string(kRareSuffix[rng_.Int(0, std::size(kRareSuffix) - 1)]);
      if (rng_.Chance(0.1)) s += "-" + std::string(kSurnames[Draw(surname_, rng_)]);
      return s;
    }
    return std::string(kSurnames[Draw(surname_, rng_)]);
  }
  void Address(Truth& t) {
    const Unit& u = units_[static_cast<size_t>(rng_.Next() % units_.size())];
    t.postcode = u.postcode;
    t.address = fmt::format("{} {}", rng_.Int(1, 180), u.street);
    t.town = u.town;
  }
  void Birth(Truth& t, int year_lo, int year_hi) {
    t.year = rng_.Int(year_lo, std::max(year_lo, year_hi));
    t.month = rng_.Int(1, 12);
    t.day = rng_.Int(1, DaysInMonth(t.year, t.month));
  }

  std::vector<Truth> Household(int64_t* twin_pairs) {
    static constexpr double kSize[] = {0.30, 0.30, 0.15, 0.15, 0.10};
    double u = rng_.Uniform();
    int size = 1;
    for (double p : kSize) {
      if (u < p) break;
      u -= p;
      ++size;
    }
    size = std::min(size, 5);
    Truth base;
    Address(base);
    const std::string family = FamilyName();
    std::vector<Truth> out;
    const int adults = size == 1 ? 1 : (rng_.Chance(0.7) ? 2 : 1);
    int parent_year = 0;
    for (int i = 0; i < size; ++i) {
      Truth t = base;
      t.family = (i > 0 && rng_.Chance(0.1)) ? FamilyName() : family;
      if (i < adults) {
        t.sex = adults == 2 ? (i == 0 ? 1 : 2) : rng_.Int(1, 2);
        Birth(t, 1935, 2000);
        if (i == 0) parent_year = t.year;
        if (i == 1) Birth(t, parent_year - 6, parent_year + 6);
      } else {
        t.sex = rng_.Int(1, 2);
        Birth(t, parent_year + 18, std::min(parent_year + 42, 2023));
        // Twins: the child before shares the date of birth.
        if (i > adults && rng_.Chance(o_.twin_share)) {
          const Truth& prev = out.back();
          t.year = prev.year;
          t.month = prev.month;
          t.day = prev.day;
          ++*twin_pairs;
        }
      }
      do {
        t.given = GivenName(t.sex);
      } while (
          std::any_of(out.begin(), out.end(), [&](const Truth& m) { return m.given == t.given; }));
      out.push_back(std::move(t));
    }
    return out;
  }

  int RecordCount() {
    static constexpr double kCount[] = {0.30, 0.35, 0.20, 0.10, 0.05};
    double u = rng_.Uniform();
    int k = 1;
    for (double p : kCount) {
      if (u < p) break;
      u -= p;
      ++k;
    }
    return std::min(k, 5);
  }

  std::string Typo(std::string s) {
    if (s.size() < 2) return s;
    static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
    const size_t i = static_cast<size_t>(rng_.Int(0, static_cast<int>(s.size()) - 1));
    switch (rng_.Int(0, 3)) {
      case 0:
        s[i] = kLetters[rng_.Int(0, 25)];
        break;
      case 1:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(i), kLetters[rng_.Int(0, 25)]);
        break;
      case 2:
        if (s.size() > 3) s.erase(i, 1);
        break;
      default:
        if (i + 1 < s.size()) std::swap(s[i], s[i + 1]);
        break;
    }
    return s;
  }

  std::string Nickname(const std::string& given) {
    for (const Variant& v : kVariants) {
      if (v.name != given) continue;
      int n = 0;
      while (n < 5 && !v.variants[n].empty()) ++n;
      return std::string(v.variants[rng_.Int(0, n - 1)]);
    }
    return given;
  }

  PersonRecord Corrupt(const Truth& t) {
    const CorruptionModel& c = o_.corruption;
    PersonRecord r;
    std::string given = t.given, family = t.family;
    if (rng_.Chance(c.nickname)) given = Nickname(given);
    if (t.sex == 2 && rng_.Chance(c.new_surname)) family = FamilyName();
    if (rng_.Chance(c.name_typo)) given = Typo(given);
    if (rng_.Chance(c.name_typo)) family = Typo(family);
    if (rng_.Chance(c.swap_names)) std::swap(given, family);
    if (rng_.Chance(c.missing_given)) given.clear();
    if (rng_.Chance(c.missing_family)) family.clear();
    r.get(Field::kGivenName) = Capitalise(given);
    r.get(Field::kFamilyName) = Capitalise(family);

    if (!rng_.Chance(c.missing_dob)) {
      int y = t.year, m = t.month, d = t.day;
      if (rng_.Chance(c.dob_year)) y += rng_.Chance(0.5) ? 1 : -1;
      if (d <= 12 && d != m && rng_.Chance(c.dob_swap)) std::swap(d, m);
      std::string dob = fmt::format("{:04}-{:02}-{:02}", y, m, d);
      if (rng_.Chance(c.dob_typo)) {
        static constexpr size_t kDigits[] = {2, 3, 5, 6, 8, 9};
        const size_t i = kDigits[rng_.Int(0, 5)];
        char nd;
        do {
          nd = static_cast<char>('0' + rng_.Int(0, 9));
        } while (nd == dob[i]);
        dob[i] = nd;
      }
      r.get(Field::kBirthDate) = dob;
    }
    int sex = t.sex;
    if (rng_.Chance(c.sex_error)) sex = 3 - sex;
    if (!rng_.Chance(c.missing_sex)) r.get(Field::kSex) = sex == 1 ? "M" : "F";

    std::string postcode = t.postcode, address = t.address, town = t.town;
    if (rng_.Chance(c.moved)) {
      Truth moved;
      Address(moved);
      postcode = moved.postcode;
      address = moved.address;
      town = moved.town;
    }
    if (rng_.Chance(c.postcode_typo)) {
      const size_t i = static_cast<size_t>(rng_.Int(0, static_cast<int>(postcode.size()) - 1));
      if (postcode[i] >= 'A' && postcode[i] <= 'Z') {
        postcode[i] = kUnitLetters[rng_.Int(0, 19)];
      } else if (postcode[i] >= '0' && postcode[i] <= '9') {
        postcode[i] = static_cast<char>('0' + rng_.Int(0, 9));
      }
    }
    if (!rng_.Chance(c.missing_postcode)) r.get(Field::kPostcode) = postcode;
    if (!rng_.Chance(c.missing_address)) r.get(Field::kAddress) = Capitalise(address);
    r.get(Field::kCity) = town;
    return r;
  }

  const SyntheticPeopleOptions& o_;
  Rng rng_;
  std::vector<double> male_, female_, surname_, places_;
  std::vector<Unit> units_;
};

std::string Csv(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

}  // namespace

StatusOr<SyntheticPeople> GenerateSyntheticPeople(const SyntheticPeopleOptions& o) {
  if (o.records < 10) return InvalidArgumentError("synthetic people: records must be at least 10");
  const CorruptionModel& c = o.corruption;
  for (double p :
       {c.nickname, c.name_typo, c.swap_names, c.new_surname, c.missing_given, c.missing_family,
        c.missing_dob, c.dob_swap, c.dob_typo, c.dob_year, c.missing_postcode, c.moved,
        c.postcode_typo, c.missing_address, c.missing_sex, c.sex_error, o.twin_share}) {
    if (!(p >= 0 && p <= 1)) {
      return InvalidArgumentError("synthetic people: every rate must be in [0, 1]");
    }
  }
  return Generator(o).Run();
}

Status WriteSyntheticPeople(const SyntheticPeople& people, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return UnavailableError(fmt::format("{}: cannot create folder", dir));
  using File = std::unique_ptr<std::FILE, FileCloser>;
  const std::string names[] = {"people.csv", "a.csv", "b.csv", "truth.csv"};
  File files[4];
  for (int i = 0; i < 4; ++i) {
    const std::string path = dir + "/" + names[i];
    files[i].reset(std::fopen(path.c_str(), "wb"));
    if (!files[i]) return UnavailableError(fmt::format("{}: cannot open for writing", path));
  }
  fmt::print(files[0].get(),
             "unique_id,first_name,surname,dob,gender,postcode,address,city,source,truth_person\n");
  fmt::print(files[1].get(),
             "unique_id,first_name,surname,dob,gender,postcode,address,city,truth_person\n");
  fmt::print(files[2].get(),
             "record_id,forename,family_name,birth_date,sex,post_code,address_line_1,town,"
             "truth_person\n");
  fmt::print(files[3].get(), "unique_id,truth_person\n");
  std::string fields;
  for (const SyntheticRecord& s : people.records) {
    const PersonRecord& r = s.record;
    fields.clear();
    for (Field f : {Field::kGivenName, Field::kFamilyName, Field::kBirthDate, Field::kSex,
                    Field::kPostcode, Field::kAddress, Field::kCity}) {
      fields += ',';
      fields += Csv(r.get(f));
    }
    fmt::print(files[0].get(), "{}{},{},{}\n", r.id, fields, s.source == 0 ? "A" : "B", s.person);
    fmt::print(files[s.source == 0 ? 1 : 2].get(), "{}{},{}\n", r.id, fields, s.person);
    fmt::print(files[3].get(), "{},{}\n", r.id, s.person);
  }
  for (int i = 0; i < 4; ++i) {
    std::FILE* raw = files[i].release();
    const bool bad = std::ferror(raw) != 0;
    if (std::fclose(raw) != 0 || bad) {
      return UnavailableError(fmt::format("{}/{}: write failed", dir, names[i]));
    }
  }
  return OkStatus();
}

}  // namespace pioneer::link
