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
// cross-check. Records with neither are placed on no person: they are counted per source in
// `linkage()` and, when dated, kept after every person's events (UnplacedRange) so that
// record-level measures (a hospital episode counted by the age, sex, residence and practice on
// the record) still see them. Person-level readers never meet them: EventRange covers persons
// only.
//
// Information governance: the timeline holds NHS Numbers and event codes. It is an internal
// analytic structure; nothing in it may be logged or printed except aggregate counts.
// Columns are read through spans: a Timeline is either built here (Build, heap memory) or
// mapped from a persisted snapshot (snapshot.h, docs/snapshot.md); readers cannot tell which.
// Thread safety: immutable after Build; concurrent readers are safe. Copies share the columns.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
  // Tables Pioneer writes itself (formats/derived_tables.h), read like the extracts:
  kCarePlan,     // care_plans: one event per plan (start_date .. end_date), code = status
  kRiskStratum,  // risk_strata: one point event per person and index date, code = model id
};
inline constexpr int kSourceCount = 10;
const char* SourceName(Source s);        // "gp_events", ...: the store table name
std::string_view SourceTable(Source s);  // same as SourceName

using PersonIndex = uint32_t;
inline constexpr int32_t kNoDate = INT32_MIN;

// The NHS Numbers of the persons: 10 ASCII digits per person, contiguous.
class NhsNumberColumn {
 public:
  static constexpr size_t kWidth = 10;
  NhsNumberColumn() = default;
  explicit NhsNumberColumn(std::span<const char> digits) : digits_(digits) {}
  std::string_view operator[](size_t p) const { return {digits_.data() + kWidth * p, kWidth}; }
  size_t size() const { return digits_.size() / kWidth; }
  std::span<const char> digits() const { return digits_; }

 private:
  std::span<const char> digits_;
};

// Column views. The memory behind them belongs to the Timeline (heap vectors after Build, a
// read-only file mapping after a snapshot open), so they are valid as long as the Timeline.
struct PersonColumns {
  NhsNumberColumn nhs_number;          // 10 digits
  std::span<const uint8_t> sex;        // NHS Data Dictionary: 0, 1, 2, 9 (0 when unknown)
  std::span<const int32_t> birth_day;  // days since epoch, or kNoDate
  std::span<const int32_t> death_day;  // days since epoch, or kNoDate
  std::span<const uint32_t> lsoa;      // interned in Timeline::strings()
  std::span<const uint32_t> practice;  // interned
  std::span<const uint8_t> in_pds;     // 1 if the person has a PDS current row
};

struct EventColumns {
  std::span<const int32_t> start_day;
  std::span<const int32_t> end_day;  // == start_day for point events; open-ended events: kNoDate
  std::span<const Source> source;
  std::span<const uint32_t> code;      // interned: the event's main code (see kSourceColumns)
  std::span<const uint32_t> detail;    // interned: a second descriptive code
  std::span<const int64_t> row_id;     // the source row (SQLite rowid) for drill-down
  std::span<const uint32_t> attr_row;  // row of this event in its source's AttributeTable
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
  std::span<const int32_t> column(int index) const { return columns_[index]; }
  int32_t Value(int field_index, uint32_t row) const { return columns_[field_index][row]; }
  // Rows = events of this source on the timeline (also when no field was loaded).
  size_t rows() const { return rows_; }

 private:
  friend class Timeline;
  std::vector<std::string> fields_;
  std::vector<std::span<const int32_t>> columns_;
  size_t rows_ = 0;
};

struct TimelineOptions {
  // Fields to load into each source's AttributeTable, by store table name
  // ("apc_episodes" -> {"admission_source", "diag_02", ...}). Unknown fields are an error.
  std::map<std::string, std::vector<std::string>> attributes;
  // Non-empty: read pds and only these source tables ("risk_strata", "care_plans", ...); the
  // other sources stay empty. A partial timeline answers questions about those sources alone
  // (e.g. the national-condition metrics right after risk strata were saved) and is never
  // written as a snapshot (WriteSnapshot refuses it).
  std::vector<std::string> only_tables;
};

// Per source: how many rows could be placed on a person's timeline. A row is placed on the
// person of its traced NHS Number when `pioneer link` linked it automatically or a reviewer
// accepted the link (record_links, docs/linkage.md); otherwise on its own valid number.
// rows = linked + missing_number + invalid_number + undated.
// unplaced = the dated rows of missing_number + invalid_number: kept on no person.
struct LinkageCounts {
  int64_t rows = 0;
  int64_t linked = 0;          // placed: own valid NHS Number, or a usable traced one
  int64_t traced = 0;          // of linked: placed by a usable link (record_links)
  int64_t retraced = 0;        // of traced: own number was valid but failed the cross-check
  int64_t missing_number = 0;  // still unlinked: no NHS Number and no usable link
  int64_t invalid_number = 0;  // still unlinked: number fails validation, no usable link
  int64_t not_in_pds = 0;      // linked, but the number has no PDS current row
  int64_t undated = 0;         // would be linked but has no usable date (not placed)
  int64_t unplaced = 0;        // of missing_number + invalid_number: dated, on no person
};

struct BuildProgress {
  std::string_view stage;  // table being read
  int64_t rows_done = 0;
};

// How Build reads the store. With `open_reader` and threads > 1, the tables are read in rowid
// ranges on `threads` threads, each through its own connection from open_reader (a Store is
// used from one thread at a time); the result is identical to a single-threaded build.
struct BuildParallelism {
  int threads = 1;
  std::function<StatusOr<std::unique_ptr<store::Store>>()> open_reader;
};

class Timeline {
 public:
  // Reads pds and every person-level extract table present in the store.
  // Errors: whatever the store returns (kUnavailable, kFailedPrecondition).
  // Errors: kInvalidArgument when options name a field the source does not have.
  static StatusOr<Timeline> Build(store::Store& store,
                                  const std::function<void(const BuildProgress&)>& progress = {},
                                  const TimelineOptions& options = {});
  // The same, reading the store on several threads (progress may then be called from any of
  // them, one call at a time).
  static StatusOr<Timeline> Build(store::Store& store,
                                  const std::function<void(const BuildProgress&)>& progress,
                                  const TimelineOptions& options,
                                  const BuildParallelism& parallelism);

  size_t person_count() const { return persons_.nhs_number.size(); }
  size_t event_count() const { return events_.start_day.size(); }
  const TimelineOptions& options() const { return options_; }
  const PersonColumns& persons() const { return persons_; }
  const EventColumns& events() const { return events_; }
  // Half-open event index range [first, second) of person p.
  std::pair<uint64_t, uint64_t> EventRange(PersonIndex p) const {
    return {offsets_[p], offsets_[p + 1]};
  }
  // Half-open event index range of the events placed on no person (no usable NHS Number),
  // ordered by (start_day, source, row_id); they follow every person's events.
  std::pair<uint64_t, uint64_t> UnplacedRange() const {
    return {offsets_.empty() ? 0 : offsets_.back(), event_count()};
  }
  // person_count() + 1 entries; offsets().back() is where the unplaced events begin.
  std::span<const uint64_t> offsets() const { return offsets_; }
  // Person indices ordered by NHS Number (what FindPerson searches).
  std::span<const uint32_t> nhs_order() const { return nhs_order_; }
  const StringPool& strings() const { return strings_; }
  const LinkageCounts& linkage(Source s) const { return linkage_[static_cast<int>(s)]; }
  const AttributeTable& attributes(Source s) const { return attributes_[static_cast<int>(s)]; }

  // The person with this (10-digit, valid) NHS Number, if any.
  std::optional<PersonIndex> FindPerson(std::string_view nhs_number) const;

  // Checks the layout invariants; returns kInternal describing the first violation.
  Status CheckInvariants() const;

  // Approximate bytes of the columns (heap after Build, mapped after a snapshot open).
  size_t MemoryBytes() const;

  // Every column of a timeline, as views, plus what keeps their memory alive. For the
  // snapshot reader (snapshot.cc), which assembles a Timeline over a file mapping; the
  // caller guarantees the views are consistent (CheckInvariants verifies the layout).
  struct Parts {
    PersonColumns persons;
    EventColumns events;
    std::span<const uint64_t> offsets;
    std::span<const uint32_t> nhs_order;
    StringPool strings;
    LinkageCounts linkage[kSourceCount];
    std::vector<std::string> attribute_fields[kSourceCount];
    std::vector<std::span<const int32_t>> attribute_columns[kSourceCount];
    size_t attribute_rows[kSourceCount] = {};
    TimelineOptions options;
    std::shared_ptr<const void> storage;
  };
  static Timeline FromParts(Parts parts);

 private:
  PersonColumns persons_;
  EventColumns events_;
  std::span<const uint64_t> offsets_;
  std::span<const uint32_t> nhs_order_;
  StringPool strings_;
  LinkageCounts linkage_[kSourceCount];
  AttributeTable attributes_[kSourceCount];
  TimelineOptions options_;              // the attribute fields loaded, by table
  std::shared_ptr<const void> storage_;  // owns the memory behind every view above
};

// The first difference between two timelines, field by field (counts, every person and event
// column, linkage counts, attribute fields and values, strings by id), described for a test
// message; "" when they are equal. Options and storage are not compared.
std::string FirstDifference(const Timeline& a, const Timeline& b);

}  // namespace pioneer::timeline
