#include "pioneer/link/record_set.h"

#include <algorithm>

#include "pioneer/link/normalise.h"
#include "pioneer/link/phonetic.h"

namespace pioneer::link {

uint64_t HashBytes(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;  // 0 is reserved for "missing"
}

RecordSet::RecordSet()
    : cols_(kFieldCount),
      present_(kFieldCount, 0),
      present_by_source_{std::vector<int64_t>(kFieldCount, 0),
                         std::vector<int64_t>(kFieldCount, 0)} {
  for (Column& c : cols_) c.values.emplace_back();  // id 0: missing
}

uint32_t RecordSet::Find(Field f, std::string_view s) const {
  if (s.empty()) return 0;
  const Column& c = cols_[Index(f)];
  uint64_t key = HashBytes(s);
  for (;;) {
    auto it = c.lookup.find(key);
    if (it == c.lookup.end()) return 0;
    if (text(f, it->second) == s) return it->second;
    key = key * 0x100000001B3ULL + 1;
  }
}

uint32_t RecordSet::Intern(Field f, std::string_view s) {
  if (s.empty()) return 0;
  Column& c = cols_[Index(f)];
  const uint64_t hash = HashBytes(s);
  uint64_t key = hash;
  for (;;) {
    auto it = c.lookup.find(key);
    if (it == c.lookup.end()) break;
    if (text(f, it->second) == s) return it->second;
    key = key * 0x100000001B3ULL + 1;
  }
  ValueInfo v;
  v.hash = hash;
  v.offset = static_cast<uint32_t>(c.arena.size());
  v.length = static_cast<uint16_t>(std::min<size_t>(s.size(), 0xFFFF));
  c.arena.append(s.substr(0, v.length));
  if (f == Field::kGivenName || f == Field::kFamilyName) v.soundex = SoundexKey(s);
  if (f == Field::kGivenName) v.nickname = NicknameGroupsOf(s);
  if (f == Field::kEmail) v.email_user_len = static_cast<uint16_t>(EmailUser(s).size());
  const auto id = static_cast<uint32_t>(c.values.size());
  c.values.push_back(v);
  c.lookup.emplace(key, id);
  return id;
}

uint32_t RecordSet::Add(const PersonRecord& r, uint8_t source, int64_t entity,
                        UnparsedMask* unparsed) {
  const auto index = static_cast<uint32_t>(ids_.size());
  UnparsedMask bad = 0;
  ids_.push_back(r.id);
  source_.push_back(source);
  entity_.push_back(entity < 0 ? index : static_cast<uint32_t>(entity));
  auto mark = [&](Field f) { bad |= UnparsedMask{1} << static_cast<int>(f); };
  auto count = [&](Field f) {
    ++present_[Index(f)];
    ++present_by_source_[source & 1][Index(f)];
  };

  // Sex.
  const std::string& sex_text = r.get(Field::kSex);
  const uint8_t sex = NormaliseSex(sex_text);
  Row& row = rows_.emplace_back();
  row.sex = sex;
  if (sex != 0) count(Field::kSex);

  // Birth date.
  BirthDate dob;
  bool has_dob = false;
  if (!TrimSpaces(r.get(Field::kBirthDate)).empty()) {
    if (auto d = ParseBirthDate(r.get(Field::kBirthDate))) {
      dob = *d;
      has_dob = true;
      count(Field::kBirthDate);
    } else {
      mark(Field::kBirthDate);
    }
  }
  row.dob = dob;
  row.has_dob = has_dob ? 1 : 0;

  for (int fi = 0; fi < kFieldCount; ++fi) {
    const auto f = static_cast<Field>(fi);
    if (!IsStringField(f)) continue;
    const std::string& raw = r.get(f);
    std::string norm;
    LinkPostcode pc;
    switch (f) {
      case Field::kGivenName:
      case Field::kFamilyName:
        norm = NormaliseName(raw);
        break;
      case Field::kAddress:
      case Field::kCity:
        norm = NormaliseText(raw);
        break;
      case Field::kEmail:
        norm = NormaliseEmail(raw);
        break;
      case Field::kIdentifier:
        norm = NormaliseIdentifier(raw);
        break;
      case Field::kNhsNumber:
        norm = NormaliseNhsNumber(raw);
        if (norm.empty() && !TrimSpaces(raw).empty()) mark(f);
        break;
      case Field::kPostcode:
        pc = NormaliseLinkPostcode(raw);
        norm = pc.value;
        break;
      default:
        break;
    }
    const uint32_t id = Intern(f, norm);
    if (id != 0) {
      count(f);
      if (f == Field::kPostcode && pc.is_uk) {
        ValueInfo& v = cols_[Index(f)].values[id];
        v.pc_uk = 1;
        v.pc_area = pc.area_len;
        v.pc_district = pc.district_len;
        v.pc_sector = pc.sector_len;
      }
    }
    row.ids[Index(f)] = id;
  }
  if (unparsed != nullptr) *unparsed = bad;
  return index;
}

void RecordSet::ComputeTermFrequencies() {
  for (int fi = 0; fi < kFieldCount; ++fi) {
    const auto f = static_cast<Field>(fi);
    if (!IsStringField(f)) continue;
    Column& c = cols_[Index(f)];
    for (ValueInfo& v : c.values) v.count = 0;
    int64_t total = 0;
    for (const Row& row : rows_) {
      const uint32_t id = row.ids[Index(f)];
      if (id != 0) {
        ++c.values[id].count;
        ++total;
      }
    }
    for (size_t id = 1; id < c.values.size(); ++id) {
      ValueInfo& v = c.values[id];
      v.log2_tf = total > 0 ? static_cast<float>(std::log2(static_cast<double>(v.count) /
                                                           static_cast<double>(total)))
                            : 0.0f;
    }
  }
}

void RecordSet::UseTermFrequenciesFrom(const RecordSet& ref) {
  for (int fi = 0; fi < kFieldCount; ++fi) {
    const auto f = static_cast<Field>(fi);
    if (!IsStringField(f)) continue;
    Column& c = cols_[Index(f)];
    const int64_t total = ref.present_[Index(f)];
    const float rare =
        total > 0 ? static_cast<float>(-std::log2(static_cast<double>(total))) : 0.0f;
    for (size_t id = 1; id < c.values.size(); ++id) {
      ValueInfo& v = c.values[id];
      const uint32_t rid = ref.Find(f, text(f, static_cast<uint32_t>(id)));
      v.log2_tf = rid != 0 ? ref.value(f, rid).log2_tf : rare;
    }
  }
}

}  // namespace pioneer::link
