// IngestDirectory: the library behind `pioneer ingest --db FILE DIR` (docs/ingest.md).
//
// Reads every known extract in DIR (ScanDirectory), validates every row and stores accepted
// rows in canonical form and rejected rows in quarantine, in ONE transaction per run:
//  1. Pre-check, before anything is written: each file's header is mapped to its spec
//     (unknown, repeated or missing required columns, an empty file, a header that is not
//     UTF-8 are file-level errors) and its SHA-256 computed.
//  2. The run opens (Store::BeginIngestRun). Files whose checksum is already in the store are
//     skipped and reported "already ingested in run N". If nothing is left, the run is
//     dropped and the store is unchanged (report.run_id == 0).
//  3. Each remaining file is parsed and validated on the calling thread while a second thread
//     inserts (BatchPipeline). A file-level problem found mid-file (invalid UTF-8, an
//     unterminated quote at the end, the file changing under us) aborts the whole run.
//  4. Commit: indexes, run totals, one atomic commit.
// Any error return leaves the store exactly as it was. Errors: kInvalidArgument for file
// content problems, with messages naming the file, line and column ("pds.csv: line 1,
// column 3 ('foo'): unknown column ..."; several problems are separated by newlines);
// kNotFound when DIR is missing or holds no known extract; kUnavailable for I/O and a store
// locked by another writer; others from the store. Messages never contain record contents.
// Thread safety: one call at a time per Store.
#pragma once

#include <cstddef>
#include <string>

#include "pioneer/base/progress.h"
#include "pioneer/base/status.h"
#include "pioneer/base/version.h"
#include "pioneer/ingest/ingest_report.h"
#include "pioneer/store/store.h"

namespace pioneer::ingest {

struct IngestOptions {
  int cache_mb = 32;         // SQLite page cache during the run (see docs/ingest.md)
  size_t batch_rows = 8192;  // rows per batch handed to the writer thread
  bool threaded = true;      // parse and insert on two threads
  std::string pioneer_version{PioneerVersion()};  // recorded in ingest_runs
};

// `progress` may be null (no progress output).
StatusOr<IngestReport> IngestDirectory(store::Store& store, const std::string& dir,
                                       const IngestOptions& options, Progress* progress);

}  // namespace pioneer::ingest
