#include "pioneer/link/blocking.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace pioneer::link {
namespace {

struct TransformName {
  KeyTransform t;
  std::string_view name;
};
constexpr TransformName kTransforms[] = {
    {KeyTransform::kSoundex, "soundex"},       {KeyTransform::kYear, "year"},
    {KeyTransform::kYearMonth, "month"},       {KeyTransform::kPostcodeDistrict, "district"},
    {KeyTransform::kPostcodeSector, "sector"}, {KeyTransform::kPostcodeArea, "area"},
    {KeyTransform::kEmailUser, "user"},        {KeyTransform::kNickname, "nickname"},
};

bool IsName(Field f) { return f == Field::kGivenName || f == Field::kFamilyName; }

Status CheckPart(const KeyPart& p, std::string_view text) {
  auto bad = [&](std::string_view why) {
    return InvalidArgumentError(fmt::format("blocking rule part '{}': {}", text, why));
  };
  switch (p.transform) {
    case KeyTransform::kSoundex:
      if (!IsName(p.field)) return bad("soundex() needs given_name or family_name");
      break;
    case KeyTransform::kYear:
    case KeyTransform::kYearMonth:
      if (p.field != Field::kBirthDate) return bad("year()/month() need birth_date");
      break;
    case KeyTransform::kPostcodeDistrict:
    case KeyTransform::kPostcodeSector:
    case KeyTransform::kPostcodeArea:
      if (p.field != Field::kPostcode) return bad("district()/sector()/area() need postcode");
      break;
    case KeyTransform::kEmailUser:
      if (p.field != Field::kEmail) return bad("user() needs email");
      break;
    case KeyTransform::kNickname:
      if (p.field != Field::kGivenName) return bad("nickname() needs given_name");
      break;
    case KeyTransform::kPrefix:
      if (!RecordSet::IsStringField(p.field)) return bad("firstN() needs a text field");
      break;
    default:
      break;
  }
  return OkStatus();
}

// The nickname key of a name value: its first nickname group, else the name itself.
uint64_t NicknameKey(const RecordSet& rs, Field f, uint32_t id) {
  const ValueInfo& v = rs.value(f, id);
  const uint16_t group =
      f == Field::kGivenName ? v.nickname[0] : NicknameGroupsOf(rs.text(f, id))[0];
  return group != 0 ? HashCombine(0x4E, group) : v.hash;
}

uint64_t UnorderedPair(uint64_t a, uint64_t b) {
  return HashCombine(std::min(a, b), std::max(a, b));
}

uint64_t PartKey(const KeyPart& p, const RecordSet& rs, uint32_t r) {
  const Field f = p.field;
  switch (p.transform) {
    case KeyTransform::kSoundexPair: {
      const uint32_t g = rs.value_id(Field::kGivenName, r);
      const uint32_t s = rs.value_id(Field::kFamilyName, r);
      if (g == 0 || s == 0) return 0;
      const uint16_t sg = rs.value(Field::kGivenName, g).soundex;
      const uint16_t ss = rs.value(Field::kFamilyName, s).soundex;
      if (sg == 0 || ss == 0) return 0;
      return UnorderedPair(HashCombine(0x50, sg), HashCombine(0x50, ss));
    }
    case KeyTransform::kNicknamePair: {
      const uint32_t g = rs.value_id(Field::kGivenName, r);
      const uint32_t s = rs.value_id(Field::kFamilyName, r);
      if (g == 0 || s == 0) return 0;
      return UnorderedPair(NicknameKey(rs, Field::kGivenName, g),
                           NicknameKey(rs, Field::kFamilyName, s));
    }
    case KeyTransform::kNamePair: {
      const uint32_t g = rs.value_id(Field::kGivenName, r);
      const uint32_t s = rs.value_id(Field::kFamilyName, r);
      if (g == 0 || s == 0) return 0;
      const uint64_t hg = rs.value(Field::kGivenName, g).hash;
      const uint64_t hs = rs.value(Field::kFamilyName, s).hash;
      return HashCombine(std::min(hg, hs), std::max(hg, hs));
    }
    case KeyTransform::kExact:
      if (f == Field::kBirthDate) {
        if (!rs.has_birth_date(r)) return 0;
        const BirthDate& d = rs.birth_date(r);
        return HashCombine(0xB1, static_cast<uint64_t>(d.year) * 10000 +
                                     static_cast<uint64_t>(d.month) * 100 +
                                     static_cast<uint64_t>(d.day));
      }
      if (f == Field::kSex) return rs.sex(r) == 0 ? 0 : HashCombine(0x5E, rs.sex(r));
      {
        const uint32_t id = rs.value_id(f, r);
        return id == 0 ? 0 : rs.value(f, id).hash;
      }
    case KeyTransform::kSoundex: {
      const uint32_t id = rs.value_id(f, r);
      if (id == 0) return 0;
      const uint16_t sx = rs.value(f, id).soundex;
      return sx == 0 ? 0 : HashCombine(0x50, sx);
    }
    case KeyTransform::kNickname: {
      // The name's first nickname group, or the name itself when it is in none.
      const uint32_t id = rs.value_id(f, r);
      return id == 0 ? 0 : NicknameKey(rs, f, id);
    }
    case KeyTransform::kPrefix: {
      const uint32_t id = rs.value_id(f, r);
      if (id == 0) return 0;
      const std::string_view t = rs.text(f, id);
      return HashBytes(t.substr(0, static_cast<size_t>(p.n)));
    }
    case KeyTransform::kYear:
      return rs.has_birth_date(r) ? HashCombine(0x7E, static_cast<uint64_t>(rs.birth_date(r).year))
                                  : 0;
    case KeyTransform::kYearMonth: {
      if (!rs.has_birth_date(r) || rs.birth_date(r).month == 0) return 0;
      const BirthDate& d = rs.birth_date(r);
      return HashCombine(0x7F,
                         static_cast<uint64_t>(d.year) * 100 + static_cast<uint64_t>(d.month));
    }
    case KeyTransform::kPostcodeDistrict:
    case KeyTransform::kPostcodeSector:
    case KeyTransform::kPostcodeArea: {
      const uint32_t id = rs.value_id(f, r);
      if (id == 0) return 0;
      const ValueInfo& v = rs.value(f, id);
      if (!v.pc_uk) return 0;
      const uint8_t len = p.transform == KeyTransform::kPostcodeDistrict ? v.pc_district
                          : p.transform == KeyTransform::kPostcodeSector ? v.pc_sector
                                                                         : v.pc_area;
      return HashBytes(rs.text(f, id).substr(0, len));
    }
    case KeyTransform::kEmailUser: {
      const uint32_t id = rs.value_id(f, r);
      if (id == 0) return 0;
      const ValueInfo& v = rs.value(f, id);
      if (v.email_user_len == 0) return 0;
      return HashBytes(rs.text(f, id).substr(0, v.email_user_len));
    }
  }
  return 0;
}

bool IsPairTransform(KeyTransform t) {
  return t == KeyTransform::kNamePair || t == KeyTransform::kSoundexPair ||
         t == KeyTransform::kNicknamePair;
}

}  // namespace

bool BlockingRule::UsesField(Field f) const {
  for (const KeyPart& p : parts) {
    if (IsPairTransform(p.transform) && IsName(f)) return true;
    if (!IsPairTransform(p.transform) && p.field == f) return true;
  }
  return false;
}

namespace {

std::string PartsToString(const std::vector<KeyPart>& parts) {
  std::string out;
  for (const KeyPart& p : parts) {
    if (!out.empty()) out += " & ";
    const std::string field(FieldName(p.field));
    switch (p.transform) {
      case KeyTransform::kExact:
        out += field;
        break;
      case KeyTransform::kNamePair:
        out += "name_pair";
        break;
      case KeyTransform::kSoundexPair:
        out += "soundex_pair";
        break;
      case KeyTransform::kNicknamePair:
        out += "nickname_pair";
        break;
      case KeyTransform::kPrefix:
        out += fmt::format("first{}({})", p.n, field);
        break;
      default:
        for (const auto& t : kTransforms) {
          if (t.t == p.transform) out += fmt::format("{}({})", t.name, field);
        }
        break;
    }
  }
  return out;
}

// Parses "part & part & ..." into `parts`.
Status ParseParts(std::string_view text, std::vector<KeyPart>* parts) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t amp = text.find('&', start);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view part = text.substr(start, amp - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) {
      return InvalidArgumentError(fmt::format("blocking rule '{}': empty part", text));
    }
    KeyPart kp;
    if (part == "name_pair") {
      kp.transform = KeyTransform::kNamePair;
    } else if (part == "soundex_pair") {
      kp.transform = KeyTransform::kSoundexPair;
    } else if (part == "nickname_pair") {
      kp.transform = KeyTransform::kNicknamePair;
    } else {
      const size_t open = part.find('(');
      std::string_view field_text = part;
      if (open != std::string_view::npos) {
        if (part.back() != ')') {
          return InvalidArgumentError(fmt::format("blocking rule part '{}': missing ')'", part));
        }
        const std::string_view fn = part.substr(0, open);
        field_text = part.substr(open + 1, part.size() - open - 2);
        bool found = false;
        for (const auto& t : kTransforms) {
          if (t.name == fn) {
            kp.transform = t.t;
            found = true;
          }
        }
        if (!found && fn.size() == 6 && fn.substr(0, 5) == "first" && fn[5] >= '1' &&
            fn[5] <= '9') {
          kp.transform = KeyTransform::kPrefix;
          kp.n = fn[5] - '0';
          found = true;
        }
        if (!found) {
          return InvalidArgumentError(fmt::format(
              "blocking rule part '{}': unknown function '{}' (soundex, firstN, year, month, "
              "district, sector, area, user)",
              part, fn));
        }
      }
      auto f = FieldFromName(field_text);
      if (!f) {
        return InvalidArgumentError(
            fmt::format("blocking rule part '{}': unknown field '{}'", part, field_text));
      }
      kp.field = *f;
      PIONEER_RETURN_IF_ERROR(CheckPart(kp, part));
    }
    parts->push_back(kp);
    start = amp + 1;
    if (amp == text.size()) break;
  }
  return OkStatus();
}

}  // namespace

std::string BlockingRule::ToString() const {
  std::string out = PartsToString(parts);
  if (!order.empty()) out += " @ " + PartsToString(order);
  return out;
}

StatusOr<BlockingRule> ParseBlockingRule(std::string_view text) {
  BlockingRule rule;
  const size_t at = text.find('@');
  PIONEER_RETURN_IF_ERROR(ParseParts(text.substr(0, at), &rule.parts));
  if (at != std::string_view::npos) {
    PIONEER_RETURN_IF_ERROR(ParseParts(text.substr(at + 1), &rule.order));
  }
  return rule;
}

std::vector<BlockingRule> DefaultPredictionRules(const RecordSet& records) {
  static constexpr std::string_view kDefaults[] = {
      "name_pair",
      "birth_date",
      "nhs_number",
      "identifier",
      "email",
      "soundex(family_name) & year(birth_date)",
      "soundex(given_name) & soundex(family_name)",
      "soundex(given_name) & year(birth_date)",
      "first3(given_name) & first3(family_name)",
      "nickname(given_name) & family_name",
      "address",
      "given_name & city",
      "family_name & city",
      "postcode & first1(family_name)",
      "postcode & first1(given_name)",
      "postcode & year(birth_date)",
      "postcode & city",
      "user(email)",
      // Sorted-neighbourhood passes on one name key: within a block the records are in
      // (Soundex family, Soundex given, birth date) order and a large block pairs each
      // record with its next `window` neighbours, so these reach pairs that agree on
      // (roughly) one name only - no date of birth, a moved address.
      "soundex(family_name)",
      "nickname(given_name)",
      // Swapped names with a typo or a nickname in one of them (no other rule pairs a
      // given name with a family name), and a second order for the exact-name blocks:
      // by postcode, or by town, where the common order puts a record without a date of
      // birth first and away from its dated namesakes.
      "soundex_pair",
      "nickname_pair",
      "name_pair @ postcode",
      "name_pair @ city",
  };
  std::vector<BlockingRule> out;
  for (std::string_view text : kDefaults) {
    auto rule = ParseBlockingRule(text);
    if (!rule.ok()) continue;  // unreachable: the defaults parse
    bool ok = true;
    for (int fi = 0; fi < kFieldCount; ++fi) {
      const auto f = static_cast<Field>(fi);
      if (rule->UsesField(f) && records.present_count(f) == 0) ok = false;
    }
    for (const KeyPart& p : rule->order) {  // an order on an absent field adds nothing
      if (records.present_count(p.field) == 0) ok = false;
    }
    if (ok) out.push_back(*rule);
  }
  return out;
}

uint64_t BlockKey(const BlockingRule& rule, const RecordSet& rs, uint32_t r) {
  uint64_t h = 0x12345;
  for (const KeyPart& p : rule.parts) {
    const uint64_t k = PartKey(p, rs, r);
    if (k == 0) return 0;
    h = HashCombine(h, k);
  }
  return h == 0 ? 1 : h;
}

BlockIndex::BlockIndex(const RecordSet& records, std::vector<BlockingRule> rules, LinkType type,
                       int window, int target_tasks, BlockOrder block_order)
    : records_(&records),
      rules_(std::move(rules)),
      type_(type),
      window_(static_cast<uint32_t>(std::max(1, window))) {
  const uint32_t n = records.size();
  // Within-block order: Soundex(family), Soundex(given), birth date, index; or a hash of
  // the index (random but reproducible).
  std::vector<uint32_t> rank(n);
  if (block_order == BlockOrder::kRandom) {
    std::vector<std::pair<uint64_t, uint32_t>> keys(n);
    for (uint32_t r = 0; r < n; ++r) keys[r] = {HashCombine(0x5EED, r), r};
    std::sort(keys.begin(), keys.end());
    for (uint32_t i = 0; i < n; ++i) rank[keys[i].second] = i;
  } else {
    struct SortKey {
      uint16_t fam, giv;
      int32_t dob;
      uint32_t idx;
    };
    std::vector<SortKey> keys(n);
    for (uint32_t r = 0; r < n; ++r) {
      const uint32_t f = records.value_id(Field::kFamilyName, r);
      const uint32_t g = records.value_id(Field::kGivenName, r);
      const BirthDate& d = records.birth_date(r);
      keys[r] = {f ? records.value(Field::kFamilyName, f).soundex : uint16_t{0},
                 g ? records.value(Field::kGivenName, g).soundex : uint16_t{0},
                 records.has_birth_date(r) ? d.year * 10000 + d.month * 100 + d.day : 0, r};
    }
    std::sort(keys.begin(), keys.end(), [](const SortKey& x, const SortKey& y) {
      if (x.fam != y.fam) return x.fam < y.fam;
      if (x.giv != y.giv) return x.giv < y.giv;
      if (x.dob != y.dob) return x.dob < y.dob;
      return x.idx < y.idx;
    });
    for (uint32_t i = 0; i < n; ++i) rank[keys[i].idx] = i;
  }

  data_.resize(rules_.size());
  stats_.resize(rules_.size());
  std::vector<std::pair<uint64_t, uint32_t>> sorted;  // (key, rank)
  std::vector<uint32_t> by_rank(n);
  for (uint32_t r = 0; r < n; ++r) by_rank[rank[r]] = r;
  int64_t total = 0;
  struct Block {
    int rule;
    uint32_t begin, end;
    int64_t pairs;
  };
  std::vector<Block> blocks;
  for (size_t ri = 0; ri < rules_.size(); ++ri) {
    RuleData& d = data_[ri];
    d.keys.assign(n, 0);
    d.pos.assign(n, 0);
    sorted.clear();
    static const std::vector<KeyPart> kNone;
    const std::vector<KeyPart>& by = block_order == BlockOrder::kRandom ? kNone : rules_[ri].order;
    std::vector<uint64_t> sub;  // per record: hash of the rule's own order parts, if any
    if (!by.empty()) sub.assign(n, 0);
    for (uint32_t r = 0; r < n; ++r) {
      d.keys[r] = BlockKey(rules_[ri], records, r);
      if (d.keys[r] == 0) continue;
      sorted.emplace_back(d.keys[r], rank[r]);
      if (!by.empty()) {
        uint64_t h = 0x0D;
        for (const KeyPart& p : by) h = HashCombine(h, PartKey(p, records, r));
        sub[r] = h;
      }
    }
    if (by.empty()) {
      std::sort(sorted.begin(), sorted.end());
    } else {
      // Within a block: records with equal order parts together (groups in hash order),
      // then the common rank.
      std::sort(sorted.begin(), sorted.end(), [&](const auto& x, const auto& y) {
        if (x.first != y.first) return x.first < y.first;
        const uint64_t hx = sub[by_rank[x.second]], hy = sub[by_rank[y.second]];
        if (hx != hy) return hx < hy;
        return x.second < y.second;
      });
    }
    d.order.resize(sorted.size());
    for (size_t i = 0; i < sorted.size(); ++i) d.order[i] = by_rank[sorted[i].second];
    BlockingStats& st = stats_[ri];
    for (uint32_t s = 0; s < d.order.size();) {
      uint32_t e = s + 1;
      while (e < d.order.size() && sorted[e].first == sorted[s].first) ++e;
      const uint32_t size = e - s;
      const bool big = size > window_ + 1;
      for (uint32_t i = s; i < e; ++i) d.pos[d.order[i]] = i | (big ? kBigBit : 0u);
      if (size >= 2) {
        ++st.blocks;
        st.largest_block = std::max<int64_t>(st.largest_block, size);
        if (big) ++st.capped_blocks;
        const int64_t pairs = big ? static_cast<int64_t>(size) * window_
                                  : static_cast<int64_t>(size) * (size - 1) / 2;
        blocks.push_back({static_cast<int>(ri), s, e, pairs});
        total += pairs;
      }
      s = e;
    }
  }
  estimated_pairs_ = total;
  // Cut blocks into tasks of about total / target_tasks pairs (never splitting a block).
  const int64_t target = std::max<int64_t>(1, total / std::max(1, target_tasks));
  Task cur;
  bool open = false;
  for (const Block& b : blocks) {
    if (open && (b.rule != cur.rule || cur.estimated_pairs >= target)) {
      tasks_.push_back(cur);
      open = false;
    }
    if (!open) {
      cur = Task{b.rule, b.begin, b.end, 0};
      open = true;
    }
    cur.end = b.end;
    cur.estimated_pairs += b.pairs;
  }
  if (open) tasks_.push_back(cur);
}

}  // namespace pioneer::link
