#include "pioneer/link/comparison.h"

#include <fmt/format.h>

#include <cstring>

#include "pioneer/link/string_metrics.h"

namespace pioneer::link {
namespace {

// String equality that rejects on length and first byte before calling memcmp (most
// compared names differ there).
inline bool SameText(std::string_view x, std::string_view y) {
  return x.size() == y.size() && (x.empty() || (x[0] == y[0] && x == y));
}

inline bool SameValue(const RecordSet& A, Field f, uint32_t ida, const RecordSet& B, uint32_t idb) {
  if (&A == &B) return ida == idb;
  const ValueInfo& va = A.value(f, ida);
  const ValueInfo& vb = B.value(f, idb);
  return va.hash == vb.hash && SameText(A.text(f, ida), B.text(f, idb));
}

Field OtherName(Field f) { return f == Field::kGivenName ? Field::kFamilyName : Field::kGivenName; }

std::string Thr(const char* prefix, double t) { return fmt::format("{}{:.2f}", prefix, t); }

}  // namespace

std::vector<std::string> LevelLabels(const ComparisonSpec& s) {
  std::vector<std::string> l{"null"};
  switch (s.kind) {
    case ComparisonKind::kName:
      l.push_back("exact");
      if (s.swapped_level) l.push_back("swapped");
      if (s.nickname_level) l.push_back("nickname");
      for (double t : s.thresholds) l.push_back(Thr("jw>=", t));
      break;
    case ComparisonKind::kBirthDate:
      l.insert(l.end(), {"exact", "dl<=1", "dm-swap", "<=31d", "<=365d", "<=3653d"});
      break;
    case ComparisonKind::kPostcode:
      if (s.with_address) {
        l.insert(l.end(), {"exact+address", "exact", "exact,other-address", "address", "sector",
                           "district", "dl<=1", "area", "other-address"});
      } else {
        l.insert(l.end(), {"exact", "sector", "district", "dl<=1", "area"});
      }
      break;
    case ComparisonKind::kEmail:
      l.insert(l.end(), {"exact", "user", "jw>=0.88", "user-jw>=0.88"});
      break;
    case ComparisonKind::kIdentifier:
      l.insert(l.end(), {"exact", "dl<=1", "dl<=2"});
      break;
    case ComparisonKind::kText:
      l.push_back("exact");
      for (double t : s.thresholds) l.push_back(Thr("jw>=", t));
      break;
    case ComparisonKind::kSex:
      l.push_back("exact");
      break;
  }
  l.push_back("else");
  return l;
}

ComparisonSpec DefaultComparison(Field f, bool both_names) {
  ComparisonSpec s;
  s.name = std::string(FieldName(f));
  s.field = f;
  switch (f) {
    case Field::kGivenName:
    case Field::kFamilyName:
      s.kind = ComparisonKind::kName;
      s.swapped_level = both_names;
      s.nickname_level = f == Field::kGivenName;
      s.term_frequency = true;
      s.thresholds = {0.92, 0.88, 0.70};
      break;
    case Field::kBirthDate:
      s.kind = ComparisonKind::kBirthDate;
      break;
    case Field::kSex:
      s.kind = ComparisonKind::kSex;
      break;
    case Field::kPostcode:
      s.kind = ComparisonKind::kPostcode;
      s.term_frequency = true;
      break;
    case Field::kAddress:
      s.kind = ComparisonKind::kText;
      s.thresholds = {0.92, 0.80};
      break;
    case Field::kCity:
      s.kind = ComparisonKind::kText;
      s.term_frequency = true;
      s.null_with_uk_postcodes = true;
      s.thresholds = {0.92, 0.80};
      break;
    case Field::kEmail:
      s.kind = ComparisonKind::kEmail;
      break;
    case Field::kIdentifier:
    case Field::kNhsNumber:
      s.kind = ComparisonKind::kIdentifier;
      break;
  }
  return s;
}

std::vector<ComparisonSpec> DefaultComparisons(const RecordSet& r, bool link_only) {
  auto present = [&](Field f) {
    return link_only ? r.present_count(f, 0) > 0 && r.present_count(f, 1) > 0
                     : r.present_count(f) > 0;
  };
  const bool both_names = present(Field::kGivenName) && present(Field::kFamilyName);
  // Postcode and address are compared jointly for UK postcodes (a unit is ~15 addresses, so
  // a shared unit and a shared address are the same household evidence); a coarse code such
  // as FEBRL's Australian 4-digit postcode says little about the address, so there they stay
  // two comparisons.
  size_t uk = 0;
  const size_t distinct = r.distinct_values(Field::kPostcode);
  for (uint32_t id = 1; id <= distinct; ++id) uk += r.value(Field::kPostcode, id).pc_uk ? 1 : 0;
  const bool postcode_address =
      present(Field::kPostcode) && present(Field::kAddress) && 2 * uk >= distinct;
  std::vector<ComparisonSpec> out;
  for (int fi = 0; fi < kFieldCount; ++fi) {
    const auto f = static_cast<Field>(fi);
    if (!present(f)) continue;
    if (f == Field::kIdentifier && present(Field::kNhsNumber)) continue;
    if (f == Field::kAddress && postcode_address) continue;  // inside the postcode comparison
    out.push_back(DefaultComparison(f, both_names));
    if (f == Field::kPostcode && postcode_address) {
      out.back().with_address = true;
      out.back().term_frequency = false;
    }
  }
  return out;
}

ComparisonSet::ComparisonSet(std::vector<ComparisonSpec> specs) : specs_(std::move(specs)) {
  thresholds_.assign(specs_.size() * kMaxLevels, 0.0f);
  for (size_t c = 0; c < specs_.size(); ++c) {
    labels_.push_back(LevelLabels(specs_[c]));
    level_counts_.push_back(static_cast<int>(labels_.back().size()));
    for (size_t k = 0; k < specs_[c].thresholds.size() && k < kMaxLevels; ++k) {
      thresholds_[c * kMaxLevels + k] = static_cast<float>(specs_[c].thresholds[k]);
    }
  }
}

int ComparisonSet::IndexOf(Field f) const {
  for (size_t c = 0; c < specs_.size(); ++c) {
    if (specs_[c].field == f) return static_cast<int>(c);
  }
  return -1;
}

uint8_t ComparisonSet::Level(size_t c, const RecordSet& A, uint32_t a, const RecordSet& B,
                             uint32_t b) const {
  const ComparisonSpec& s = specs_[c];
  const Field f = s.field;
  const int else_level = level_counts_[c] - 1;
  const float* thr = &thresholds_[c * kMaxLevels];
  switch (s.kind) {
    case ComparisonKind::kName: {
      const uint32_t ia = A.value_id(f, a), ib = B.value_id(f, b);
      if (ia == 0 || ib == 0) return kNullLevel;
      if (SameValue(A, f, ia, B, ib)) return kExactLevel;
      uint8_t level = 2;
      const std::string_view ta = A.text(f, ia);
      const std::string_view tb = B.text(f, ib);
      // Levels in order: swapped, nickname, then Jaro-Winkler bands; each cheap test comes
      // before the similarity it makes unnecessary.
      bool swap_orientation = false;
      std::string_view tob;
      if (s.swapped_level) {
        const Field o = OtherName(f);
        const uint32_t ob = B.value_id(o, b);
        tob = B.text(o, ob);
        const uint32_t oa = A.value_id(o, a);
        // Swapped: this name is the other record's other name - unless this record's other
        // name is that one too (a record whose two names are equal, "James James", is no
        // swap of "Paul James").
        if (ob != 0 && SameText(ta, tob) && !(oa != 0 && SameText(A.text(o, oa), tob))) {
          return 2;
        }
        swap_orientation = oa != 0 && ob != 0 && SameText(A.text(o, oa), tb);
        level = 3;
      }
      if (s.nickname_level) {
        if (ShareNicknameGroup(A.value(f, ia).nickname, B.value(f, ib).nickname)) return level;
        ++level;
      }
      double jw = JaroWinkler(ta, tb);
      if (swap_orientation) jw = std::max(jw, JaroWinkler(ta, tob));  // swapped orientation
      const size_t n = s.thresholds.size();
      for (size_t k = 0; k < n; ++k, ++level) {
        if (jw >= thr[k]) return level;
      }
      return static_cast<uint8_t>(else_level);
    }
    case ComparisonKind::kBirthDate: {
      if (!A.has_birth_date(a) || !B.has_birth_date(b)) return kNullLevel;
      const BirthDate& da = A.birth_date(a);
      const BirthDate& db = B.birth_date(b);
      if (da == db) return kExactLevel;
      if (!da.full() || !db.full())
        return da.year == db.year ? 5 : static_cast<uint8_t>(else_level);
      if (DigitsWithinOneEdit(da, db)) return 2;
      if (DayMonthTransposed(da, db)) return 3;
      if (da.valid && db.valid) {
        const int32_t d = AbsDaysBetween(da, db);
        if (d <= 31) return 4;
        if (d <= 365) return 5;
        if (d <= 3653) return 6;
      }
      return static_cast<uint8_t>(else_level);
    }
    case ComparisonKind::kPostcode: {
      const uint32_t ia = A.value_id(f, a), ib = B.value_id(f, b);
      if (s.with_address) {
        const uint32_t xa = A.value_id(Field::kAddress, a), xb = B.value_id(Field::kAddress, b);
        const bool addresses = xa != 0 && xb != 0;
        const bool same_address = addresses && SameValue(A, Field::kAddress, xa, B, xb);
        if (ia == 0 || ib == 0) {
          if (!addresses) return kNullLevel;
          return same_address ? 4 : static_cast<uint8_t>(else_level - 1);
        }
        if (SameValue(A, f, ia, B, ib)) return same_address ? 1 : (addresses ? 3 : 2);
        if (same_address) return 4;
      } else {
        if (ia == 0 || ib == 0) return kNullLevel;
        if (SameValue(A, f, ia, B, ib)) return kExactLevel;
      }
      const int base = s.with_address ? 3 : 0;  // sector is level 2, or 5 with the address
      const ValueInfo& va = A.value(f, ia);
      const ValueInfo& vb = B.value(f, ib);
      const std::string_view ta = A.text(f, ia), tb = B.text(f, ib);
      const bool uk = va.pc_uk && vb.pc_uk;
      auto same_prefix = [&](uint8_t la, uint8_t lb) {
        return la == lb && std::memcmp(ta.data(), tb.data(), la) == 0;
      };
      if (uk && same_prefix(va.pc_sector, vb.pc_sector)) return static_cast<uint8_t>(base + 2);
      if (uk && same_prefix(va.pc_district, vb.pc_district)) return static_cast<uint8_t>(base + 3);
      if (DamerauLevenshteinWithin(ta, tb, 1)) return static_cast<uint8_t>(base + 4);
      if (uk && same_prefix(va.pc_area, vb.pc_area)) return static_cast<uint8_t>(base + 5);
      return static_cast<uint8_t>(else_level);
    }
    case ComparisonKind::kEmail: {
      const uint32_t ia = A.value_id(f, a), ib = B.value_id(f, b);
      if (ia == 0 || ib == 0) return kNullLevel;
      if (SameValue(A, f, ia, B, ib)) return kExactLevel;
      const std::string_view ta = A.text(f, ia), tb = B.text(f, ib);
      const std::string_view ua = ta.substr(0, A.value(f, ia).email_user_len);
      const std::string_view ub = tb.substr(0, B.value(f, ib).email_user_len);
      if (!ua.empty() && ua == ub) return 2;
      if (JaroWinkler(ta, tb) >= 0.88) return 3;
      if (!ua.empty() && !ub.empty() && JaroWinkler(ua, ub) >= 0.88) return 4;
      return static_cast<uint8_t>(else_level);
    }
    case ComparisonKind::kIdentifier: {
      const uint32_t ia = A.value_id(f, a), ib = B.value_id(f, b);
      if (ia == 0 || ib == 0) return kNullLevel;
      if (SameValue(A, f, ia, B, ib)) return kExactLevel;
      const std::string_view ta = A.text(f, ia), tb = B.text(f, ib);
      if (DamerauLevenshteinWithin(ta, tb, 1)) return 2;
      if (DamerauLevenshteinWithin(ta, tb, 2)) return 3;
      return static_cast<uint8_t>(else_level);
    }
    case ComparisonKind::kText: {
      const uint32_t ia = A.value_id(f, a), ib = B.value_id(f, b);
      if (ia == 0 || ib == 0) return kNullLevel;
      if (s.null_with_uk_postcodes) {
        const uint32_t pa = A.value_id(Field::kPostcode, a), pb = B.value_id(Field::kPostcode, b);
        if (pa != 0 && pb != 0 && A.value(Field::kPostcode, pa).pc_uk &&
            B.value(Field::kPostcode, pb).pc_uk) {
          return kNullLevel;
        }
      }
      if (SameValue(A, f, ia, B, ib)) return kExactLevel;
      const double jw = JaroWinkler(A.text(f, ia), B.text(f, ib));
      uint8_t level = 2;
      for (size_t k = 0; k < s.thresholds.size(); ++k, ++level) {
        if (jw >= thr[k]) return level;
      }
      return static_cast<uint8_t>(else_level);
    }
    case ComparisonKind::kSex: {
      const uint8_t sa = A.sex(a), sb = B.sex(b);
      if (sa == 0 || sb == 0) return kNullLevel;
      return sa == sb ? kExactLevel : static_cast<uint8_t>(else_level);
    }
  }
  return kNullLevel;
}

void ComparisonSet::Levels(const RecordSet& A, uint32_t a, const RecordSet& B, uint32_t b,
                           uint8_t* levels) const {
  for (size_t c = 0; c < specs_.size(); ++c) levels[c] = Level(c, A, a, B, b);
}

}  // namespace pioneer::link
