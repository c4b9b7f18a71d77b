// RecordSet: person records prepared for fast comparison - normalised once and interned, so
// that scoring a pair does no parsing and no allocation.
//
// Each string field (names, postcode, address, city, email, identifier, NHS Number) of a
// record is a value id; id 0 means missing. A record's value ids, birth date and sex sit
// together in one 64-byte row (scoring a pair reads every field of two records, which are
// far apart in memory: one cache line each instead of one per field). A value id indexes that
// field's value table, which holds the normalised text (in one arena), its 64-bit hash, its Soundex
// key (name fields), nickname groups (given names), postcode part lengths, the email user-name
// length, and the value's term frequency (share of non-missing records holding it). Birth dates are
// BirthDate values; sex is 0/1/2.
//
// Records carry a `source` (0 or 1: which file, for link-only jobs) and an `entity`
// (the person a row belongs to; normally its own index, but a master person index adds
// one row per history instance of a person, all with the same entity).
//
// Equality of values across two RecordSets is decided by hash and bytes, so a query set
// can be compared with a reference set (tracing) without sharing an interner; term
// frequencies of the query set can be taken from the reference (UseTermFrequenciesFrom).
//
// Invariants: value id 0 is the empty string in every table; the value tables never
// shrink; term frequencies are only meaningful after ComputeTermFrequencies or
// UseTermFrequenciesFrom. Thread safety: building (Add, ComputeTermFrequencies) is
// single-threaded; a built RecordSet is read-only and may be shared by any number of
// threads.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pioneer/link/birth_date.h"
#include "pioneer/link/nicknames.h"
#include "pioneer/link/person_record.h"

namespace pioneer::link {

struct ValueInfo {
  uint64_t hash = 0;
  uint32_t offset = 0;  // into the field's arena
  uint16_t length = 0;
  uint16_t soundex = 0;  // SoundexKey for name fields, else 0
  float log2_tf = 0;     // log2(term frequency); 0 until computed
  uint16_t email_user_len = 0;
  uint8_t pc_area = 0, pc_district = 0, pc_sector = 0;  // UK postcode prefix lengths
  uint8_t pc_uk = 0;
  uint32_t count = 0;         // records holding this value (set by ComputeTermFrequencies)
  NicknameGroups nickname{};  // given names: nickname groups (nicknames.h), else zeros
};

// Fields that Add could not interpret (bit = 1 << Field); they are stored as missing,
// except invalid-calendar birth dates, which are kept (see birth_date.h) and not flagged.
using UnparsedMask = uint32_t;

class RecordSet {
 public:
  RecordSet();
  RecordSet(RecordSet&&) = default;
  RecordSet& operator=(RecordSet&&) = default;

  // Appends a record; returns its index. entity < 0 means "its own index".
  uint32_t Add(const PersonRecord& r, uint8_t source = 0, int64_t entity = -1,
               UnparsedMask* unparsed = nullptr);

  // Term frequencies from this set's own values.
  void ComputeTermFrequencies();
  // Term frequencies looked up in `reference` (values it lacks get frequency
  // 1 / reference's non-missing count, i.e. as rare as a singleton).
  void UseTermFrequenciesFrom(const RecordSet& reference);

  uint32_t size() const { return static_cast<uint32_t>(ids_.size()); }
  const std::string& id(uint32_t r) const { return ids_[r]; }
  uint8_t source(uint32_t r) const { return source_[r]; }
  uint32_t entity(uint32_t r) const { return entity_[r]; }
  uint8_t sex(uint32_t r) const { return rows_[r].sex; }
  bool has_birth_date(uint32_t r) const { return rows_[r].has_dob != 0; }
  const BirthDate& birth_date(uint32_t r) const { return rows_[r].dob; }

  // Value id of a string field for record r (0 = missing).
  // REQUIRES: f is a string field (not kBirthDate, not kSex).
  uint32_t value_id(Field f, uint32_t r) const { return rows_[r].ids[Index(f)]; }
  const ValueInfo& value(Field f, uint32_t id) const { return cols_[Index(f)].values[id]; }
  std::string_view text(Field f, uint32_t id) const {
    const Column& c = cols_[Index(f)];
    const ValueInfo& v = c.values[id];
    return std::string_view(c.arena.data() + v.offset, v.length);
  }
  // Convenience: the normalised text of field f for record r ("" if missing).
  std::string_view text_of(Field f, uint32_t r) const { return text(f, value_id(f, r)); }
  // Number of distinct non-missing values of a string field.
  size_t distinct_values(Field f) const { return cols_[Index(f)].values.size() - 1; }
  // Records with a non-missing value for f (any field, including birth date and sex).
  int64_t present_count(Field f) const { return present_[static_cast<size_t>(f)]; }
  // The same, counting only records of source 0 or 1.
  int64_t present_count(Field f, uint8_t source) const {
    return present_by_source_[source & 1][static_cast<size_t>(f)];
  }
  // Id of value `text` (already normalised) in field f, or 0 if absent.
  uint32_t Find(Field f, std::string_view normalised) const;

  static bool IsStringField(Field f) { return f != Field::kBirthDate && f != Field::kSex; }

 private:
  struct Column {
    std::string arena;
    std::vector<ValueInfo> values;  // [0] = missing
    // hash -> id; on a (astronomically rare) 64-bit collision the key is re-hashed.
    std::unordered_map<uint64_t, uint32_t> lookup;
  };
  // What scoring reads of one record, in one cache line.
  struct alignas(64) Row {
    uint32_t ids[kFieldCount] = {};  // value ids by Field; birth date and sex slots stay 0
    BirthDate dob;
    uint8_t sex = 0;
    uint8_t has_dob = 0;
  };
  static_assert(sizeof(Row) == 64, "a record's row is one cache line");
  static size_t Index(Field f) { return static_cast<size_t>(f); }
  uint32_t Intern(Field f, std::string_view normalised);

  std::vector<std::string> ids_;
  std::vector<uint8_t> source_;
  std::vector<uint32_t> entity_;
  std::vector<Row> rows_;
  std::vector<Column> cols_;  // value tables indexed by Field; birth date and sex stay empty
  std::vector<int64_t> present_;
  std::vector<int64_t> present_by_source_[2];
};

// 64-bit FNV-1a followed by a murmur finaliser: the hash used for values and block keys.
uint64_t HashBytes(std::string_view s);
inline uint64_t HashCombine(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace pioneer::link
