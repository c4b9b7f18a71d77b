#include "pioneer/timeline/timeline.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <mutex>
#include <thread>
#include <tuple>

#include "pioneer/formats/derived_tables.h"
#include "pioneer/store/master_index.h"
#include "pioneer/store/record_links.h"

namespace pioneer::timeline {
namespace {

// Which store table each Source reads. The fields that become its event are declared on the
// table's spec (formats::ExtractSpec::event), not here: adding a source is a row here, an
// enumerator and the event on its spec.
struct SourceColumns {
  Source source;
  std::string_view table;
};

constexpr SourceColumns kSourceColumns[kSourceCount] = {
    {Source::kGpRegistration, "gp_registrations"},
    {Source::kGpEvent, "gp_events"},
    {Source::kApcEpisode, "apc_episodes"},
    {Source::kAeAttendance, "ae_attendances"},
    {Source::kOpAppointment, "op_appointments"},
    {Source::kCommunityContact, "community_contacts"},
    {Source::kMhContact, "mh_contacts"},
    {Source::kSocialCareEvent, "social_care_events"},
    {Source::kCarePlan, "care_plans"},
    {Source::kRiskStratum, "risk_strata"},
};

int32_t DayOrNone(std::string_view iso) {
  if (iso.empty()) return kNoDate;
  auto d = Date::ParseIso(iso);
  return d ? d->days_since_epoch() : kNoDate;
}

int32_t IntOrNone(std::string_view text) {
  if (text.empty()) return kNoValue;
  int64_t v = 0;
  bool neg = false;
  size_t i = 0;
  if (text[0] == '-') {
    neg = true;
    i = 1;
  }
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return kNoValue;
    v = v * 10 + (text[i] - '0');
    if (v > INT32_MAX) return kNoValue;
  }
  return static_cast<int32_t>(neg ? -v : v);
}

}  // namespace

const char* SourceName(Source s) { return kSourceColumns[static_cast<int>(s)].table.data(); }
std::string_view SourceTable(Source s) { return kSourceColumns[static_cast<int>(s)].table; }

std::optional<PersonIndex> Timeline::FindPerson(std::string_view nhs_number) const {
  const NhsNumberColumn& nhs = persons_.nhs_number;
  auto it = std::lower_bound(nhs_order_.begin(), nhs_order_.end(), nhs_number,
                             [&nhs](uint32_t p, std::string_view v) { return nhs[p] < v; });
  if (it == nhs_order_.end() || nhs[*it] != nhs_number) return std::nullopt;
  return *it;
}

Timeline Timeline::FromParts(Parts parts) {
  Timeline t;
  t.persons_ = parts.persons;
  t.events_ = parts.events;
  t.offsets_ = parts.offsets;
  t.nhs_order_ = parts.nhs_order;
  t.strings_ = parts.strings;
  for (int s = 0; s < kSourceCount; ++s) {
    t.linkage_[s] = parts.linkage[s];
    t.attributes_[s].fields_ = std::move(parts.attribute_fields[s]);
    t.attributes_[s].columns_ = std::move(parts.attribute_columns[s]);
    t.attributes_[s].rows_ = parts.attribute_rows[s];
  }
  t.options_ = std::move(parts.options);
  t.storage_ = std::move(parts.storage);
  return t;
}

int AttributeTable::FieldIndex(std::string_view field) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i] == field) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// The memory behind a built timeline's views.
struct OwnedColumns {
  std::vector<char> nhs;
  std::vector<uint8_t> sex, in_pds;
  std::vector<int32_t> birth, death;
  std::vector<uint32_t> lsoa, practice;
  std::vector<int32_t> start, end;
  std::vector<Source> source;
  std::vector<uint32_t> code, detail, attr_row;
  std::vector<int64_t> row_id;
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> nhs_order;
  StringPoolColumns strings;
  std::vector<std::vector<int32_t>> attrs[kSourceCount];
};

// A usable person key: 10 digits (valid numbers always are; a traced number too), as an
// integer (exact: 10 digits < 2^34).
std::optional<uint64_t> NhsKey(std::string_view nhs) {
  if (nhs.size() != NhsNumberColumn::kWidth) return std::nullopt;
  uint64_t v = 0;
  for (char c : nhs) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// The key of a record placed on no person (no usable NHS Number): above every 10-digit key.
constexpr uint64_t kUnplacedKey = ~uint64_t{0};
// Its person slot during the merge, renumbered to person_count() before partitioning.
constexpr uint32_t kUnplacedPerson = ~uint32_t{0};

// NHS Number key -> person index; open addressing (linear probing), grows at half load.
class PersonMap {
 public:
  PersonMap() { Rehash(1 << 16); }
  // The index of `key`, inserting `next` if absent; *inserted says which.
  uint32_t FindOrInsert(uint64_t key, uint32_t next, bool* inserted) {
    if (2 * (size_ + 1) > keys_.size()) Rehash(keys_.size() * 2);
    const uint64_t stored = key + 1;  // 0 marks an empty slot
    size_t i = Slot(stored);
    while (keys_[i] != 0) {
      if (keys_[i] == stored) {
        *inserted = false;
        return values_[i];
      }
      i = (i + 1) & (keys_.size() - 1);
    }
    keys_[i] = stored;
    values_[i] = next;
    ++size_;
    *inserted = true;
    return next;
  }

 private:
  size_t Slot(uint64_t stored) const {
    return static_cast<size_t>((stored * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  void Rehash(size_t capacity) {
    std::vector<uint64_t> keys(capacity, 0);
    std::vector<uint32_t> values(capacity, 0);
    shift_ = 64 - std::countr_zero(capacity);
    keys.swap(keys_);
    values.swap(values_);
    for (size_t j = 0; j < keys.size(); ++j) {
      if (keys[j] == 0) continue;
      size_t i = Slot(keys[j]);
      while (keys_[i] != 0) i = (i + 1) & (keys_.size() - 1);
      keys_[i] = keys[j];
      values_[i] = values[j];
    }
  }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  size_t size_ = 0;
  int shift_ = 48;
};

// One rowid range of one table, read by one thread. Strings are interned in a pool of the
// chunk's own; the merge maps its ids to the timeline's, chunk by chunk in table and rowid
// order, so ids (and person indices) come out exactly as a single sequential scan gives them.
struct Chunk {
  int source = -1;         // -1: pds
  int64_t lo = 0, hi = 0;  // rowid range [lo, hi)
  Status status;
  LinkageCounts lc;  // all but not_in_pds, which the merge counts
  StringPoolBuilder strings;
  std::vector<uint64_t> nhs;  // per PDS row kept / per placed event
  // PDS rows
  std::vector<uint8_t> sex;
  std::vector<int32_t> birth, death;
  std::vector<uint32_t> lsoa, practice;
  // events
  std::vector<int32_t> start, end;
  std::vector<uint32_t> code, detail;
  std::vector<int64_t> row_id;
  std::vector<std::vector<int32_t>> attrs;
};

constexpr int64_t kChunkRows = int64_t{1} << 19;

std::string Quote(std::string_view ident) { return "\"" + std::string(ident) + "\""; }

// The options' attribute fields exist, and every source declares its event fields.
Status CheckBuildOptions(const TimelineOptions& options) {
  for (const auto& [table, fields] : options.attributes) {
    bool known_source = false;
    for (const SourceColumns& sc : kSourceColumns) known_source |= sc.table == table;
    const formats::ExtractSpec* spec = formats::FindSourceTable(table);
    if (!known_source || !spec) {
      return InvalidArgumentError("timeline: no person-level source table '" + table + "'");
    }
    for (const std::string& f : fields) {
      if (spec->FieldIndex(f) < 0) {
        return InvalidArgumentError("timeline: table '" + table + "' has no field '" + f + "'");
      }
    }
  }
  for (const SourceColumns& sc : kSourceColumns) {
    const formats::ExtractSpec* spec = formats::FindSourceTable(sc.table);
    if (!spec || spec->event.start.empty() || spec->event.code.empty()) {
      return InternalError("timeline: source table '" + std::string(sc.table) +
                           "' declares no event (formats::ExtractSpec::event)");
    }
  }
  return OkStatus();
}

// The merged events in read order (before partitioning by person), and the persons' keys.
struct MergedEvents {
  std::vector<uint32_t> person;
  std::vector<int32_t> start, end;
  std::vector<Source> source;
  std::vector<uint32_t> code, detail, attr_row;
  std::vector<int64_t> row_id;
  std::vector<uint64_t> person_key;  // per person index: the NHS Number as an integer
};

// One build, in the order Timeline::Build calls its steps.
class TimelineBuilder {
 public:
  TimelineBuilder(store::Store& store, const std::function<void(const BuildProgress&)>& progress,
                  const TimelineOptions& options)
      : store_(store), progress_(progress), options_(options) {
    parts_.options = options;
  }

  // Requested attribute fields per source, typed by the extract schema.
  void PlanAttributes();
  // 1. Usable NHS Number tracing decisions (`pioneer link`, store schema version 2):
  // table -> row id -> traced number, for automatic and reviewer-accepted links.
  Status LoadLinks();
  // 2. The chunks: PDS (the master person index) first, then every activity table, each in
  // rowid ranges.
  Status PlanChunks();
  // 3. Read the chunks: on this thread with the store, and on further threads each with its
  // own connection when the caller allows it.
  Status ReadChunks(const BuildParallelism& parallelism);
  // 4. Merge, chunk by chunk in order: global string ids, person indices (PDS first, then in
  // order of first appearance), per-source attribute rows.
  Status Merge(OwnedColumns& o, StringPoolBuilder& strings, MergedEvents& m);
  // 5 and 6: partition by person and order, then the persons' numbers; the timeline's parts.
  Timeline::Parts Finish(std::shared_ptr<OwnedColumns> owned, StringPoolBuilder& strings,
                         MergedEvents& m);

 private:
  Status AddChunks(int source, std::string_view table);
  void Report(int source, int64_t n) {
    if (!progress_) return;
    int64_t total = rows_read_[source + 1].fetch_add(n) + n;
    std::lock_guard<std::mutex> lock(progress_mu_);
    progress_({source < 0 ? formats::kMasterIndexTable : kSourceColumns[source].table, total});
  }
  void ReadChunk(store::Store& st, Chunk& c);
  void ReadPdsChunk(store::Store& st, Chunk& c, const std::vector<store::Param>& range);
  void ReadEventChunk(store::Store& st, Chunk& c, const std::vector<store::Param>& range);
  void MergeEventChunk(Chunk& c, const std::vector<uint32_t>& ids, OwnedColumns& o, MergedEvents& m,
                       size_t& k);
  // The person index of `key`, adding a person (with empty PDS columns) on first sight.
  PersonIndex AddPerson(uint64_t key, OwnedColumns& o, MergedEvents& m) {
    bool inserted = false;
    PersonIndex p =
        by_nhs_.FindOrInsert(key, static_cast<PersonIndex>(m.person_key.size()), &inserted);
    if (inserted) {
      m.person_key.push_back(key);
      o.sex.push_back(0);
      o.birth.push_back(kNoDate);
      o.death.push_back(kNoDate);
      o.lsoa.push_back(0);
      o.practice.push_back(0);
      o.in_pds.push_back(0);
    }
    return p;
  }

  store::Store& store_;
  const std::function<void(const BuildProgress&)>& progress_;
  const TimelineOptions& options_;
  Timeline::Parts parts_;
  std::vector<formats::FieldType> attr_types_[kSourceCount];
  std::unordered_map<int64_t, uint64_t> links_[kSourceCount];
  std::vector<Chunk> chunks_;
  std::mutex progress_mu_;
  std::atomic<int64_t> rows_read_[kSourceCount + 1] = {};
  PersonMap by_nhs_;
  uint32_t attr_rows_[kSourceCount] = {};
};

void TimelineBuilder::PlanAttributes() {
  for (const SourceColumns& sc : kSourceColumns) {
    const int si = static_cast<int>(sc.source);
    if (auto it = options_.attributes.find(std::string(sc.table));
        it != options_.attributes.end()) {
      const formats::ExtractSpec* spec = formats::FindSourceTable(sc.table);
      for (const std::string& f : it->second) {
        parts_.attribute_fields[si].push_back(f);
        attr_types_[si].push_back(spec->fields[spec->FieldIndex(f)].type);
      }
    }
  }
}

Status TimelineBuilder::LoadLinks() {
  return store::ForEachUsableLink(
      store_, "", [&](std::string_view table, int64_t row_id, std::string_view traced) {
        auto key = NhsKey(traced);
        if (!key) return;
        for (const SourceColumns& sc : kSourceColumns) {
          if (sc.table == table) links_[static_cast<int>(sc.source)].emplace(row_id, *key);
        }
      });
}

Status TimelineBuilder::AddChunks(int source, std::string_view table) {
  if (!store_.HasTable(table)) return OkStatus();
  int64_t lo = 0, hi = -1;
  const std::string rid(store_.dialect().RowIdColumn());
  PIONEER_RETURN_IF_ERROR(
      store_.Query("SELECT min(" + rid + "), max(" + rid + ") FROM " + Quote(table), {},
                   [&](const store::RowView& r) {
                     if (!r.IsNull(0)) {
                       lo = r.Int(0);
                       hi = r.Int(1);
                     }
                   }));
  for (int64_t a = lo; a <= hi; a += kChunkRows) {
    Chunk& c = chunks_.emplace_back();
    c.source = source;
    c.lo = a;
    c.hi = std::min(hi + 1, a + kChunkRows);
  }
  return OkStatus();
}

Status TimelineBuilder::PlanChunks() {
  PIONEER_RETURN_IF_ERROR(AddChunks(-1, formats::kMasterIndexTable));
  for (const SourceColumns& sc : kSourceColumns) {
    const auto& only = options_.only_tables;
    if (!only.empty() && std::find(only.begin(), only.end(), sc.table) == only.end()) continue;
    PIONEER_RETURN_IF_ERROR(AddChunks(static_cast<int>(sc.source), sc.table));
  }
  return OkStatus();
}

// Reads one chunk through `st` (the calling thread's own connection).
void TimelineBuilder::ReadChunk(store::Store& st, Chunk& c) {
  const std::vector<store::Param> range = {store::Param::Of(c.lo), store::Param::Of(c.hi)};
  if (c.source < 0) {
    ReadPdsChunk(st, c, range);
  } else {
    ReadEventChunk(st, c, range);
  }
}

// The current rows with a valid number: each person's sex, dates, LSOA and practice.
void TimelineBuilder::ReadPdsChunk(store::Store& st, Chunk& c,
                                   const std::vector<store::Param>& range) {
  int64_t since_report = 0;
  const std::string rid(st.dialect().RowIdColumn());
  c.status = st.Query(
      "SELECT nhs_number, nhs_number_status, record_type, sex, birth_date, death_date, "
      "lsoa_code, gp_practice_code FROM " +
          std::string(formats::kMasterIndexTable) + " WHERE " + rid + " >= ?1 AND " + rid +
          " < ?2 ORDER BY " + rid,
      range, [&](const store::RowView& r) {
        if (++since_report == 0x10000) {
          Report(-1, since_report);
          since_report = 0;
        }
        if (!store::IsCurrentPersonRow(r.Text(1), r.Text(2))) return;
        auto key = NhsKey(r.Text(0));
        if (!key) return;
        c.nhs.push_back(*key);
        std::string_view sex = r.Text(3);
        c.sex.push_back(sex.size() == 1 && sex[0] >= '0' && sex[0] <= '9'
                            ? static_cast<uint8_t>(sex[0] - '0')
                            : 0);
        c.birth.push_back(DayOrNone(r.Text(4)));
        c.death.push_back(DayOrNone(r.Text(5)));
        c.lsoa.push_back(c.strings.Intern(r.Text(6)));
        c.practice.push_back(c.strings.Intern(r.Text(7)));
      });
}

// An activity table's rows: each placed on the person of its usable link, else of its own
// valid number, else kept on no person (dated rows only), with the linkage counts.
void TimelineBuilder::ReadEventChunk(store::Store& st, Chunk& c,
                                     const std::vector<store::Param>& range) {
  int64_t since_report = 0;
  const SourceColumns& sc = kSourceColumns[c.source];
  const formats::EventFields& ev = formats::FindSourceTable(sc.table)->event;
  const std::vector<formats::FieldType>& types = attr_types_[c.source];
  const std::string rid(st.dialect().RowIdColumn());
  std::string sql = "SELECT " + rid + ", nhs_number, nhs_number_status, " + Quote(ev.start) + ", " +
                    Quote(ev.end.empty() ? ev.start : ev.end) + ", " + Quote(ev.code) + ", " +
                    Quote(ev.detail.empty() ? ev.code : ev.detail);
  for (const std::string& f : parts_.attribute_fields[c.source]) sql += ", " + Quote(f);
  sql +=
      " FROM " + Quote(sc.table) + " WHERE " + rid + " >= ?1 AND " + rid + " < ?2 ORDER BY " + rid;
  const size_t expect = static_cast<size_t>(c.hi - c.lo);
  c.start.reserve(expect);
  c.end.reserve(expect);
  c.code.reserve(expect);
  c.detail.reserve(expect);
  c.row_id.reserve(expect);
  c.nhs.reserve(expect);
  c.attrs.resize(types.size());
  for (auto& a : c.attrs) a.reserve(expect);
  const bool has_end = !ev.end.empty(), has_detail = !ev.detail.empty();
  const std::unordered_map<int64_t, uint64_t>& row_links = links_[c.source];
  LinkageCounts& lc = c.lc;
  c.status = st.Query(sql, range, [&](const store::RowView& r) {
    ++lc.rows;
    if (++since_report == 0x10000) {
      Report(c.source, since_report);
      since_report = 0;
    }
    std::string_view status = r.Text(2);
    std::optional<uint64_t> traced;
    if (!row_links.empty()) {
      auto it = row_links.find(r.Int(0));
      if (it != row_links.end()) traced = it->second;
    }
    std::optional<uint64_t> own = status == "valid" ? NhsKey(r.Text(1)) : std::nullopt;
    int32_t start = DayOrNone(r.Text(3));
    if (!own && !traced) {
      if (status == "missing" || status == "empty")
        ++lc.missing_number;
      else
        ++lc.invalid_number;
      if (start == kNoDate) return;
      ++lc.unplaced;  // kept, on no person (Timeline::UnplacedRange)
    } else if (start == kNoDate) {
      ++lc.undated;
      return;
    } else {
      ++lc.linked;
      if (traced) {
        ++lc.traced;
        if (status == "valid") ++lc.retraced;
      }
    }
    c.nhs.push_back(traced ? *traced : own ? *own : kUnplacedKey);
    c.start.push_back(start);
    c.end.push_back(has_end ? DayOrNone(r.Text(4)) : start);
    for (size_t a = 0; a < types.size(); ++a) {
      std::string_view v = r.Text(7 + static_cast<int>(a));
      c.attrs[a].push_back(types[a] == formats::FieldType::kDate ? DayOrNone(v)
                           : types[a] == formats::FieldType::kInteger
                               ? IntOrNone(v)
                               : static_cast<int32_t>(c.strings.Intern(v)));
    }
    c.code.push_back(c.strings.Intern(r.Text(5)));
    c.detail.push_back(has_detail ? c.strings.Intern(r.Text(6)) : 0u);
    c.row_id.push_back(r.Int(0));
  });
}

Status TimelineBuilder::ReadChunks(const BuildParallelism& parallelism) {
  std::atomic<size_t> next{0};
  auto work = [&](store::Store& st) {
    for (size_t i = next++; i < chunks_.size(); i = next++) ReadChunk(st, chunks_[i]);
  };
  std::vector<std::unique_ptr<store::Store>> readers;
  for (int k = 1; k < parallelism.threads && parallelism.open_reader; ++k) {
    auto r = parallelism.open_reader();
    if (!r.ok()) break;  // fewer threads; the result is the same
    readers.push_back(std::move(*r));
  }
  std::vector<std::thread> threads;
  for (auto& r : readers) threads.emplace_back([&work, &r] { work(*r); });
  work(store_);
  for (auto& t : threads) t.join();
  for (const Chunk& c : chunks_) PIONEER_RETURN_IF_ERROR(c.status);
  return OkStatus();
}

Status TimelineBuilder::Merge(OwnedColumns& o, StringPoolBuilder& strings, MergedEvents& m) {
  size_t total_events = 0;
  for (const Chunk& c : chunks_) total_events += c.source < 0 ? 0 : c.start.size();
  m.person.resize(total_events);
  m.start.resize(total_events);
  m.end.resize(total_events);
  m.source.resize(total_events);
  m.code.resize(total_events);
  m.detail.resize(total_events);
  m.attr_row.resize(total_events);
  m.row_id.resize(total_events);
  size_t k = 0;
  for (Chunk& c : chunks_) {
    std::vector<uint32_t> ids(c.strings.size());
    for (uint32_t i = 0; i < ids.size(); ++i) ids[i] = strings.Intern(c.strings.Get(i));
    if (c.source < 0) {
      for (size_t i = 0; i < c.nhs.size(); ++i) {
        PersonIndex p = AddPerson(c.nhs[i], o, m);
        if (o.in_pds[p]) continue;  // a duplicated current row: first one wins
        o.in_pds[p] = 1;
        o.sex[p] = c.sex[i];
        o.birth[p] = c.birth[i];
        o.death[p] = c.death[i];
        o.lsoa[p] = ids[c.lsoa[i]];
        o.practice[p] = ids[c.practice[i]];
      }
    } else {
      MergeEventChunk(c, ids, o, m, k);
    }
    c = Chunk{};
  }
  for (int s = 0; s < kSourceCount; ++s) {
    parts_.attribute_rows[s] = attr_rows_[s];
    o.attrs[s].resize(attr_types_[s].size());  // a source absent from the store: empty columns
  }
  chunks_.clear();
  if (total_events > UINT32_MAX) {
    return InvalidArgumentError("timeline: more than 2^32 events");
  }
  return OkStatus();
}

// Adds an event chunk's linkage counts, attribute rows and events (from index k on).
void TimelineBuilder::MergeEventChunk(Chunk& c, const std::vector<uint32_t>& ids, OwnedColumns& o,
                                      MergedEvents& m, size_t& k) {
  const int si = c.source;
  LinkageCounts& lc = parts_.linkage[si];
  lc.rows += c.lc.rows;
  lc.linked += c.lc.linked;
  lc.traced += c.lc.traced;
  lc.retraced += c.lc.retraced;
  lc.missing_number += c.lc.missing_number;
  lc.invalid_number += c.lc.invalid_number;
  lc.undated += c.lc.undated;
  lc.unplaced += c.lc.unplaced;
  const std::vector<formats::FieldType>& types = attr_types_[si];
  std::vector<std::vector<int32_t>>& attr_cols = o.attrs[si];
  attr_cols.resize(types.size());
  for (size_t a = 0; a < types.size(); ++a) {
    std::vector<int32_t>& col = attr_cols[a];
    const bool text =
        types[a] != formats::FieldType::kDate && types[a] != formats::FieldType::kInteger;
    for (int32_t v : c.attrs[a]) col.push_back(text ? static_cast<int32_t>(ids[v]) : v);
    c.attrs[a] = {};
  }
  for (size_t i = 0; i < c.start.size(); ++i, ++k) {
    if (c.nhs[i] == kUnplacedKey) {
      m.person[k] = kUnplacedPerson;  // renumbered after the persons (Finish)
    } else {
      PersonIndex p = AddPerson(c.nhs[i], o, m);
      if (!o.in_pds[p]) ++lc.not_in_pds;
      m.person[k] = p;
    }
    m.start[k] = c.start[i];
    m.end[k] = c.end[i];
    m.source[k] = static_cast<Source>(si);
    m.code[k] = ids[c.code[i]];
    m.detail[k] = ids[c.detail[i]];
    m.row_id[k] = c.row_id[i];
    m.attr_row[k] = attr_rows_[si]++;
  }
}

Timeline::Parts TimelineBuilder::Finish(std::shared_ptr<OwnedColumns> owned,
                                        StringPoolBuilder& strings, MergedEvents& m) {
  OwnedColumns& o = *owned;
  // 5. Partition by person (counting sort, stable), the unplaced events last as if of one
  // more person, then order each person's events (and the unplaced ones) by
  // (start_day, source, row_id): a total key, so the result does not depend on read order.
  const size_t n = m.person.size(), persons = m.person_key.size();
  for (uint32_t& p : m.person) {
    if (p == kUnplacedPerson) p = static_cast<uint32_t>(persons);
  }
  std::vector<uint64_t> bounds(persons + 2, 0);
  for (size_t i = 0; i < n; ++i) ++bounds[m.person[i] + 1];
  for (size_t p = 0; p <= persons; ++p) bounds[p + 1] += bounds[p];
  std::vector<uint32_t> perm(n);
  {
    std::vector<uint64_t> cursor(bounds.begin(), bounds.end() - 1);
    for (size_t i = 0; i < n; ++i) perm[cursor[m.person[i]]++] = static_cast<uint32_t>(i);
  }
  m.person = {};
  for (size_t p = 0; p <= persons; ++p) {
    std::sort(perm.begin() + static_cast<std::ptrdiff_t>(bounds[p]),
              perm.begin() + static_cast<std::ptrdiff_t>(bounds[p + 1]),
              [&](uint32_t a, uint32_t b) {
                return std::tie(m.start[a], m.source[a], m.row_id[a]) <
                       std::tie(m.start[b], m.source[b], m.row_id[b]);
              });
  }
  auto gather = [&perm, n]<typename T>(std::vector<T>& in, std::vector<T>& out) {
    out.resize(n);
    for (size_t i = 0; i < n; ++i) out[i] = in[perm[i]];
    in = {};
  };
  bounds.pop_back();  // the persons' offsets end where the unplaced events begin
  o.offsets = std::move(bounds);
  gather(m.end, o.end);
  gather(m.code, o.code);
  gather(m.detail, o.detail);
  gather(m.attr_row, o.attr_row);
  gather(m.row_id, o.row_id);
  gather(m.source, o.source);
  gather(m.start, o.start);
  perm = {};

  // 6. Persons' NHS Numbers (10 digits) and their order; strings.
  const std::vector<uint64_t>& person_key = m.person_key;
  o.nhs.resize(persons * NhsNumberColumn::kWidth);
  for (size_t p = 0; p < persons; ++p) {
    uint64_t v = person_key[p];
    for (int d = static_cast<int>(NhsNumberColumn::kWidth) - 1; d >= 0; --d) {
      o.nhs[p * NhsNumberColumn::kWidth + static_cast<size_t>(d)] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  }
  o.nhs_order.resize(persons);
  for (uint32_t p = 0; p < persons; ++p) o.nhs_order[p] = p;
  std::sort(o.nhs_order.begin(), o.nhs_order.end(),
            [&person_key](uint32_t a, uint32_t b) { return person_key[a] < person_key[b]; });
  o.strings = strings.Freeze();

  Timeline::Parts parts = std::move(parts_);
  parts.persons = {NhsNumberColumn(o.nhs), o.sex, o.birth, o.death, o.lsoa, o.practice, o.in_pds};
  parts.events = {o.start, o.end, o.source, o.code, o.detail, o.row_id, o.attr_row};
  parts.offsets = o.offsets;
  parts.nhs_order = o.nhs_order;
  parts.strings = o.strings.View();
  for (int s = 0; s < kSourceCount; ++s) {
    for (const auto& c : o.attrs[s]) parts.attribute_columns[s].emplace_back(c);
  }
  parts.storage = std::move(owned);
  return parts;
}

}  // namespace

StatusOr<Timeline> Timeline::Build(store::Store& store,
                                   const std::function<void(const BuildProgress&)>& progress,
                                   const TimelineOptions& options) {
  return Build(store, progress, options, BuildParallelism{});
}

StatusOr<Timeline> Timeline::Build(store::Store& store,
                                   const std::function<void(const BuildProgress&)>& progress,
                                   const TimelineOptions& options,
                                   const BuildParallelism& parallelism) {
  PIONEER_RETURN_IF_ERROR(CheckBuildOptions(options));
  TimelineBuilder b(store, progress, options);
  b.PlanAttributes();
  PIONEER_RETURN_IF_ERROR(b.LoadLinks());
  PIONEER_RETURN_IF_ERROR(b.PlanChunks());
  PIONEER_RETURN_IF_ERROR(b.ReadChunks(parallelism));
  auto owned = std::make_shared<OwnedColumns>();
  StringPoolBuilder strings;
  MergedEvents merged;
  PIONEER_RETURN_IF_ERROR(b.Merge(*owned, strings, merged));
  return FromParts(b.Finish(std::move(owned), strings, merged));
}

Status Timeline::CheckInvariants() const {
  const size_t n = event_count(), np = person_count();
  if (offsets_.size() != np + 1 || offsets_.front() != 0 || offsets_.back() > n) {
    return InternalError("timeline: offsets do not span the events");
  }
  if (events_.end_day.size() != n || events_.source.size() != n || events_.code.size() != n ||
      events_.detail.size() != n || events_.row_id.size() != n || events_.attr_row.size() != n) {
    return InternalError("timeline: event columns differ in length");
  }
  if (persons_.sex.size() != np || persons_.birth_day.size() != np ||
      persons_.death_day.size() != np || persons_.lsoa.size() != np ||
      persons_.practice.size() != np || persons_.in_pds.size() != np || nhs_order_.size() != np) {
    return InternalError("timeline: person columns differ in length");
  }
  for (size_t k = 1; k < np; ++k) {
    if (!(persons_.nhs_number[nhs_order_[k - 1]] < persons_.nhs_number[nhs_order_[k]])) {
      return InternalError("timeline: the NHS Number order is not strictly increasing");
    }
  }
  const size_t ns = strings_.size();
  for (size_t p = 0; p < np; ++p) {
    if (persons_.lsoa[p] >= ns || persons_.practice[p] >= ns) {
      return InternalError("timeline: a person refers to an unknown string");
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const int s = static_cast<int>(events_.source[i]);
    if (s >= kSourceCount || events_.attr_row[i] >= attributes_[s].rows() ||
        events_.code[i] >= ns || events_.detail[i] >= ns) {
      return InternalError("timeline: event " + std::to_string(i) +
                           " has an unknown source, attribute row or string");
    }
  }
  for (const AttributeTable& a : attributes_) {
    if (a.columns_.size() != a.fields_.size()) {
      return InternalError("timeline: attribute fields and columns differ");
    }
    for (const auto& c : a.columns_) {
      if (c.size() != a.rows()) return InternalError("timeline: attribute column length");
    }
  }
  for (size_t p = 0; p <= person_count(); ++p) {  // p == person_count(): the unplaced events
    const uint64_t b = offsets_[p], e = p < person_count() ? offsets_[p + 1] : n;
    if (b > e) return InternalError("timeline: offsets decrease");
    for (uint64_t i = b + 1; i < e; ++i) {
      auto key = [this](uint64_t k) {
        return std::tuple(events_.start_day[k], events_.source[k], events_.row_id[k]);
      };
      if (!(key(i - 1) < key(i))) {
        return InternalError(p < person_count()
                                 ? "timeline: events of person " + std::to_string(p) +
                                       " are not strictly ordered"
                                 : "timeline: unplaced events are not strictly "
                                   "ordered");
      }
    }
  }
  return OkStatus();
}

size_t Timeline::MemoryBytes() const {
  size_t b = event_count() * (4 + 4 + 1 + 4 + 4 + 8 + 4) + offsets_.size() * 8;
  for (const AttributeTable& a : attributes_) b += a.rows() * a.fields().size() * 4;
  b += person_count() * (10 + 1 + 4 + 4 + 4 + 4 + 1 + 4);
  b += strings_.bytes().size() + strings_.size() * 12;
  return b;
}

namespace {

template <typename A, typename B>
std::string ColumnDifference(const char* name, const A& a, const B& b) {
  if (a.size() != b.size()) {
    return std::string(name) + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
           " values";
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i])) return std::string(name) + " differs at " + std::to_string(i);
  }
  return "";
}

}  // namespace

std::string FirstDifference(const Timeline& a, const Timeline& b) {
  const PersonColumns &pa = a.persons(), &pb = b.persons();
  const EventColumns &ea = a.events(), &eb = b.events();
  std::string d;
  auto check = [&d](std::string diff) {
    if (d.empty()) d = std::move(diff);
  };
  check(ColumnDifference("persons.nhs_number", pa.nhs_number, pb.nhs_number));
  check(ColumnDifference("persons.sex", pa.sex, pb.sex));
  check(ColumnDifference("persons.birth_day", pa.birth_day, pb.birth_day));
  check(ColumnDifference("persons.death_day", pa.death_day, pb.death_day));
  check(ColumnDifference("persons.lsoa", pa.lsoa, pb.lsoa));
  check(ColumnDifference("persons.practice", pa.practice, pb.practice));
  check(ColumnDifference("persons.in_pds", pa.in_pds, pb.in_pds));
  check(ColumnDifference("persons.nhs_order", a.nhs_order(), b.nhs_order()));
  check(ColumnDifference("offsets", a.offsets(), b.offsets()));
  check(ColumnDifference("events.start_day", ea.start_day, eb.start_day));
  check(ColumnDifference("events.end_day", ea.end_day, eb.end_day));
  check(ColumnDifference("events.source", ea.source, eb.source));
  check(ColumnDifference("events.code", ea.code, eb.code));
  check(ColumnDifference("events.detail", ea.detail, eb.detail));
  check(ColumnDifference("events.row_id", ea.row_id, eb.row_id));
  check(ColumnDifference("events.attr_row", ea.attr_row, eb.attr_row));
  if (a.strings().size() != b.strings().size()) check("strings: different counts");
  for (uint32_t i = 0; d.empty() && i < a.strings().size(); ++i) {
    if (a.strings().Get(i) != b.strings().Get(i)) check("string " + std::to_string(i) + " differs");
  }
  check(ColumnDifference("strings.sorted", a.strings().sorted(), b.strings().sorted()));
  for (int s = 0; d.empty() && s < kSourceCount; ++s) {
    const std::string src = SourceName(static_cast<Source>(s));
    const LinkageCounts &la = a.linkage(static_cast<Source>(s)),
                        &lb = b.linkage(static_cast<Source>(s));
    if (std::tie(la.rows, la.linked, la.traced, la.retraced, la.missing_number, la.invalid_number,
                 la.not_in_pds, la.undated, la.unplaced) !=
        std::tie(lb.rows, lb.linked, lb.traced, lb.retraced, lb.missing_number, lb.invalid_number,
                 lb.not_in_pds, lb.undated, lb.unplaced)) {
      check("linkage counts of " + src);
    }
    const AttributeTable &aa = a.attributes(static_cast<Source>(s)),
                         &ab = b.attributes(static_cast<Source>(s));
    if (aa.rows() != ab.rows()) check("attribute rows of " + src);
    if (aa.fields() != ab.fields()) check("attribute fields of " + src);
    for (size_t k = 0; d.empty() && k < aa.fields().size(); ++k) {
      check(ColumnDifference((src + "." + aa.fields()[k]).c_str(), aa.column(static_cast<int>(k)),
                             ab.column(static_cast<int>(k))));
    }
  }
  return d;
}

}  // namespace pioneer::timeline
