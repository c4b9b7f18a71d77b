#include "pioneer/timeline/snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include "pioneer/base/parallel.h"
#include "pioneer/timeline/checksum.h"

namespace pioneer::timeline {
namespace {

// int64 counts per source in the "linkage" section (LinkageCounts, in declaration order).
constexpr int64_t kLinkageFields = 9;

// docs/snapshot.md, "Layout". All integers little-endian (the host order, checked by
// kByteOrderMark); every section starts at a multiple of kAlign.
constexpr char kMagic[8] = {'P', 'I', 'O', 'N', 'T', 'L', 'S', '\n'};
constexpr uint32_t kByteOrderMark = 0x01020304;
constexpr size_t kAlign = 64;
constexpr size_t kNameBytes = 48;

struct Header {
  char magic[8];
  uint32_t format_version;
  uint32_t byte_order;
  uint64_t file_bytes;
  uint64_t person_count;
  uint64_t event_count;
  uint64_t string_count;
  uint32_t section_count;
  uint32_t directory_offset;
  uint64_t header_checksum;  // Checksum64 of header + directory with this field zero
  uint8_t reserved[64];
};
static_assert(sizeof(Header) == 128);

struct DirEntry {
  char name[kNameBytes];  // NUL-padded
  uint64_t offset;
  uint64_t bytes;
  uint64_t checksum;  // Checksum64 of the section's bytes
  uint32_t elem_size;
  uint32_t reserved;
};
static_assert(sizeof(DirEntry) == 80);

size_t AlignUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

std::string AttrName(int source, size_t k) { return fmt::format("attr.{}.{}", source, k); }

// The sections of a timeline, in file order.
struct SectionData {
  std::string name;
  const void* data;
  size_t bytes;
  uint32_t elem_size;
};

template <typename T>
SectionData Sec(std::string name, std::span<const T> s) {
  return {std::move(name), s.data(), s.size_bytes(), static_cast<uint32_t>(sizeof(T))};
}

// Attribute fields as text: one "table<TAB>field" line per loaded field, by source index.
std::string FieldsText(const Timeline& t) {
  std::string out;
  for (int s = 0; s < kSourceCount; ++s) {
    for (const std::string& f : t.attributes(static_cast<Source>(s)).fields()) {
      out += fmt::format("{}\t{}\n", SourceTable(static_cast<Source>(s)), f);
    }
  }
  return out;
}

std::string ErrnoText() { return std::strerror(errno); }

// Removes temporary files that a killed writer left (their process no longer exists).
void RemoveStaleTemporaries(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const std::string prefix = p.filename().string() + ".tmp.";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      fs::remove(it->path(), ec);
    }
  }
}

class FileWriter {
 public:
  FileWriter(int fd, const std::string& path) : fd_(fd), path_(path) {
    if (const char* k = std::getenv("PIONEER_SNAPSHOT_TEST_KILL_AFTER_BYTES")) {
      kill_after_ = std::strtoll(k, nullptr, 10);
    }
  }
  Status Write(const void* data, size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      size_t chunk = std::min<size_t>(n, size_t{1} << 24);
      ssize_t w = ::write(fd_, p, chunk);
      if (w < 0) {
        if (errno == EINTR) continue;
        return UnavailableError("cannot write timeline snapshot " + path_ + ": " + ErrnoText());
      }
      p += w;
      n -= static_cast<size_t>(w);
      written_ += static_cast<uint64_t>(w);
      if (kill_after_ >= 0 && written_ >= static_cast<uint64_t>(kill_after_)) raise(SIGKILL);
    }
    return OkStatus();
  }
  Status Pad(size_t to) {
    static const char zeros[kAlign] = {};
    while (written_ < to) {
      PIONEER_RETURN_IF_ERROR(Write(zeros, std::min<size_t>(kAlign, to - written_)));
    }
    return OkStatus();
  }
  uint64_t written() const { return written_; }

 private:
  int fd_;
  std::string path_;
  uint64_t written_ = 0;
  int64_t kill_after_ = -1;
};

// A read-only mapping of a whole file, unmapped when the last Timeline view goes.
struct Mapping {
  void* base = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (base != nullptr && base != MAP_FAILED) munmap(base, size);
  }
};

// "key=value;..." of a generation key into its parts, to say which part changed.
std::map<std::string, std::string> KeyParts(std::string_view key) {
  std::map<std::string, std::string> parts;
  size_t pos = 0;
  while (pos <= key.size()) {
    size_t semi = key.find(';', pos);
    if (semi == std::string_view::npos) semi = key.size();
    std::string_view item = key.substr(pos, semi - pos);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      parts[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
    }
    pos = semi + 1;
  }
  return parts;
}

std::string StaleReason(const std::string& snapshot_key, const std::string& store_key) {
  auto a = KeyParts(snapshot_key), b = KeyParts(store_key);
  std::vector<std::string> changed;
  for (const char* k :
       {"created", "ingest_runs", "last_ingest_run", "link_runs", "last_link_run", "link_reviews",
        "reviews_digest", "last_ingest_finished", "last_link_finished", "care_plan_versions",
        "risk_strata", "last_stratum"}) {
    if (a[k] != b[k]) changed.push_back(k);
  }
  auto has = [&](const char* k) {
    return std::find(changed.begin(), changed.end(), k) != changed.end();
  };
  if (has("created")) return "it was built from another store";
  if (has("ingest_runs") || has("last_ingest_run") || has("last_ingest_finished")) {
    return fmt::format("the store has had an ingest run since (ingest runs: {} then, {} now)",
                       a["ingest_runs"], b["ingest_runs"]);
  }
  if (has("link_runs") || has("last_link_run") || has("last_link_finished")) {
    return fmt::format("the store has had a `pioneer link` run since (link runs: {} then, {} now)",
                       a["link_runs"], b["link_runs"]);
  }
  if (has("link_reviews") || has("reviews_digest")) {
    return fmt::format("clerical review decisions changed since (reviews: {} then, {} now)",
                       a["link_reviews"], b["link_reviews"]);
  }
  if (has("care_plan_versions")) {
    return fmt::format("care plans were written since (plan versions: {} then, {} now)",
                       a["care_plan_versions"], b["care_plan_versions"]);
  }
  if (has("risk_strata") || has("last_stratum")) {
    return fmt::format("risk strata were saved since (strata: {} then, {} now)", a["risk_strata"],
                       b["risk_strata"]);
  }
  return "the store changed since";
}

// Fields requested but not in `t`, as "table.field" (empty when all are there).
std::vector<std::string> MissingFields(const Timeline& t, const TimelineOptions& want) {
  std::vector<std::string> missing;
  for (const auto& [table, fields] : want.attributes) {
    for (int s = 0; s < kSourceCount; ++s) {
      if (SourceTable(static_cast<Source>(s)) != table) continue;
      const AttributeTable& a = t.attributes(static_cast<Source>(s));
      for (const std::string& f : fields) {
        if (a.FieldIndex(f) < 0) missing.push_back(table + "." + f);
      }
    }
    bool known = false;
    for (int s = 0; s < kSourceCount; ++s) known |= SourceTable(static_cast<Source>(s)) == table;
    if (!known) missing.push_back(table);  // Build reports the error
  }
  return missing;
}

TimelineOptions Union(const TimelineOptions& a, const TimelineOptions& b) {
  TimelineOptions u = a;
  for (const auto& [table, fields] : b.attributes) {
    auto& out = u.attributes[table];
    for (const std::string& f : fields) {
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
  }
  return u;
}

void DefaultNote(const std::string& line) { std::fprintf(stderr, "pioneer: %s\n", line.c_str()); }

// A rebuild reads the store on several threads, each through its own connection.
StatusOr<Timeline> BuildFrom(store::Store& store, const std::string& db_path,
                             const OpenOptions& options, const TimelineOptions& fields) {
  BuildParallelism par;
  par.threads = options.threads > 0 ? options.threads : DefaultThreads();
  if (!db_path.empty() && db_path != ":memory:") {
    // Read-only connections (the caller's store is open, so the file is at the current
    // version): they can never write, and any number may read on their own threads.
    par.open_reader = [db_path] { return store::Store::OpenReadOnlySqlite(db_path); };
  }
  return Timeline::Build(store, options.progress, fields, par);
}

}  // namespace

std::string SnapshotPath(const std::string& db_path) { return db_path + ".timeline"; }

Status WriteSnapshot(const Timeline& t, const store::StoreGeneration& generation,
                     const std::string& path) {
  if (!t.options().only_tables.empty()) {
    return InvalidArgumentError(
        "a partial timeline (TimelineOptions::only_tables) is not "
        "written as a snapshot: " +
        path);
  }
  const std::string gen = generation.Key();
  const std::string fields = FieldsText(t);
  std::vector<int64_t> linkage;
  std::vector<uint64_t> attr_rows;
  for (int s = 0; s < kSourceCount; ++s) {
    const LinkageCounts& c = t.linkage(static_cast<Source>(s));
    for (int64_t v : {c.rows, c.linked, c.traced, c.retraced, c.missing_number, c.invalid_number,
                      c.not_in_pds, c.undated, c.unplaced}) {
      linkage.push_back(v);
    }
    attr_rows.push_back(t.attributes(static_cast<Source>(s)).rows());
  }
  const PersonColumns& pc = t.persons();
  const EventColumns& ev = t.events();
  std::vector<SectionData> sections = {
      Sec("generation", std::span<const char>(gen)),
      Sec("attribute_fields", std::span<const char>(fields)),
      Sec("linkage", std::span<const int64_t>(linkage)),
      Sec("attribute_rows", std::span<const uint64_t>(attr_rows)),
      Sec("persons.nhs_number", pc.nhs_number.digits()),
      Sec("persons.sex", pc.sex),
      Sec("persons.birth_day", pc.birth_day),
      Sec("persons.death_day", pc.death_day),
      Sec("persons.lsoa", pc.lsoa),
      Sec("persons.practice", pc.practice),
      Sec("persons.in_pds", pc.in_pds),
      Sec("persons.nhs_order", t.nhs_order()),
      Sec("offsets", t.offsets()),
      Sec("events.start_day", ev.start_day),
      Sec("events.end_day", ev.end_day),
      Sec("events.source",
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(ev.source.data()),
                                   ev.source.size())),
      Sec("events.code", ev.code),
      Sec("events.detail", ev.detail),
      Sec("events.row_id", ev.row_id),
      Sec("events.attr_row", ev.attr_row),
      Sec("strings.offsets", t.strings().offsets()),
      Sec("strings.bytes", t.strings().bytes()),
      Sec("strings.sorted", t.strings().sorted()),
  };
  for (int s = 0; s < kSourceCount; ++s) {
    const AttributeTable& a = t.attributes(static_cast<Source>(s));
    for (size_t k = 0; k < a.fields().size(); ++k) {
      sections.push_back(Sec(AttrName(s, k), a.column(static_cast<int>(k))));
    }
  }

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format_version = kSnapshotFormatVersion;
  h.byte_order = kByteOrderMark;
  h.person_count = t.person_count();
  h.event_count = t.event_count();
  h.string_count = t.strings().size();
  h.section_count = static_cast<uint32_t>(sections.size());
  h.directory_offset = sizeof(Header);
  std::vector<DirEntry> dir(sections.size());
  size_t pos = AlignUp(sizeof(Header) + dir.size() * sizeof(DirEntry));
  for (size_t i = 0; i < sections.size(); ++i) {
    DirEntry& d = dir[i];
    std::memset(&d, 0, sizeof d);
    std::memcpy(d.name, sections[i].name.data(), std::min(sections[i].name.size(), kNameBytes - 1));
    d.offset = pos;
    d.bytes = sections[i].bytes;
    d.elem_size = sections[i].elem_size;
    d.checksum = Checksum64(sections[i].data, sections[i].bytes);
    pos = AlignUp(pos + sections[i].bytes);
  }
  h.file_bytes = pos;
  {
    std::vector<char> head(sizeof(Header) + dir.size() * sizeof(DirEntry));
    std::memcpy(head.data(), &h, sizeof h);
    std::memcpy(head.data() + sizeof h, dir.data(), dir.size() * sizeof(DirEntry));
    h.header_checksum = Checksum64(head.data(), head.size());
  }

  RemoveStaleTemporaries(path);
  const std::string tmp = fmt::format("{}.tmp.{}", path, static_cast<long>(getpid()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return UnavailableError("cannot create timeline snapshot " + tmp + ": " + ErrnoText());
  }
  auto fail = [&](Status s) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  };
  FileWriter w(fd, tmp);
  Status st = w.Write(&h, sizeof h);
  if (st.ok()) st = w.Write(dir.data(), dir.size() * sizeof(DirEntry));
  for (size_t i = 0; st.ok() && i < sections.size(); ++i) {
    st = w.Pad(dir[i].offset);
    if (st.ok()) st = w.Write(sections[i].data, sections[i].bytes);
  }
  if (st.ok()) st = w.Pad(h.file_bytes);
  if (!st.ok()) return fail(st);
  if (::fsync(fd) != 0) {
    return fail(UnavailableError("cannot sync timeline snapshot " + tmp + ": " + ErrnoText()));
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return UnavailableError("cannot close timeline snapshot " + tmp + ": " + ErrnoText());
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string e = ErrnoText();
    ::unlink(tmp.c_str());
    return UnavailableError("cannot rename " + tmp + " to " + path + ": " + e);
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  int dfd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // makes the rename durable; best effort on file systems that refuse it
    ::close(dfd);
  }
  return OkStatus();
}

namespace {

Status CorruptSnapshot(const std::string& path, const std::string& why) {
  return DataLossError("timeline snapshot " + path + " is corrupt: " + why);
}

Status ForeignSnapshot(const std::string& path) {
  return FailedPreconditionError("timeline snapshot " + path +
                                 " is not a Pioneer timeline snapshot (wrong magic number)");
}

// Opens and maps the whole file read-only. A file too short for a header is truncated when
// it starts like a snapshot, else foreign.
StatusOr<std::shared_ptr<Mapping>> MapSnapshot(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFoundError("no timeline snapshot " + path);
    return UnavailableError("cannot open timeline snapshot " + path + ": " + ErrnoText());
  }
  struct stat sb;
  if (::fstat(fd, &sb) != 0) {
    std::string e = ErrnoText();
    ::close(fd);
    return UnavailableError("cannot stat timeline snapshot " + path + ": " + e);
  }
  const size_t size = static_cast<size_t>(sb.st_size);
  if (size < sizeof(Header)) {
    char head[sizeof kMagic] = {};
    ssize_t got = ::pread(fd, head, std::min(size, sizeof head), 0);
    ::close(fd);
    if (got < 0 || size == 0 ||
        std::memcmp(head, kMagic, std::min(static_cast<size_t>(got), sizeof kMagic)) == 0) {
      return CorruptSnapshot(path,
                             fmt::format("{} bytes, shorter than its header (truncated?)", size));
    }
    return ForeignSnapshot(path);
  }
  auto map = std::make_shared<Mapping>();
  map->base = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  map->size = size;
  ::close(fd);
  if (map->base == MAP_FAILED) {
    return UnavailableError("cannot map timeline snapshot " + path + ": " + ErrnoText());
  }
  return map;
}

// The header and the section directory of a mapped snapshot, each checked: magic, byte
// order, format version, length, directory bounds and the header's and every section's
// checksum.
class SnapshotSections {
 public:
  static StatusOr<SnapshotSections> Read(const std::string& path, const Mapping& map);

  const Header& header() const { return h_; }
  // Section `name` as a typed span of exactly `count` elements (count < 0: any). A missing
  // or wrongly sized section gives an empty span and sets status().
  template <typename T>
  std::span<const T> Get(std::string_view name, int64_t count) {
    auto it = dir_.find(name);
    if (it == dir_.end()) {
      if (bad_.ok()) bad_ = CorruptSnapshot(*path_, "section " + std::string(name) + " missing");
      return {};
    }
    const DirEntry& d = it->second;
    if (d.elem_size != sizeof(T) ||
        (count >= 0 && d.bytes != static_cast<uint64_t>(count) * sizeof(T))) {
      if (bad_.ok()) {
        bad_ = CorruptSnapshot(*path_, "section " + std::string(name) + " has the wrong size");
      }
      return {};
    }
    return {reinterpret_cast<const T*>(base_ + d.offset), static_cast<size_t>(d.bytes / sizeof(T))};
  }
  const Status& status() const { return bad_; }

 private:
  const std::string* path_ = nullptr;
  const char* base_ = nullptr;
  Header h_;
  std::map<std::string, DirEntry, std::less<>> dir_;
  Status bad_ = OkStatus();
};

StatusOr<SnapshotSections> SnapshotSections::Read(const std::string& path, const Mapping& map) {
  SnapshotSections out;
  out.path_ = &path;
  out.base_ = static_cast<const char*>(map.base);
  const size_t size = map.size;
  const char* base = out.base_;
  Header& h = out.h_;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return ForeignSnapshot(path);
  if (h.byte_order != kByteOrderMark) {
    return FailedPreconditionError("timeline snapshot " + path +
                                   " was written with another byte order");
  }
  if (h.format_version != kSnapshotFormatVersion) {
    return FailedPreconditionError(
        fmt::format("timeline snapshot {} has format version {}; this Pioneer reads version {}",
                    path, h.format_version, kSnapshotFormatVersion));
  }
  if (h.file_bytes != size) {
    return CorruptSnapshot(
        path, fmt::format("{} bytes on disk, {} written (truncated?)", size, h.file_bytes));
  }
  if (h.directory_offset != sizeof(Header) || h.section_count > 4096 ||
      sizeof(Header) + size_t{h.section_count} * sizeof(DirEntry) > size) {
    return CorruptSnapshot(path, "bad section directory");
  }
  const size_t head_bytes = sizeof(Header) + size_t{h.section_count} * sizeof(DirEntry);
  std::vector<char> head(base, base + head_bytes);
  std::memset(head.data() + offsetof(Header, header_checksum), 0, sizeof(uint64_t));
  if (Checksum64(head.data(), head.size()) != h.header_checksum) {
    return CorruptSnapshot(path, "header checksum mismatch");
  }
  for (uint32_t i = 0; i < h.section_count; ++i) {
    DirEntry d;
    std::memcpy(&d, base + sizeof(Header) + i * sizeof(DirEntry), sizeof d);
    std::string name(d.name, strnlen(d.name, kNameBytes));
    if (d.offset % kAlign != 0 || d.offset > size || d.bytes > size - d.offset ||
        d.elem_size == 0 || d.bytes % d.elem_size != 0) {
      return CorruptSnapshot(path, "section " + name + " out of bounds");
    }
    if (Checksum64(base + d.offset, d.bytes) != d.checksum) {
      return CorruptSnapshot(path, "checksum mismatch in section " + name);
    }
    out.dir_[name] = d;
  }
  return out;
}

// The persons', events' and strings' columns, pointing into the mapping.
Status ReadColumns(SnapshotSections& sec, const std::string& path, Timeline::Parts& parts) {
  const Header& h = sec.header();
  const int64_t np = static_cast<int64_t>(h.person_count), ne = static_cast<int64_t>(h.event_count),
                ns = static_cast<int64_t>(h.string_count);
  parts.persons.nhs_number =
      NhsNumberColumn(sec.Get<char>("persons.nhs_number", np * NhsNumberColumn::kWidth));
  parts.persons.sex = sec.Get<uint8_t>("persons.sex", np);
  parts.persons.birth_day = sec.Get<int32_t>("persons.birth_day", np);
  parts.persons.death_day = sec.Get<int32_t>("persons.death_day", np);
  parts.persons.lsoa = sec.Get<uint32_t>("persons.lsoa", np);
  parts.persons.practice = sec.Get<uint32_t>("persons.practice", np);
  parts.persons.in_pds = sec.Get<uint8_t>("persons.in_pds", np);
  parts.nhs_order = sec.Get<uint32_t>("persons.nhs_order", np);
  parts.offsets = sec.Get<uint64_t>("offsets", np + 1);
  parts.events.start_day = sec.Get<int32_t>("events.start_day", ne);
  parts.events.end_day = sec.Get<int32_t>("events.end_day", ne);
  auto src = sec.Get<uint8_t>("events.source", ne);
  parts.events.source = {reinterpret_cast<const Source*>(src.data()), src.size()};
  parts.events.code = sec.Get<uint32_t>("events.code", ne);
  parts.events.detail = sec.Get<uint32_t>("events.detail", ne);
  parts.events.row_id = sec.Get<int64_t>("events.row_id", ne);
  parts.events.attr_row = sec.Get<uint32_t>("events.attr_row", ne);
  auto str_offsets = sec.Get<uint64_t>("strings.offsets", ns + 1);
  auto str_bytes = sec.Get<char>("strings.bytes", -1);
  auto str_sorted = sec.Get<uint32_t>("strings.sorted", ns);
  if (!sec.status().ok()) return sec.status();
  // Cheap consistency checks (the checksums already cover accidental damage).
  if (parts.offsets.front() != 0 || parts.offsets.back() > static_cast<uint64_t>(ne) ||
      str_offsets.front() != 0 || str_offsets.back() != str_bytes.size()) {
    return CorruptSnapshot(path, "offsets do not span their columns");
  }
  parts.strings = StringPool(str_offsets, str_bytes, str_sorted);
  return OkStatus();
}

// Linkage counts, attribute row counts and the attribute columns named by the
// "table<TAB>field" lines of the attribute_fields section.
Status ReadAttributes(SnapshotSections& sec, const std::string& path, Timeline::Parts& parts) {
  auto fields = sec.Get<char>("attribute_fields", -1);
  auto linkage = sec.Get<int64_t>("linkage", kLinkageFields * kSourceCount);
  auto attr_rows = sec.Get<uint64_t>("attribute_rows", kSourceCount);
  if (!sec.status().ok()) return sec.status();
  for (int s = 0; s < kSourceCount; ++s) {
    const int64_t* c = linkage.data() + kLinkageFields * s;
    parts.linkage[s] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]};
    parts.attribute_rows[s] = attr_rows[s];
  }
  std::string_view ft(fields.data(), fields.size());
  std::vector<size_t> next(kSourceCount, 0);
  while (!ft.empty()) {
    size_t nl = ft.find('\n');
    std::string_view line = ft.substr(0, nl);
    ft = nl == std::string_view::npos ? std::string_view() : ft.substr(nl + 1);
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return CorruptSnapshot(path, "bad attribute field list");
    std::string_view table = line.substr(0, tab);
    std::string field(line.substr(tab + 1));
    int s = -1;
    for (int k = 0; k < kSourceCount; ++k) {
      if (SourceTable(static_cast<Source>(k)) == table) s = k;
    }
    if (s < 0) return CorruptSnapshot(path, "unknown source in the attribute field list");
    auto col = sec.Get<int32_t>(AttrName(s, next[s]++), static_cast<int64_t>(attr_rows[s]));
    if (!sec.status().ok()) return sec.status();
    parts.attribute_fields[s].push_back(field);
    parts.attribute_columns[s].push_back(col);
    parts.options.attributes[std::string(table)].push_back(std::move(field));
  }
  return OkStatus();
}

}  // namespace

StatusOr<Timeline> OpenSnapshot(const std::string& path, std::string* generation_key) {
  auto map = MapSnapshot(path);
  if (!map.ok()) return map.status();
  auto sec = SnapshotSections::Read(path, **map);
  if (!sec.ok()) return sec.status();
  auto gen = sec->Get<char>("generation", -1);
  Timeline::Parts parts;
  PIONEER_RETURN_IF_ERROR(ReadAttributes(*sec, path, parts));
  PIONEER_RETURN_IF_ERROR(ReadColumns(*sec, path, parts));
  if (generation_key != nullptr) generation_key->assign(gen.data(), gen.size());
  parts.storage = std::move(*map);
  return Timeline::FromParts(std::move(parts));
}

StatusOr<Timeline> OpenOrBuild(store::Store& store, const std::string& db_path,
                               const OpenOptions& options, OpenReport* report) {
  const auto t0 = std::chrono::steady_clock::now();
  OpenReport local;
  OpenReport& rep = report != nullptr ? *report : local;
  rep = OpenReport{};
  const std::function<void(const std::string&)> note =
      options.note ? options.note : std::function<void(const std::string&)>(DefaultNote);
  auto done = [&](Timeline t) -> StatusOr<Timeline> {
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return t;
  };
  const bool use_file = !db_path.empty() && db_path != ":memory:";
  TimelineOptions build_options = options.timeline;
  if (use_file) {
    const std::string path = SnapshotPath(db_path);
    PIONEER_ASSIGN_OR_RETURN(store::StoreGeneration gen, store.Generation());
    std::string key;
    auto snap = OpenSnapshot(path, &key);
    if (snap.ok()) {
      std::vector<std::string> missing = MissingFields(*snap, options.timeline);
      if (key == gen.Key() && missing.empty()) return done(std::move(*snap));
      if (key != gen.Key()) {
        rep.reason = "timeline snapshot " + path + " is stale: " + StaleReason(key, gen.Key());
      } else {
        rep.reason = fmt::format("timeline snapshot {} lacks {} requested field(s) (first: {})",
                                 path, missing.size(), missing.front());
      }
      build_options = Union(snap->options(), options.timeline);
    } else if (snap.status().code() == StatusCode::kNotFound) {
      rep.reason = "no timeline snapshot " + path + " yet";
    } else {
      rep.reason = snap.status().message();
    }
    note(rep.reason + "; rebuilding it from the store");
    rep.rebuilt = true;
    PIONEER_ASSIGN_OR_RETURN(Timeline t, BuildFrom(store, db_path, options, build_options));
    if (options.persist) {
      Status w = WriteSnapshot(t, gen, path);
      if (w.ok()) {
        rep.written = true;
      } else {
        note(w.message() + " (continuing with the timeline in memory)");
      }
    }
    return done(std::move(t));
  }
  rep.rebuilt = true;
  rep.reason = "no store file";
  PIONEER_ASSIGN_OR_RETURN(Timeline t, BuildFrom(store, db_path, options, build_options));
  return done(std::move(t));
}

Status RefreshSnapshot(store::Store& store, const std::string& db_path, const OpenOptions& options,
                       bool force, bool* rebuilt) {
  if (rebuilt != nullptr) *rebuilt = false;
  const std::string path = SnapshotPath(db_path);
  TimelineOptions build_options = options.timeline;
  PIONEER_ASSIGN_OR_RETURN(store::StoreGeneration gen, store.Generation());
  {
    std::string key;
    auto old = OpenSnapshot(path, &key);
    if (old.ok()) {
      if (!force && key == gen.Key() && MissingFields(*old, options.timeline).empty()) {
        return OkStatus();
      }
      build_options = Union(old->options(), options.timeline);
    }
  }
  if (rebuilt != nullptr) *rebuilt = true;
  PIONEER_ASSIGN_OR_RETURN(Timeline t, BuildFrom(store, db_path, options, build_options));
  return WriteSnapshot(t, gen, path);
}

}  // namespace pioneer::timeline
