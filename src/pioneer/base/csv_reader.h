// CsvReader: streams records out of an RFC 4180 CSV file, using libcsv for the parsing.
//
// What it does beyond libcsv:
//  * line numbers: each record carries the physical line (1-based) on which it starts, so
//    a field with embedded newlines does not shift the numbers of later records. Lines end
//    at LF, CRLF or a bare CR (old Mac files), each counted once.
//  * UTF-8: every field is checked (unless disabled); the first invalid byte stops reading
//    with an error naming its line and column. A leading UTF-8 byte-order mark is skipped.
//  * quotes are strict (RFC 4180): a quote inside an unquoted field, text after a closing
//    quote, or a quoted field still open at the end of input makes the record malformed
//    (libcsv's lenient mode would instead swallow every later line up to the next quote).
//    A malformed record is either an error naming its line and column (the default) or,
//    with CsvReadOptions::deliver_malformed, handed to the callback as one raw line with
//    CsvRecord::malformed set, and reading goes on. Recovery is per line: when a quote
//    opened on line S is found to be bad on a later line, only line S is malformed and the
//    lines after it are parsed again, so one stray quote never takes other records with it.
//    A quoted field may span at most kMaxRecordLines lines / kMaxRecordBytes bytes.
//  * fields keep their spaces (no trimming), per RFC 4180; blank lines, and lines holding
//    only spaces or tabs, are skipped and are not records.
//  * a raw-chunk hook sees every byte read, in order, once (for checksums and progress).
//
// Errors: kInvalidArgument for content (message "line L, column C: what"; the structured
// position is available from error()), kUnavailable for I/O. A non-OK Status returned by the
// record callback stops reading and is returned unchanged.
// Thread safety: one CsvReader per thread; it may be reused for several inputs in turn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"

namespace pioneer {

struct CsvRecord {
  int64_t line = 0;                          // physical line where the record starts
  std::span<const std::string_view> fields;  // valid only during the callback
  // Empty for a well-formed record. For a malformed one (deliver_malformed only): why, and
  // `fields` holds a single view of the raw line without its line ending.
  std::string_view malformed;
  int malformed_column = 0;  // 1-based field where the problem was found (0: unknown)
};

// Where a content error was found. column is 1-based (0 when not about one field).
struct CsvError {
  int64_t line = 0;
  int column = 0;
  std::string what;  // e.g. "invalid UTF-8 byte 0xE9"
};

struct CsvReadOptions {
  size_t chunk_bytes = size_t{1} << 20;  // read size; at least 16
  bool validate_utf8 = true;
  bool deliver_malformed = false;  // see the header comment
  // A line holding no quote is split on commas directly rather than by libcsv (the same
  // records, several times faster); false sends every line through libcsv (for tests that
  // compare the two).
  bool split_plain_lines = true;
};

// Limits of one quoted field spanning lines (beyond them the quote is taken as unbalanced).
inline constexpr int64_t kMaxRecordLines = 1000;
inline constexpr size_t kMaxRecordBytes = size_t{1} << 20;

class CsvReader {
 public:
  using RecordFn = std::function<Status(const CsvRecord&)>;
  using ChunkFn = std::function<void(std::string_view raw)>;

  explicit CsvReader(CsvReadOptions options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the file at `path`, calling on_record for each record in order and on_chunk (if
  // set) with each raw block read.
  Status ReadFile(const std::string& path, const RecordFn& on_record,
                  const ChunkFn& on_chunk = nullptr);
  // Reads an in-memory input exactly as ReadFile would read a file with these bytes.
  Status ReadBytes(std::string_view data, const RecordFn& on_record);

  // Called from inside on_record: stop after this record; the Read* call returns OK.
  void Stop() { stop_ = true; }

  // The position of the content error the last Read* call returned.
  const CsvError& error() const { return error_; }
  // Bytes consumed by the last Read* call (all of the input unless stopped or failed).
  int64_t bytes_read() const { return bytes_read_; }

 private:
  struct Parser;
  Status Begin(const RecordFn* on_record);
  Status Feed(std::string_view chunk);
  Status Finish();
  // One physical line including its line ending (none for the last line of the input).
  Status FeedLine(std::string_view line);
  // Feeds a line from the input, then any lines queued for parsing again by a recovery.
  Status FeedAndReplay(std::string_view line);
  // The record being assembled is malformed: deliver (or fail with) its first line and
  // queue the lines after it for parsing again.
  // `found_on_later_line`: the problem was found on a line after the record's first.
  Status Recover(std::string what, int column, bool found_on_later_line);
  void ResetParser();
  void OnField(const char* data, size_t len);
  void OnRowEnd();
  Status Fail(int64_t line, int column, std::string what);

  static void FieldThunk(void* s, size_t len, void* self);
  static void RowThunk(int c, void* self);

  CsvReadOptions options_;
  std::unique_ptr<Parser> parser_;
  const RecordFn* on_record_ = nullptr;
  // The record being assembled: field bytes and [begin, end) offsets into row_text_.
  std::string row_text_;
  std::vector<std::pair<size_t, size_t>> spans_;
  std::vector<std::string_view> views_;
  int64_t line_ = 1;         // line number of the bytes being fed
  std::string pending_;      // an incomplete last line carried to the next chunk
  std::string record_raw_;   // raw lines of the record being assembled
  int64_t record_line_ = 0;  // line where record_raw_ starts
  std::string replay_;       // lines to parse again after a recovery
  size_t replay_pos_ = 0;
  bool at_start_ = true;  // no byte fed yet (BOM check)
  bool stop_ = false;
  Status status_;  // first error (from validation or the callback)
  CsvError error_;
  int64_t bytes_read_ = 0;
};

// std::string_view::npos when `s` is valid UTF-8, else the offset of the first bad byte
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t FindInvalidUtf8(std::string_view s);

}  // namespace pioneer
