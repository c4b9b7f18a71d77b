#include "pioneer/ingest/ingest.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <vector>

#include "pioneer/base/csv_reader.h"
#include "pioneer/base/sha256.h"
#include "pioneer/ingest/batch_pipeline.h"
#include "pioneer/ingest/column_map.h"
#include "pioneer/ingest/directory_scan.h"
#include "pioneer/ingest/row_validator.h"
#include "pioneer/store/ingest_writer.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::ingest {
namespace {

namespace fs = std::filesystem;

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct FileJob {
  FoundExtract found;
  ColumnMap map;
  int64_t header_line = 1;
  int64_t size = 0;
  std::string sha256;
  size_t report_index = 0;
  bool ingest = true;
};

// "pds.csv: line 7, column 3 ('sex'): what" from a CsvReader content error.
std::string DescribeCsvError(const std::string& file, const CsvError& e,
                             const std::vector<std::string>& header) {
  std::string where = fmt::format("{}: line {}", file, e.line);
  if (e.column > 0) {
    where += fmt::format(", column {}", e.column);
    if (static_cast<size_t>(e.column) <= header.size()) {
      where += fmt::format(" ('{}')", header[static_cast<size_t>(e.column - 1)]);
    }
  }
  return where + ": " + e.what;
}

Status WithFile(const std::string& file, const Status& s) {
  return Status(s.code(), fmt::format("{}: {}", file, s.message()));
}

// Stage 1 for one file: size, header mapping and checksum. Appends file-level problems.
Status PrecheckFile(FileJob* job, std::vector<std::string>* problems) {
  const std::string file(job->found.spec->file_name);
  std::error_code ec;
  job->size = static_cast<int64_t>(fs::file_size(job->found.path, ec));
  if (ec) return UnavailableError(fmt::format("{}: cannot read: {}", file, ec.message()));
  CsvReader reader(CsvReadOptions{size_t{1} << 16, true});
  bool have_header = false;
  std::vector<HeaderProblem> header_problems;
  Status s = reader.ReadFile(job->found.path, [&](const CsvRecord& rec) {
    have_header = true;
    job->header_line = rec.line;
    header_problems = MapHeader(*job->found.spec, rec.fields, &job->map);
    reader.Stop();
    return OkStatus();
  });
  if (!s.ok()) {
    if (s.code() != StatusCode::kInvalidArgument) return WithFile(file, s);
    problems->push_back(DescribeCsvError(file, reader.error(), {}));
    return OkStatus();
  }
  if (!have_header) {
    problems->push_back(fmt::format("{}: line 1: the file is empty (no header row)", file));
    return OkStatus();
  }
  // A header of 200,000 commas must not print 200,000 lines: the first few, then a count.
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < header_problems.size() && i < kShown; ++i) {
    problems->push_back(
        fmt::format("{}: line {}, {}", file, job->header_line, header_problems[i].message));
  }
  if (header_problems.size() > kShown) {
    problems->push_back(
        fmt::format("{}: line {}: ... and {} more problems in this header "
                    "(not listed)",
                    file, job->header_line, header_problems.size() - kShown));
  }
  auto sha = Sha256FileHex(job->found.path);
  if (!sha.ok()) return WithFile(file, sha.status());
  job->sha256 = *sha;
  return OkStatus();
}

// Shared state of the parsing side of one run.
struct RunProgress {
  Progress* progress = nullptr;
  int64_t bytes_before_file = 0;  // bytes of files finished earlier in the run
  int64_t rows = 0;
};

// Stage 3 for one file: parse, validate and hand batches to the writer thread.
Status IngestFile(const FileJob& job, const IngestOptions& options, BatchPipeline& pipeline,
                  RunProgress& run, FileReport& report) {
  const formats::ExtractSpec& spec = *job.found.spec;
  const std::string file(spec.file_name);
  auto start = Clock::now();
  std::string started_at = store::UtcNowIso8601();
  PIONEER_ASSIGN_OR_RETURN(std::unique_ptr<RowValidator> validator, RowValidator::Create(job.map));
  std::unique_ptr<RowBatch> batch = pipeline.Acquire();
  batch->Reset(&spec, validator->width());
  Sha256 hash;
  int64_t bytes = 0;
  bool header_seen = false;
  store::QuarantineRecord q;

  auto on_chunk = [&](std::string_view chunk) {
    hash.Update(chunk);
    bytes += static_cast<int64_t>(chunk.size());
    if (run.progress) run.progress->Update(run.bytes_before_file + bytes, run.rows, file);
  };
  auto on_record = [&](const CsvRecord& rec) -> Status {
    if (!header_seen) {
      header_seen = true;
      bool same = rec.fields.size() == job.map.header.size();
      for (size_t i = 0; same && i < rec.fields.size(); ++i) {
        same = TrimBlanks(rec.fields[i]) == job.map.header[i];
      }
      if (!same) {
        return InvalidArgumentError(fmt::format(
            "{}: line {}: the header changed while the file was being ingested", file, rec.line));
      }
      return OkStatus();
    }
    ++report.rows_read;
    ++run.rows;
    std::optional<Reason> reason;
    if (!rec.malformed.empty()) {
      // A stray or unbalanced quote: the line is quarantined whole, later lines are not.
      reason = validator->QuarantineMalformed(rec.line, rec.fields.empty() ? "" : rec.fields[0],
                                              rec.malformed, rec.malformed_column, &q);
    } else {
      reason = validator->Process(rec.line, rec.fields, batch.get(), &q);
    }
    if (reason) {
      ++report.rows_quarantined;
      ++report.quarantined_by_reason[std::string(ReasonCodeName(*reason))];
      batch->quarantine.push_back(std::move(q));
      q = store::QuarantineRecord();
    } else {
      ++report.rows_accepted;
    }
    if (batch->rows() + batch->quarantine.size() >= options.batch_rows) {
      Status s = pipeline.Submit(std::move(batch));
      if (!s.ok()) return Status(s.code(), fmt::format("storing {}: {}", file, s.message()));
      batch = pipeline.Acquire();
      batch->Reset(&spec, validator->width());
    }
    return OkStatus();
  };

  CsvReadOptions read_options;
  read_options.deliver_malformed = true;
  CsvReader reader(read_options);
  Status s = reader.ReadFile(job.found.path, on_record, on_chunk);
  if (!s.ok()) {
    if (reader.error().line > 0) {
      return InvalidArgumentError(DescribeCsvError(file, reader.error(), job.map.header));
    }
    if (s.code() == StatusCode::kUnavailable) return WithFile(file, s);
    return s;
  }
  if (!header_seen || hash.FinishHex() != job.sha256) {
    return InvalidArgumentError(fmt::format(
        "{}: the file changed while it was being ingested; run the ingest again", file));
  }
  run.bytes_before_file += bytes;
  report.seconds = SecondsSince(start);
  batch->file_done = store::IngestFileRecord{file,
                                             std::string(spec.table),
                                             job.size,
                                             job.sha256,
                                             report.rows_read,
                                             report.rows_accepted,
                                             report.rows_quarantined,
                                             started_at,
                                             store::UtcNowIso8601()};
  s = pipeline.Submit(std::move(batch));
  if (!s.ok()) return Status(s.code(), fmt::format("storing {}: {}", file, s.message()));
  return OkStatus();
}

// The writer thread's work for one batch.
Status StoreBatch(store::IngestWriter& writer, RowBatch& batch) {
  const formats::ExtractSpec& spec = *batch.spec();
  PIONEER_RETURN_IF_ERROR(batch.ForEachRow([&](int64_t line, std::span<const store::Cell> cells) {
    return writer.AppendRow(spec, line, cells);
  }));
  for (const store::QuarantineRecord& q : batch.quarantine) {
    PIONEER_RETURN_IF_ERROR(writer.AddQuarantine(q));
  }
  if (batch.file_done) PIONEER_RETURN_IF_ERROR(writer.RecordFile(*batch.file_done));
  return OkStatus();
}

}  // namespace

StatusOr<IngestReport> IngestDirectory(store::Store& store, const std::string& dir,
                                       const IngestOptions& options, Progress* progress) {
  auto start = Clock::now();
  IngestReport report;
  report.started_at = store::UtcNowIso8601();
  std::error_code ec;
  fs::path abs = fs::absolute(dir, ec);
  report.source_dir = ec ? dir : abs.lexically_normal().string();

  PIONEER_ASSIGN_OR_RETURN(DirectoryListing listing, ScanDirectory(dir));
  report.unknown_files = listing.unknown;
  report.ignored = listing.ignored;
  if (listing.extracts.empty()) {
    return NotFoundError(
        fmt::format("'{}' holds no known extract file (expected names such as pds.csv or "
                    "apc_episodes.csv; see docs/data-formats.md)",
                    dir));
  }

  // Stage 1: headers and checksums of every file, before anything is written.
  std::vector<FileJob> jobs;
  std::vector<std::string> problems;
  for (const FoundExtract& f : listing.extracts) {
    FileJob job;
    job.found = f;
    PIONEER_RETURN_IF_ERROR(PrecheckFile(&job, &problems));
    job.report_index = report.files.size();
    FileReport fr;
    fr.file_name = std::string(f.spec->file_name);
    fr.table = std::string(f.spec->table);
    fr.size_bytes = job.size;
    fr.sha256 = job.sha256;
    report.files.push_back(std::move(fr));
    jobs.push_back(std::move(job));
  }
  if (!problems.empty()) {
    std::string msg;
    for (const std::string& p : problems) msg += (msg.empty() ? "" : "\n") + p;
    return InvalidArgumentError(std::move(msg));
  }

  report.seconds_precheck = SecondsSince(start);

  // Stage 2: open the run; skip files already stored.
  PIONEER_ASSIGN_OR_RETURN(
      std::unique_ptr<store::IngestWriter> writer,
      store.BeginIngestRun({report.started_at, report.source_dir, options.pioneer_version},
                           store::IngestWriteOptions{options.cache_mb}));
  std::set<std::string> seen;
  int64_t total_bytes = 0;
  for (FileJob& job : jobs) {
    FileReport& fr = report.files[job.report_index];
    PIONEER_ASSIGN_OR_RETURN(std::optional<int64_t> prev, writer->FindRunWithChecksum(job.sha256));
    if (prev || seen.contains(job.sha256)) {
      job.ingest = false;
      fr.outcome = FileOutcome::kAlreadyIngested;
      fr.previous_run_id = prev.value_or(0);
      continue;
    }
    seen.insert(job.sha256);
    total_bytes += job.size;
  }
  if (seen.empty()) {
    report.finished_at = store::UtcNowIso8601();
    report.seconds = SecondsSince(start);
    return report;  // the writer's destructor drops the empty run
  }

  // Stage 3: parse on this thread, insert on the pipeline's thread.
  if (progress) progress->Start(total_bytes);
  auto load_start = Clock::now();
  RunProgress run{progress, 0, 0};
  {
    BatchPipeline pipeline([&writer](RowBatch& b) { return StoreBatch(*writer, b); },
                           options.threaded);
    for (const FileJob& job : jobs) {
      if (!job.ingest) continue;
      Status s = IngestFile(job, options, pipeline, run, report.files[job.report_index]);
      if (!s.ok()) {
        pipeline.Abort();
        if (progress) progress->Finish();
        return s;
      }
    }
    Status s = pipeline.Finish();
    if (!s.ok()) {
      if (progress) progress->Finish();
      return s;
    }
  }
  report.bytes_ingested = run.bytes_before_file;
  report.seconds_load = SecondsSince(load_start);
  auto commit_start = Clock::now();

  // Stage 4: commit.
  report.finished_at = store::UtcNowIso8601();
  store::IngestRunTotals totals{report.finished_at,     report.files_ingested(),
                                report.files_skipped(), report.rows_read(),
                                report.rows_accepted(), report.rows_quarantined()};
  report.run_id = writer->run_id();
  Status s = writer->Commit(totals);
  if (progress) progress->Finish();
  if (!s.ok()) return s;
  report.seconds_commit = SecondsSince(commit_start);
  report.seconds = SecondsSince(start);
  return report;
}

}  // namespace pioneer::ingest
