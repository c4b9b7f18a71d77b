#include "pioneer/base/csv_reader.h"

#include <csv.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pioneer {

struct CsvReader::Parser {
  csv_parser p;
  Parser() {
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
    // RFC 4180 fields keep their spaces: tell libcsv nothing is a trimmable space.
    csv_set_space_func(&p, [](unsigned char) { return 0; });
    csv_set_blk_size(&p, 4096);
  }
  ~Parser() { csv_free(&p); }
};

namespace {

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

// Line breaks in `s`: LF, CRLF and a bare CR each count once.
int64_t CountLineBreaks(std::string_view s) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++n;
    } else if (s[i] == '\r') {
      ++n;
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    }
  }
  return n;
}

// Length of the first line of `s` including its ending, or npos when `s` holds no complete
// line. A CR as the last byte is incomplete unless `at_eof` (it may be the CR of a CRLF).
size_t FirstLineLength(std::string_view s, bool at_eof) {
  const char* d = s.data();
  const void* lf = std::memchr(d, '\n', s.size());
  size_t n = lf ? static_cast<size_t>(static_cast<const char*>(lf) - d) : s.size();
  const void* cr = std::memchr(d, '\r', n);
  if (cr) {
    size_t c = static_cast<size_t>(static_cast<const char*>(cr) - d);
    if (c + 1 < s.size()) return s[c + 1] == '\n' ? c + 2 : c + 1;
    return at_eof ? c + 1 : std::string_view::npos;
  }
  return lf ? n + 1 : std::string_view::npos;
}

std::string_view WithoutLineEnding(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

bool OnlyLineEnding(std::string_view line) { return WithoutLineEnding(line).empty(); }

}  // namespace

size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;  // continuation byte, C0/C1 overlong lead or F5..FF
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

CsvReader::CsvReader(CsvReadOptions options) : options_(options) {
  options_.chunk_bytes = std::max<size_t>(options_.chunk_bytes, 16);
}

CsvReader::~CsvReader() = default;

void CsvReader::FieldThunk(void* s, size_t len, void* self) {
  static_cast<CsvReader*>(self)->OnField(static_cast<const char*>(s), len);
}

void CsvReader::RowThunk(int, void* self) { static_cast<CsvReader*>(self)->OnRowEnd(); }

Status CsvReader::Fail(int64_t line, int column, std::string what) {
  error_ = CsvError{line, column, std::move(what)};
  std::string msg = column > 0 ? fmt::format("line {}, column {}: {}", line, column, error_.what)
                               : fmt::format("line {}: {}", line, error_.what);
  return InvalidArgumentError(std::move(msg));
}

void CsvReader::OnField(const char* data, size_t len) {
  if (stop_) return;
  size_t begin = row_text_.size();
  row_text_.append(data, len);
  spans_.emplace_back(begin, row_text_.size());
}

void CsvReader::OnRowEnd() {
  const int64_t start_line = record_line_;
  record_raw_.clear();
  if (stop_) {
    row_text_.clear();
    spans_.clear();
    return;
  }
  views_.clear();
  for (auto [b, e] : spans_) views_.emplace_back(row_text_.data() + b, e - b);
  bool blank = views_.size() == 1 && IsBlank(views_[0]);
  if (!blank && options_.validate_utf8) {
    int64_t line = start_line;
    for (size_t i = 0; i < views_.size(); ++i) {
      size_t bad = FindInvalidUtf8(views_[i]);
      if (bad != std::string_view::npos) {
        line += CountLineBreaks(views_[i].substr(0, bad));
        status_ = Fail(line, static_cast<int>(i + 1),
                       fmt::format("invalid UTF-8 byte 0x{:02X} (the file must be UTF-8)",
                                   static_cast<unsigned char>(views_[i][bad])));
        stop_ = true;
        break;
      }
      line += CountLineBreaks(views_[i]);
    }
  }
  if (!blank && !stop_) {
    CsvRecord rec{start_line, views_, {}, 0};
    Status s = (*on_record_)(rec);
    if (!s.ok()) {
      status_ = std::move(s);
      stop_ = true;
    }
  }
  row_text_.clear();
  spans_.clear();
}

void CsvReader::ResetParser() {
  parser_ = std::make_unique<Parser>();
  row_text_.clear();
  spans_.clear();
  record_raw_.clear();
}

Status CsvReader::Begin(const RecordFn* on_record) {
  ResetParser();
  on_record_ = on_record;
  line_ = 1;
  pending_.clear();
  replay_.clear();
  replay_pos_ = 0;
  record_line_ = 0;
  at_start_ = true;
  stop_ = false;
  status_ = OkStatus();
  error_ = CsvError{};
  bytes_read_ = 0;
  return OkStatus();
}

Status CsvReader::Recover(std::string what, int column, bool found_on_later_line) {
  std::string raw = std::move(record_raw_);
  const int64_t start = record_line_;
  const int64_t end = line_;
  ResetParser();
  size_t first = FirstLineLength(raw, true);
  if (first == std::string_view::npos) first = raw.size();
  std::string_view first_line = WithoutLineEnding(std::string_view(raw).substr(0, first));
  if (found_on_later_line) {
    what = fmt::format(
        "a quoted field opened on this line is still open on line {} ({}): an "
        "unbalanced quote?",
        end, what);
    column = 0;
  }
  if (!options_.deliver_malformed) {
    stop_ = true;
    status_ = Fail(start, column, std::move(what));
    return status_;
  }
  if (options_.validate_utf8) {
    size_t bad = FindInvalidUtf8(first_line);
    if (bad != std::string_view::npos) {
      stop_ = true;
      status_ = Fail(start, 0,
                     fmt::format("invalid UTF-8 byte 0x{:02X} (the file must be UTF-8)",
                                 static_cast<unsigned char>(first_line[bad])));
      return status_;
    }
  }
  // Lines after the first are parsed again, ahead of anything still queued.
  replay_ = raw.substr(first) + replay_.substr(replay_pos_);
  replay_pos_ = 0;
  line_ = start + 1;
  std::string_view view = first_line;
  CsvRecord rec{start, std::span<const std::string_view>(&view, 1), what, column};
  Status s = (*on_record_)(rec);
  if (!s.ok()) {
    stop_ = true;
    status_ = std::move(s);
  }
  return status_;
}

Status CsvReader::FeedLine(std::string_view line) {
  if (record_raw_.empty()) {
    // Between records: an empty line is no record (libcsv skips it too).
    if (OnlyLineEnding(line)) {
      if (!line.empty()) ++line_;
      return status_;
    }
    record_line_ = line_;
    // A whole line with no quote is one record of plain fields (RFC 4180: only a quoted field
    // may hold a quote, a comma or a line break): split here, as libcsv would split it, and
    // delivered through the same OnRowEnd. The line must end (the input's last line without
    // an ending is libcsv's, which ends that record at csv_fini).
    const std::string_view body = WithoutLineEnding(line);
    if (options_.split_plain_lines && body.size() < line.size() &&
        body.find('"') == std::string_view::npos) {
      row_text_.assign(body.data(), body.size());
      spans_.clear();
      size_t begin = 0;
      for (size_t i = 0; i <= body.size(); ++i) {
        if (i == body.size() || body[i] == ',') {
          spans_.emplace_back(begin, i);
          begin = i + 1;
        }
      }
      OnRowEnd();
      ++line_;
      return status_;
    }
  }
  record_raw_.append(line.data(), line.size());
  csv_parser& p = parser_->p;
  size_t done = csv_parse(&p, line.data(), line.size(), FieldThunk, RowThunk, this);
  if (stop_) return status_;
  if (done != line.size()) {
    if (csv_error(&p) != CSV_EPARSE) {
      stop_ = true;
      status_ = Fail(line_, 0, fmt::format("CSV parser failure: {}", csv_strerror(csv_error(&p))));
      return status_;
    }
    const int column = static_cast<int>(spans_.size() + 1);
    std::string what = p.quoted ? "text after the closing quote of a quoted field (RFC 4180: "
                                  "quote the whole field and double any quote inside it)"
                                : "a quote inside an unquoted field (RFC 4180: quote the whole "
                                  "field and double any quote inside it)";
    return Recover(std::move(what), column, /*found_on_later_line=*/line_ > record_line_);
  }
  if (!line.empty() && (line.back() == '\n' || line.back() == '\r')) ++line_;
  if (!record_raw_.empty() &&
      (line_ - record_line_ >= kMaxRecordLines || record_raw_.size() > kMaxRecordBytes)) {
    return Recover(fmt::format("a quoted field opened on this line spans more than {} lines or {} "
                               "bytes: an unbalanced quote?",
                               kMaxRecordLines, kMaxRecordBytes),
                   0, false);
  }
  return status_;
}

Status CsvReader::FeedAndReplay(std::string_view line) {
  PIONEER_RETURN_IF_ERROR(FeedLine(line));
  while (replay_pos_ < replay_.size() && !stop_) {
    std::string_view rest = std::string_view(replay_).substr(replay_pos_);
    size_t n = FirstLineLength(rest, true);
    if (n == std::string_view::npos) n = rest.size();
    // Copy: a recovery inside FeedLine rebuilds replay_.
    std::string next(rest.substr(0, n));
    replay_pos_ += n;
    PIONEER_RETURN_IF_ERROR(FeedLine(next));
  }
  if (replay_pos_ >= replay_.size()) {
    replay_.clear();
    replay_pos_ = 0;
  }
  return status_;
}

Status CsvReader::Feed(std::string_view chunk) {
  if (at_start_ && !chunk.empty()) {
    at_start_ = false;
    if (chunk.substr(0, 3) == "\xEF\xBB\xBF") chunk.remove_prefix(3);
  }
  // Feed one line at a time so that line_ is exact whenever libcsv ends a record. First
  // complete a line carried over from the previous chunk.
  while (!pending_.empty() && !chunk.empty() && !stop_) {
    const size_t old = pending_.size();
    auto end =
        std::find_if(chunk.begin(), chunk.end(), [](char c) { return c == '\n' || c == '\r'; });
    size_t k = static_cast<size_t>(end - chunk.begin());
    k = k == chunk.size() ? k : std::min(k + 2, chunk.size());  // + the LF of a CRLF
    pending_.append(chunk.data(), k);
    // pending_[0, old - 1) holds no line ending: scan from its last old byte (a CR?) on.
    const size_t from = old - 1;
    size_t n = FirstLineLength(std::string_view(pending_).substr(from), false);
    if (n != std::string_view::npos) n += from;
    if (n == std::string_view::npos) {
      chunk.remove_prefix(k);
      continue;
    }
    std::string line = pending_.substr(0, n);
    pending_.clear();
    chunk.remove_prefix(n - old);
    PIONEER_RETURN_IF_ERROR(FeedAndReplay(line));
  }
  while (!chunk.empty() && !stop_) {
    size_t n = FirstLineLength(chunk, false);
    if (n == std::string_view::npos) {
      pending_.assign(chunk.data(), chunk.size());
      break;
    }
    PIONEER_RETURN_IF_ERROR(FeedAndReplay(chunk.substr(0, n)));
    chunk.remove_prefix(n);
  }
  return status_;
}

Status CsvReader::Finish() {
  if (stop_) return status_;
  if (!pending_.empty()) {
    std::string last = std::move(pending_);
    pending_.clear();
    std::string_view rest = last;
    while (!rest.empty() && !stop_) {
      size_t n = FirstLineLength(rest, true);
      if (n == std::string_view::npos) n = rest.size();
      PIONEER_RETURN_IF_ERROR(FeedAndReplay(rest.substr(0, n)));
      rest.remove_prefix(n);
    }
  }
  while (!stop_) {
    csv_parser& p = parser_->p;
    // In strict-fini mode csv_fini fails exactly when a quoted field is still open.
    if (csv_fini(&p, FieldThunk, RowThunk, this) == 0) break;
    std::string_view partial(reinterpret_cast<const char*>(p.entry_buf), p.entry_pos);
    const int column = static_cast<int>(spans_.size() + 1);
    const std::string what =
        "quoted field is not closed before the end of the file (truncated file?)";
    if (!options_.deliver_malformed) {
      // Name the line where the open field began.
      stop_ = true;
      status_ = Fail(line_ - CountLineBreaks(partial), column, what);
      return status_;
    }
    PIONEER_RETURN_IF_ERROR(Recover(what, column, false));
    // Parse the queued lines again, then try to finish once more.
    PIONEER_RETURN_IF_ERROR(FeedAndReplay(""));
  }
  return status_;
}

Status CsvReader::ReadBytes(std::string_view data, const RecordFn& on_record) {
  PIONEER_RETURN_IF_ERROR(Begin(&on_record));
  while (!data.empty() && !stop_) {
    std::string_view chunk = data.substr(0, options_.chunk_bytes);
    data.remove_prefix(chunk.size());
    bytes_read_ += static_cast<int64_t>(chunk.size());
    PIONEER_RETURN_IF_ERROR(Feed(chunk));
  }
  return Finish();
}

Status CsvReader::ReadFile(const std::string& path, const RecordFn& on_record,
                           const ChunkFn& on_chunk) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return UnavailableError(fmt::format("cannot open: {}", std::strerror(errno)));
  posix_fadvise(fileno(f), 0, 0, POSIX_FADV_SEQUENTIAL);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, std::fclose);
  PIONEER_RETURN_IF_ERROR(Begin(&on_record));
  // A file smaller than a chunk gets a buffer of its own size (plus the byte that shows the
  // end): many small files are read (`pioneer match`, tests, fuzzing), and a zeroed 1 MB
  // buffer for each cost more than the parse. Uninitialised: fread fills what is used.
  size_t size = options_.chunk_bytes;
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
      static_cast<uint64_t>(st.st_size) < size) {
    size = std::max<size_t>(16, static_cast<size_t>(st.st_size) + 1);
  }
  std::unique_ptr<char[]> buf(new char[size]);
  while (!stop_) {
    size_t n = std::fread(buf.get(), 1, size, f);
    if (n == 0) break;
    std::string_view chunk(buf.get(), n);
    bytes_read_ += static_cast<int64_t>(n);
    if (on_chunk) on_chunk(chunk);
    PIONEER_RETURN_IF_ERROR(Feed(chunk));
  }
  if (std::ferror(f)) return UnavailableError(fmt::format("read error: {}", std::strerror(errno)));
  return Finish();
}

}  // namespace pioneer
