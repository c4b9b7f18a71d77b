// Timeline: the in-memory person timeline, built from the store.
//
// Everything known about each person, in date order, as a structure of arrays partitioned by
// person (layout and invariants in ARCHITECTURE.md, "The person timeline"):
//   persons 0..P-1                 one per distinct valid NHS Number
//   offsets[p] .. offsets[p+1]     person p's events, sorted by (start_day, source, row_id)
//   start_day, end_day, source, code, detail, row_id   parallel event columns
// A record is placed on the person of its NHS Number, or, when `pioneer link` traced it and the
// link is usable (automatic, or accepted by a reviewer; record_links in the store), on the
// person of the traced number - which also moves a record whose own valid number failed the
// cross-check. Records with neither are not placed and are counted per source in `linkage()`.
//
// Information governance: the timeline holds NHS Numbers and event codes. It is an internal
// analytic structure; nothing in it may be logged or printed except aggregate counts.
// Thread safety: immutable after Build; concurrent readers are safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/string_pool.h"

namespace pioneer::timeline {

// Which extract an event came from. Persisted nowhere; order is the sort tie-breaker.
enum class Source : uint8_t {
  kGpRegistration = 0,
  kGpEvent,
  kApcEpisode,
  kAeAttendance,
  kOpAppointment,
  kCommunityContact,
  kMhContact,
  kSocialCareEvent,
};
inline constexpr int kSourceCount = 8;
const char* SourceName(Source s);       // "gp_events", ...: the store table name
std::string_view SourceTable(Source s);  // same as SourceName

using PersonIndex = uint32_t;
inline constexpr int32_t kNoDate = INT32_MIN;

struct PersonColumns {
  std::vector<std::string> nhs_number;  // 10 digits
  std::vector<uint8_t> sex;             // NHS Data Dictionary: 0, 1, 2, 9 (0 when unknown)
  std::vector<int32_t> birth_day;       // days since epoch, or kNoDate
  std::vector<int32_t> death_day;       // days since epoch, or kNoDate
  std::vector<uint32_t> lsoa;           // interned in Timeline::strings()
  std::vector<uint32_t> practice;       // interned
  std::vector<uint8_t> in_pds;          // 1 if the person has a PDS current row
};

struct EventColumns {
  std::vector<int32_t> start_day;
  std::vector<int32_t> end_day;  // == start_day for point events; open-ended events: kNoDate
  std::vector<Source> source;
  std::vector<uint32_t> code;    // interned: the event's main code (see kSourceColumns)
  std::vector<uint32_t> detail;  // interned: a second descriptive code
  std::vector<int64_t> row_id;   // the source row (SQLite rowid) for drill-down
  std::vector<uint32_t> attr_row;  // row of this event in its source's AttributeTable
};

// Extra fields of one source, loaded on request (TimelineOptions), stored column by column
// for the events of that source only. Values are int32 and typed by the extract schema:
//   date fields     days since 1970-01-01, kNoDate when empty;
//   integer fields  the value, kNoValue when empty;
//   everything else an id in Timeline::strings() (0 = empty string).
// Event i of source s has its values at row events().attr_row[i] of attributes(s).
inline constexpr int32_t kNoValue = INT32_MIN;

class AttributeTable {
 public:
  // Column index of a field, or -1 if the field was not loaded.
  int FieldIndex(std::string_view field) const;
  const std::vector<std::string>& fields() const { return fields_; }
  const std::vector<int32_t>& column(int index) const { return columns_[index]; }
  int32_t Value(int field_index, uint32_t row) const { return columns_[field_index][row]; }
  size_t rows() const { return columns_.empty() ? 0 : columns_[0].size(); }

 private:
  friend class Timeline;
  std::vector<std::string> fields_;
  std::vector<std::vector<int32_t>> columns_;
};

struct TimelineOptions {
  // Fields to load into each source's AttributeTable, by store table name
  // ("apc_episodes" -> {"admission_source", "diag_02", ...}). Unknown fields are an error.
  std::map<std::string, std::vector<std::string>> attributes;
};

// Per source: how many rows could be placed on a person's timeline. A row is placed on the
// person of its traced NHS Number when `pioneer link` linked it automatically or a reviewer
// accepted the link (record_links, docs/linkage.md); otherwise on its own valid number.
// rows = linked + missing_number + invalid_number + undated.
struct LinkageCounts {
  int64_t rows = 0;
  int64_t linked = 0;             // placed: own valid NHS Number, or a usable traced one
  int64_t traced = 0;             // of linked: placed by a usable link (record_links)
  int64_t retraced = 0;           // of traced: own number was valid but failed the cross-check
  int64_t missing_number = 0;     // still unlinked: no NHS Number and no usable link
  int64_t invalid_number = 0;     // still unlinked: number fails validation, no usable link
  int64_t not_in_pds = 0;         // linked, but the number has no PDS current row
  int64_t undated = 0;            // would be linked but has no usable date (not placed)
};

struct BuildProgress {
  std::string_view stage;  // table being read
  int64_t rows_done = 0;
};

class Timeline {
 public:
  // Reads pds and every person-level extract table present in the store.
  // Errors: whatever the store returns (kUnavailable, kFailedPrecondition).
  // Errors: kInvalidArgument when options name a field the source does not have.
  static StatusOr<Timeline> Build(store::Store& store,
                                  const std::function<void(const BuildProgress&)>& progress = {},
                                  const TimelineOptions& options = {});

  size_t person_count() const { return persons_.nhs_number.size(); }
  size_t event_count() const { return events_.start_day.size(); }
  const PersonColumns& persons() const { return persons_; }
  const EventColumns& events() const { return events_; }
  // Half-open event index range [first, second) of person p.
  std::pair<uint64_t, uint64_t> EventRange(PersonIndex p) const {
    return {offsets_[p], offsets_[p + 1]};
  }
  const std::vector<uint64_t>& offsets() const { return offsets_; }
  const StringPool& strings() const { return strings_; }
  const LinkageCounts& linkage(Source s) const { return linkage_[static_cast<int>(s)]; }
  const AttributeTable& attributes(Source s) const { return attributes_[static_cast<int>(s)]; }

  // The person with this (10-digit, valid) NHS Number, if any.
  std::optional<PersonIndex> FindPerson(std::string_view nhs_number) const;

  // Checks the layout invariants; returns kInternal describing the first violation.
  Status CheckInvariants() const;

  // Approximate heap bytes held (for the benchmark and the demo summary).
  size_t MemoryBytes() const;

 private:
  PersonColumns persons_;
  EventColumns events_;
  std::vector<uint64_t> offsets_{0};
  StringPool strings_;
  std::unordered_map<std::string, PersonIndex> by_nhs_number_;
  LinkageCounts linkage_[kSourceCount];
  AttributeTable attributes_[kSourceCount];
};

}  // namespace pioneer::timeline
