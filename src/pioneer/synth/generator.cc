#include "pioneer/synth/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "pioneer/base/parallel.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/synth/area.h"
#include "pioneer/synth/demography.h"
#include "pioneer/synth/extract_writer.h"
#include "pioneer/synth/names.h"
#include "pioneer/synth/nhs_numbers.h"
#include "pioneer/synth/reference_files.h"
#include "pioneer/synth/simulator.h"

namespace pioneer::synth {
namespace {

constexpr uint64_t kBlockSize = 2048;
constexpr int64_t kMaxPersons = int64_t{1} << 24;  // record-id layout (extract_writer.cc)

class OutputFile {
 public:
  ~OutputFile() { (void)Close(); }
  Status Open(const std::filesystem::path& path) {
    path_ = path.string();
    f_ = std::fopen(path_.c_str(), "wb");
    if (f_ == nullptr) return UnavailableError("cannot create " + path_);
    std::setvbuf(f_, nullptr, _IOFBF, 1 << 20);
    return OkStatus();
  }
  Status Write(std::string_view data) {
    if (data.empty()) return OkStatus();
    if (std::fwrite(data.data(), 1, data.size(), f_) != data.size()) {
      return UnavailableError("write failed: " + path_);
    }
    bytes_ += static_cast<int64_t>(data.size());
    return OkStatus();
  }
  Status Close() {
    if (f_ == nullptr) return OkStatus();
    const bool failed = std::fflush(f_) != 0 || std::ferror(f_) != 0;
    std::fclose(f_);
    f_ = nullptr;
    return failed ? UnavailableError("write failed: " + path_) : OkStatus();
  }
  int64_t bytes() const { return bytes_; }

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
  int64_t bytes_ = 0;
};

Status CheckColumnsAgainstSchema() {
  for (int f = 0; f < kFileTruthPersons; ++f) {
    const PersonFile file = static_cast<PersonFile>(f);
    const formats::ExtractSpec* spec = formats::FindExtract(PersonFileName(file));
    if (spec == nullptr) {
      return InternalError(
          fmt::format("synth writes {} but the schema does not know it", PersonFileName(file)));
    }
    const auto columns = PersonFileColumns(file);
    bool same = columns.size() == spec->fields.size();
    for (size_t i = 0; same && i < columns.size(); ++i) same = columns[i] == spec->fields[i].name;
    if (!same) {
      return InternalError(fmt::format("synth columns for {} differ from formats/extract_schema.cc",
                                       PersonFileName(file)));
    }
  }
  return OkStatus();
}

// Blocks finished by the workers, handed to the writing thread in order.
class BlockQueue {
 public:
  BlockQueue(uint64_t blocks, uint64_t window) : blocks_(blocks), window_(window) {}

  // Next block index for a worker, waiting while too far ahead of the writer; -1 when done.
  int64_t Claim() {
    std::unique_lock lock(mu_);
    if (next_ >= blocks_ || cancelled_) return -1;
    const uint64_t b = next_++;
    cv_.wait(lock, [&] { return b < written_ + window_ || cancelled_; });
    return cancelled_ ? -1 : static_cast<int64_t>(b);
  }
  std::unique_ptr<BlockOutput> TakeFree() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return nullptr;
    auto out = std::move(free_.back());
    free_.pop_back();
    return out;
  }
  void Done(uint64_t b, std::unique_ptr<BlockOutput> out) {
    std::lock_guard lock(mu_);
    ready_[b] = std::move(out);
    cv_.notify_all();
  }
  // The writer: waits for block b.
  std::unique_ptr<BlockOutput> WaitFor(uint64_t b) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return ready_.count(b) > 0; });
    auto out = std::move(ready_[b]);
    ready_.erase(b);
    return out;
  }
  void Written(std::unique_ptr<BlockOutput> out) {
    std::lock_guard lock(mu_);
    ++written_;
    free_.push_back(std::move(out));
    cv_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t blocks_;
  uint64_t window_;
  uint64_t next_ = 0;
  uint64_t written_ = 0;
  bool cancelled_ = false;
  std::map<uint64_t, std::unique_ptr<BlockOutput>> ready_;
  std::vector<std::unique_ptr<BlockOutput>> free_;
};

}  // namespace

int64_t MaxPopulation() {
  // Entrants add about (birth + in-migration rate) x years; allow for a 10-year window.
  const double growth = 1 + 10 * (kBirthRate + kInMigrationRate);
  const int64_t by_nhs = static_cast<int64_t>(NhsNumberAllocator::MaxPersons() / growth);
  const int64_t by_ids = static_cast<int64_t>(kMaxPersons / growth);
  return std::min(by_nhs, by_ids);
}

namespace {

Status CheckOptions(const SynthOptions& options) {
  if (options.population < 100 || options.population > MaxPopulation()) {
    return InvalidArgumentError(
        fmt::format("population must be between 100 and {}", MaxPopulation()));
  }
  if (options.end <= options.start) return InvalidArgumentError("end must be after start");
  if (options.start.year() < 1990 || options.end.year() > 2100) {
    return InvalidArgumentError("the window must lie within 1990-2100");
  }
  if (options.start.DaysUntil(options.end) > 10 * 366) {
    return InvalidArgumentError("the window must be at most 10 years long");
  }
  if (options.out_dir.empty()) return InvalidArgumentError("an output folder is required");
  return CheckColumnsAgainstSchema();
}

// The simulation's window and cohort sizes: the initial residents, births and in-migrants.
SimContext CohortSizes(const SynthOptions& options) {
  SimContext ctx;
  ctx.seed = options.seed;
  ctx.window_start = options.start.days_since_epoch();
  ctx.window_end = options.end.days_since_epoch();
  const double years = (ctx.window_end - ctx.window_start + 1) / 365.25;
  ctx.initial = static_cast<uint64_t>(options.population);
  ctx.births = static_cast<uint64_t>(std::llround(options.population * kBirthRate * years));
  ctx.in_migrants =
      static_cast<uint64_t>(std::llround(options.population * kInMigrationRate * years));
  return ctx;
}

// Opens the person-level files under `dir` and writes their headers.
Status OpenPersonFiles(const std::filesystem::path& dir, std::vector<OutputFile>* files) {
  *files = std::vector<OutputFile>(kPersonFileCount);
  for (int f = 0; f < kPersonFileCount; ++f) {
    const PersonFile file = static_cast<PersonFile>(f);
    PIONEER_RETURN_IF_ERROR((*files)[f].Open(dir / PersonFileName(file)));
    const std::string header = f >= kFileTruthPersons ? std::string(TruthHeader(file)) + "\n"
                                                      : SchemaHeader(PersonFileName(file));
    PIONEER_RETURN_IF_ERROR((*files)[f].Write(header));
  }
  return OkStatus();
}

// What the person-level generation needs and gives back.
struct PersonRun {
  const SimContext* ctx = nullptr;
  const ExtractWriter* writer = nullptr;
  const InterventionPlanter* planter = nullptr;  // null without --intervention
  int first_year = 0;
  int n_years = 0;
  int threads = 1;
  // Out: rows per person file, the mid-year population, planted enrolments per block.
  std::array<int64_t, kPersonFileCount> rows{};
  PopulationCounts population;
  std::vector<std::vector<PlantedEnrolment>> enrolments;
};

// Generates every person in blocks on worker threads and writes the blocks in order to
// `files` on this thread, reporting progress every 250 ms; adds persons, deaths and leavers
// to `summary`.
Status GeneratePersons(PersonRun& run, std::vector<OutputFile>& files, SynthSummary& summary,
                       const ProgressFn& progress, const std::function<double()>& elapsed) {
  const SimContext& ctx = *run.ctx;
  const uint64_t total = ctx.total();
  const uint64_t blocks = (total + kBlockSize - 1) / kBlockSize;
  BlockQueue queue(blocks, static_cast<uint64_t>(run.threads) * 3 + 2);
  // Planted enrolments per block (each block's slot is written by one worker only).
  run.enrolments.assign(run.planter ? blocks : 0, {});
  std::vector<std::thread> workers;
  for (int t = 0; t < run.threads; ++t) {
    workers.emplace_back([&] {
      PersonSimulator sim(ctx);
      PersonHistory history;
      for (;;) {
        const int64_t b = queue.Claim();
        if (b < 0) return;
        std::unique_ptr<BlockOutput> out = queue.TakeFree();
        if (out == nullptr) out = std::make_unique<BlockOutput>();
        out->Clear();
        if (out->population.counts.empty()) out->population.Init(run.first_year, run.n_years);
        const uint64_t begin = static_cast<uint64_t>(b) * kBlockSize;
        const uint64_t end = std::min(total, begin + kBlockSize);
        for (uint64_t i = begin; i < end; ++i) {
          sim.Simulate(i, &history);
          if (run.planter) run.planter->Apply(&history, &run.enrolments[static_cast<uint64_t>(b)]);
          run.writer->Write(history, out.get());
        }
        queue.Done(static_cast<uint64_t>(b), std::move(out));
      }
    });
  }
  run.population.Init(run.first_year, run.n_years);
  Status status;
  auto last_report = std::chrono::steady_clock::now();
  for (uint64_t b = 0; b < blocks; ++b) {
    std::unique_ptr<BlockOutput> out = queue.WaitFor(b);
    for (int f = 0; f < kPersonFileCount && status.ok(); ++f) {
      status = files[f].Write(out->data[f]);
      run.rows[f] += out->rows[f];
    }
    run.population.Add(out->population);
    summary.persons += out->persons;
    summary.deaths += out->deaths;
    summary.left_area += out->left_area;
    queue.Written(std::move(out));
    if (!status.ok()) {
      queue.Cancel();
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (progress && (now - last_report > std::chrono::milliseconds(250) || b + 1 == blocks)) {
      last_report = now;
      SynthProgress p;
      p.persons_done = static_cast<int64_t>(std::min(total, (b + 1) * kBlockSize));
      p.persons_total = static_cast<int64_t>(total);
      for (int f = 0; f < kFileTruthPersons; ++f) p.rows += run.rows[f];
      for (const OutputFile& file : files) p.bytes += file.bytes();
      p.seconds = elapsed();
      progress(p);
    }
  }
  for (std::thread& w : workers) w.join();
  for (OutputFile& f : files) {
    const Status closed = f.Close();
    if (status.ok()) status = closed;
  }
  return status;
}

// Writes the reference files (organisations, LSOAs, population, unit costs) and lists them
// in `summary`.
Status WriteReferenceFiles(const std::filesystem::path& dir, const Area& area, const PersonRun& run,
                           SynthSummary& summary) {
  struct Reference {
    const char* name;
    std::string content;
    int64_t rows;
  };
  std::vector<Reference> refs;
  refs.push_back({"organisations.csv", OrganisationsCsv(area),
                  static_cast<int64_t>(area.organisations().size())});
  refs.push_back({"lsoa.csv", LsoaCsv(area), static_cast<int64_t>(area.lsoas().size())});
  refs.push_back({"population.csv", PopulationCsv(area, run.population),
                  static_cast<int64_t>(run.n_years) * 2 * PopulationCounts::kAges});
  refs.push_back({"unit_costs.csv", UnitCostsCsv(), 0});
  refs.back().rows = static_cast<int64_t>(
                         std::count(refs.back().content.begin(), refs.back().content.end(), '\n')) -
                     1;
  for (const Reference& r : refs) {
    OutputFile f;
    PIONEER_RETURN_IF_ERROR(f.Open(dir / r.name));
    PIONEER_RETURN_IF_ERROR(f.Write(r.content));
    PIONEER_RETURN_IF_ERROR(f.Close());
    summary.files.push_back({r.name, r.rows, static_cast<int64_t>(r.content.size())});
    summary.total_rows += r.rows;
    summary.total_bytes += static_cast<int64_t>(r.content.size());
  }
  return OkStatus();
}

}  // namespace

StatusOr<SynthSummary> GenerateArea(const SynthOptions& options, const ProgressFn& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  PIONEER_RETURN_IF_ERROR(CheckOptions(options));
  std::error_code ec;
  const std::filesystem::path dir(options.out_dir);
  for (const char* sub : {"truth", "care_plans"}) {
    std::filesystem::create_directories(dir / sub, ec);
    if (ec) return UnavailableError("cannot create " + (dir / sub).string() + ": " + ec.message());
  }

  SimContext ctx = CohortSizes(options);
  const Area area = Area::Build(options.seed, options.population, ctx.window_start, ctx.window_end);
  const NameTables names;
  const NhsNumberAllocator nhs(options.seed, ctx.total());
  ctx.area = &area;
  ctx.names = &names;
  WriterContext wctx;
  wctx.area = &area;
  wctx.nhs = &nhs;
  wctx.names = &names;
  wctx.seed = options.seed;
  wctx.window_start = ctx.window_start;
  wctx.window_end = ctx.window_end;
  wctx.faults = options.faults;
  const ExtractWriter writer(wctx);
  std::optional<InterventionPlanter> planter;
  if (!options.interventions.empty()) {
    auto created = InterventionPlanter::Create(options.interventions, options.seed,
                                               ctx.window_start, ctx.window_end, &area);
    if (!created.ok()) return created.status();
    planter.emplace(std::move(*created));
  }
  PersonRun run;
  run.ctx = &ctx;
  run.writer = &writer;
  run.planter = planter ? &*planter : nullptr;
  ExtractWriter::MidYears(ctx.window_start, ctx.window_end, &run.first_year, &run.n_years);
  run.threads = std::clamp(options.threads > 0 ? options.threads : DefaultThreads(), 1, 64);

  std::vector<OutputFile> files;
  PIONEER_RETURN_IF_ERROR(OpenPersonFiles(dir, &files));
  SynthSummary summary;
  summary.initial_population = options.population;
  summary.births = static_cast<int64_t>(ctx.births);
  summary.in_migrants = static_cast<int64_t>(ctx.in_migrants);
  PIONEER_RETURN_IF_ERROR(GeneratePersons(run, files, summary, progress, elapsed));
  PIONEER_RETURN_IF_ERROR(WriteReferenceFiles(dir, area, run, summary));
  for (int f = 0; f < kPersonFileCount; ++f) {
    summary.files.push_back(
        {PersonFileName(static_cast<PersonFile>(f)), run.rows[f], files[f].bytes()});
    if (f < kFileTruthPersons) summary.total_rows += run.rows[f];
    summary.total_bytes += files[f].bytes();
  }
  if (planter) {
    std::vector<PlantedEnrolment> all;
    for (const auto& block : run.enrolments) all.insert(all.end(), block.begin(), block.end());
    auto written = WriteInterventionFiles(options.out_dir, *planter, all, nhs);
    if (!written.ok()) return written.status();
    for (const WrittenFile& f : *written) {
      summary.files.push_back({f.file_name, f.rows, f.bytes});
      summary.total_bytes += f.bytes;
    }
  }
  summary.seconds = elapsed();
  return summary;
}

}  // namespace pioneer::synth
