#include "pioneer/timeline/timeline.h"

#include <algorithm>
#include <tuple>

#include "pioneer/formats/extract_schema.h"

namespace pioneer::timeline {
namespace {

// Which columns of each source table become an event. Data, not code: adding a source is a
// row here plus an enumerator.
struct SourceColumns {
  Source source;
  std::string_view table;
  std::string_view start;
  std::string_view end;  // empty: point event
  std::string_view code;
  std::string_view detail;
};

constexpr SourceColumns kSourceColumns[kSourceCount] = {
    {Source::kGpRegistration, "gp_registrations", "registration_start_date",
     "registration_end_date", "gp_practice_code", "deregistration_reason"},
    {Source::kGpEvent, "gp_events", "event_date", "", "snomed_concept_id", ""},
    {Source::kApcEpisode, "apc_episodes", "episode_start_date", "episode_end_date", "diag_01",
     "admission_method"},
    {Source::kAeAttendance, "ae_attendances", "arrival_date", "departure_date", "chief_complaint",
     "disposal"},
    {Source::kOpAppointment, "op_appointments", "appointment_date", "", "treatment_specialty",
     "attended"},
    {Source::kCommunityContact, "community_contacts", "contact_date", "", "team_type",
     "contact_location"},
    {Source::kMhContact, "mh_contacts", "contact_date", "", "team_type", "attended"},
    {Source::kSocialCareEvent, "social_care_events", "event_start_date", "event_end_date",
     "event_type", "service_type"},
};

int32_t DayOrNone(std::string_view iso) {
  if (iso.empty()) return kNoDate;
  auto d = Date::ParseIso(iso);
  return d ? d->days_since_epoch() : kNoDate;
}

struct PendingEvent {
  PersonIndex person;
  int32_t start;
  int32_t end;
  Source source;
  uint32_t code;
  uint32_t detail;
  int64_t row_id;
  uint32_t attr_row;
};

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
  auto it = by_nhs_number_.find(std::string(nhs_number));
  if (it == by_nhs_number_.end()) return std::nullopt;
  return it->second;
}

int AttributeTable::FieldIndex(std::string_view field) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i] == field) return static_cast<int>(i);
  }
  return -1;
}

StatusOr<Timeline> Timeline::Build(store::Store& store,
                                   const std::function<void(const BuildProgress&)>& progress,
                                   const TimelineOptions& options) {
  Timeline t;
  for (const auto& [table, fields] : options.attributes) {
    bool known_source = false;
    for (const SourceColumns& sc : kSourceColumns) known_source |= sc.table == table;
    const formats::ExtractSpec* spec = formats::FindExtract(table + ".csv");
    if (!known_source || !spec) {
      return InvalidArgumentError("timeline: no person-level source table '" + table + "'");
    }
    for (const std::string& f : fields) {
      if (spec->FieldIndex(f) < 0) {
        return InvalidArgumentError("timeline: table '" + table + "' has no field '" + f + "'");
      }
    }
  }
  auto add_person = [&t](std::string_view nhs) -> PersonIndex {
    auto [it, inserted] = t.by_nhs_number_.try_emplace(std::string(nhs),
                                                       static_cast<PersonIndex>(t.person_count()));
    if (inserted) {
      t.persons_.nhs_number.emplace_back(nhs);
      t.persons_.sex.push_back(0);
      t.persons_.birth_day.push_back(kNoDate);
      t.persons_.death_day.push_back(kNoDate);
      t.persons_.lsoa.push_back(0);
      t.persons_.practice.push_back(0);
      t.persons_.in_pds.push_back(0);
    }
    return it->second;
  };

  // 1. The master person index: current PDS rows with a valid NHS Number.
  if (store.HasTable("pds")) {
    const std::vector<std::string> cols = {"nhs_number",   "nhs_number_status", "record_type",
                                           "sex",          "birth_date",        "death_date",
                                           "lsoa_code",    "gp_practice_code"};
    int64_t n = 0;
    PIONEER_RETURN_IF_ERROR(store.Scan("pds", cols, [&](const store::RowView& r) {
      if (progress && (++n & 0xFFFF) == 0) progress({"pds", n});
      if (r.Text(1) != "valid" || r.Text(2) != "current") return;
      PersonIndex p = add_person(r.Text(0));
      if (t.persons_.in_pds[p]) return;  // a duplicated current row: first one wins
      t.persons_.in_pds[p] = 1;
      std::string_view sex = r.Text(3);
      t.persons_.sex[p] = sex.size() == 1 && sex[0] >= '0' && sex[0] <= '9'
                              ? static_cast<uint8_t>(sex[0] - '0')
                              : 0;
      t.persons_.birth_day[p] = DayOrNone(r.Text(4));
      t.persons_.death_day[p] = DayOrNone(r.Text(5));
      t.persons_.lsoa[p] = t.strings_.Intern(r.Text(6));
      t.persons_.practice[p] = t.strings_.Intern(r.Text(7));
    }));
  }

  // 2. Usable NHS Number tracing decisions (`pioneer link`, store schema version 2):
  // table -> row id -> traced number, for automatic and reviewer-accepted links.
  std::unordered_map<std::string, std::unordered_map<int64_t, std::string>> links;
  if (store.HasTable("record_links")) {
    PIONEER_RETURN_IF_ERROR(store.Query(
        "SELECT source_table, row_id, traced_nhs_number FROM record_links "
        "WHERE decision IN ('automatic', 'accepted') AND traced_nhs_number IS NOT NULL",
        {}, [&](const store::RowView& r) {
          links[std::string(r.Text(0))].emplace(r.Int(1), std::string(r.Text(2)));
        }));
  }

  // 3. Every person-level activity table.
  std::vector<PendingEvent> pending;
  for (const SourceColumns& sc : kSourceColumns) {
    if (!store.HasTable(sc.table)) continue;
    PIONEER_ASSIGN_OR_RETURN(int64_t rows, store.CountRows(sc.table));
    pending.reserve(pending.size() + static_cast<size_t>(rows));
    std::vector<std::string> cols = {"rowid", "nhs_number", "nhs_number_status",
                                     std::string(sc.start)};
    cols.emplace_back(sc.end.empty() ? sc.start : sc.end);
    cols.emplace_back(sc.code);
    cols.emplace_back(sc.detail.empty() ? sc.code : sc.detail);
    LinkageCounts& lc = t.linkage_[static_cast<int>(sc.source)];
    const bool has_end = !sc.end.empty(), has_detail = !sc.detail.empty();
    // Requested attribute fields follow the fixed columns, typed by the extract schema.
    AttributeTable& attrs = t.attributes_[static_cast<int>(sc.source)];
    std::vector<formats::FieldType> attr_types;
    if (auto it = options.attributes.find(std::string(sc.table)); it != options.attributes.end()) {
      const formats::ExtractSpec* spec = formats::FindExtract(std::string(sc.table) + ".csv");
      for (const std::string& f : it->second) {
        attrs.fields_.push_back(f);
        attrs.columns_.emplace_back();
        attrs.columns_.back().reserve(static_cast<size_t>(rows));
        attr_types.push_back(spec->fields[spec->FieldIndex(f)].type);
        cols.push_back(f);
      }
    }
    const int first_attr = 7;
    const auto table_links = links.find(std::string(sc.table));
    const std::unordered_map<int64_t, std::string>* row_links =
        table_links == links.end() ? nullptr : &table_links->second;
    PIONEER_RETURN_IF_ERROR(store.Scan(sc.table, cols, [&](const store::RowView& r) {
      ++lc.rows;
      if (progress && (lc.rows & 0xFFFF) == 0) progress({sc.table, lc.rows});
      std::string_view status = r.Text(2);
      std::string_view nhs = r.Text(1);
      const std::string* traced = nullptr;
      if (row_links) {
        auto it = row_links->find(r.Int(0));
        if (it != row_links->end()) traced = &it->second;
      }
      if (status != "valid" && !traced) {
        if (status == "missing" || status == "empty") ++lc.missing_number;
        else ++lc.invalid_number;
        return;
      }
      int32_t start = DayOrNone(r.Text(3));
      if (start == kNoDate) {
        ++lc.undated;
        return;
      }
      ++lc.linked;
      if (traced) {
        ++lc.traced;
        if (status == "valid") ++lc.retraced;
        nhs = *traced;
      }
      size_t before = t.person_count();
      PersonIndex p = add_person(nhs);
      if (t.person_count() > before || !t.persons_.in_pds[p]) ++lc.not_in_pds;
      int32_t end = has_end ? DayOrNone(r.Text(4)) : start;
      uint32_t attr_row = static_cast<uint32_t>(attrs.rows());
      for (size_t a = 0; a < attr_types.size(); ++a) {
        std::string_view v = r.Text(first_attr + static_cast<int>(a));
        int32_t value = attr_types[a] == formats::FieldType::kDate      ? DayOrNone(v)
                        : attr_types[a] == formats::FieldType::kInteger ? IntOrNone(v)
                                                                        : static_cast<int32_t>(
                                                                              t.strings_.Intern(v));
        attrs.columns_[a].push_back(value);
      }
      pending.push_back({p, start, end, sc.source, t.strings_.Intern(r.Text(5)),
                         has_detail ? t.strings_.Intern(r.Text(6)) : 0u, r.Int(0), attr_row});
    }));
  }

  // 4. Partition by person, order each person's events; the key is total, so the
  // result does not depend on scan order.
  std::sort(pending.begin(), pending.end(), [](const PendingEvent& a, const PendingEvent& b) {
    if (a.person != b.person) return a.person < b.person;
    if (a.start != b.start) return a.start < b.start;
    if (a.source != b.source) return a.source < b.source;
    return a.row_id < b.row_id;
  });
  EventColumns& e = t.events_;
  const size_t n = pending.size();
  e.start_day.resize(n);
  e.end_day.resize(n);
  e.source.resize(n);
  e.code.resize(n);
  e.detail.resize(n);
  e.row_id.resize(n);
  e.attr_row.resize(n);
  t.offsets_.assign(t.person_count() + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    const PendingEvent& pe = pending[i];
    e.start_day[i] = pe.start;
    e.end_day[i] = pe.end;
    e.source[i] = pe.source;
    e.code[i] = pe.code;
    e.detail[i] = pe.detail;
    e.row_id[i] = pe.row_id;
    e.attr_row[i] = pe.attr_row;
    ++t.offsets_[pe.person + 1];
  }
  for (size_t p = 0; p < t.person_count(); ++p) t.offsets_[p + 1] += t.offsets_[p];
  return t;
}

Status Timeline::CheckInvariants() const {
  const size_t n = event_count();
  if (offsets_.size() != person_count() + 1 || offsets_.front() != 0 || offsets_.back() != n) {
    return InternalError("timeline: offsets do not span the events");
  }
  if (events_.end_day.size() != n || events_.source.size() != n || events_.code.size() != n || events_.detail.size() != n ||
      events_.row_id.size() != n || events_.attr_row.size() != n) {
    return InternalError("timeline: event columns differ in length");
  }
  for (size_t p = 0; p < person_count(); ++p) {
    if (offsets_[p] > offsets_[p + 1]) return InternalError("timeline: offsets decrease");
    for (uint64_t i = offsets_[p] + 1; i < offsets_[p + 1]; ++i) {
      auto key = [this](uint64_t k) {
        return std::tuple(events_.start_day[k], events_.source[k], events_.row_id[k]);
      };
      if (!(key(i - 1) < key(i))) {
        return InternalError("timeline: events of person " + std::to_string(p) +
                             " are not strictly ordered");
      }
    }
  }
  return OkStatus();
}

size_t Timeline::MemoryBytes() const {
  size_t b = event_count() * (4 + 4 + 1 + 4 + 4 + 8 + 4) + offsets_.size() * 8;
  for (const AttributeTable& a : attributes_) b += a.rows() * a.fields().size() * 4;
  b += person_count() * (sizeof(std::string) + 1 + 4 + 4 + 4 + 4 + 1);
  b += by_nhs_number_.size() * (sizeof(std::string) + 32);
  return b;
}

}  // namespace pioneer::timeline
