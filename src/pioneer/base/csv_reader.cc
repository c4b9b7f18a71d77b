#include "pioneer/base/csv_reader.h"

#include <csv.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

namespace pioneer {

struct CsvReader::Parser {
  csv_parser p;
  Parser() { csv_init(&p, 0); }
  ~Parser() { csv_free(&p); }
};

namespace {

// RFC 4180 fields keep their spaces: tell libcsv nothing is a trimmable space.
int NoSpace(unsigned char) { return 0; }

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t") == std::string_view::npos;
}

int64_t CountLf(std::string_view s) {
  return static_cast<int64_t>(std::count(s.begin(), s.end(), '\n'));
}

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
  if (stop_) {
    row_text_.clear();
    spans_.clear();
    return;
  }
  views_.clear();
  for (auto [b, e] : spans_) views_.emplace_back(row_text_.data() + b, e - b);
  // The record ends on line_ (the line being fed, or the last line at end of input);
  // newlines inside its quoted fields say how many lines earlier it began.
  int64_t start_line = line_ - CountLf(row_text_);
  bool blank = views_.size() == 1 && IsBlank(views_[0]);
  if (!blank && options_.validate_utf8) {
    int64_t line = start_line;
    for (size_t i = 0; i < views_.size(); ++i) {
      size_t bad = FindInvalidUtf8(views_[i]);
      if (bad != std::string_view::npos) {
        line += CountLf(views_[i].substr(0, bad));
        status_ = Fail(line, static_cast<int>(i + 1),
                       fmt::format("invalid UTF-8 byte 0x{:02X} (the file must be UTF-8)",
                                   static_cast<unsigned char>(views_[i][bad])));
        stop_ = true;
        break;
      }
      line += CountLf(views_[i]);
    }
  }
  if (!blank && !stop_) {
    CsvRecord rec{start_line, views_};
    Status s = (*on_record_)(rec);
    if (!s.ok()) {
      status_ = std::move(s);
      stop_ = true;
    }
  }
  row_text_.clear();
  spans_.clear();
}

Status CsvReader::Begin(const RecordFn* on_record) {
  parser_ = std::make_unique<Parser>();
  csv_set_space_func(&parser_->p, NoSpace);
  csv_set_blk_size(&parser_->p, 4096);
  on_record_ = on_record;
  row_text_.clear();
  spans_.clear();
  line_ = 1;
  at_start_ = true;
  stop_ = false;
  status_ = OkStatus();
  error_ = CsvError{};
  bytes_read_ = 0;
  return OkStatus();
}

Status CsvReader::Feed(std::string_view chunk) {
  if (at_start_ && !chunk.empty()) {
    at_start_ = false;
    if (chunk.substr(0, 3) == "\xEF\xBB\xBF") chunk.remove_prefix(3);
  }
  // Feed one line at a time so that line_ is exact whenever libcsv ends a record.
  while (!chunk.empty() && !stop_) {
    const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
    size_t len = nl ? static_cast<size_t>(static_cast<const char*>(nl) - chunk.data()) + 1
                    : chunk.size();
    size_t done = csv_parse(&parser_->p, chunk.data(), len, FieldThunk, RowThunk, this);
    if (done != len) {
      return Fail(line_, 0, fmt::format("CSV parser failure: {}",
                                        csv_strerror(csv_error(&parser_->p))));
    }
    if (nl) ++line_;
    chunk.remove_prefix(len);
  }
  return status_;
}

Status CsvReader::Finish() {
  if (stop_) return status_;
  // line_ is 1 + the number of LFs fed: the line of the last byte, or for the unterminated
  // field below the line after its last embedded LF.
  csv_parser& p = parser_->p;
  // Ask libcsv itself whether a quoted field is still open: in strict-fini mode csv_fini
  // fails exactly then. Field contents so far tell where that field began.
  csv_set_opts(&p, CSV_STRICT | CSV_STRICT_FINI);
  if (csv_fini(&p, FieldThunk, RowThunk, this) != 0) {
    std::string_view partial(reinterpret_cast<const char*>(p.entry_buf), p.entry_pos);
    return Fail(line_ - CountLf(partial), static_cast<int>(spans_.size() + 1),
                "quoted field is not closed before the end of the file (truncated file?)");
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
  std::vector<char> buf(options_.chunk_bytes);
  while (!stop_) {
    size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n == 0) break;
    std::string_view chunk(buf.data(), n);
    bytes_read_ += static_cast<int64_t>(n);
    if (on_chunk) on_chunk(chunk);
    PIONEER_RETURN_IF_ERROR(Feed(chunk));
  }
  if (std::ferror(f)) return UnavailableError(fmt::format("read error: {}", std::strerror(errno)));
  return Finish();
}

}  // namespace pioneer
