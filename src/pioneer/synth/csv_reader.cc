#include "pioneer/synth/csv_reader.h"

#include <csv.h>

#include <cstdio>
#include <memory>

namespace pioneer::synth {
namespace {

struct ParseState {
  std::vector<std::string> fields;
  size_t n = 0;  // fields filled in the current row
  bool header_done = false;
  std::vector<std::string>* header;
  const CsvRowFn* on_row;
};

void OnField(void* s, size_t len, void* data) {
  auto* st = static_cast<ParseState*>(data);
  if (st->n == st->fields.size()) st->fields.emplace_back();
  st->fields[st->n].assign(static_cast<const char*>(s), len);
  ++st->n;
}

void OnRow(int /*terminator*/, void* data) {
  auto* st = static_cast<ParseState*>(data);
  if (st->n == 0) return;
  // Fields beyond n keep stale values from longer rows; trim to this row's width.
  if (st->fields.size() > st->n) st->fields.resize(st->n);
  if (!st->header_done) {
    *st->header = st->fields;
    st->header_done = true;
  } else {
    (*st->on_row)(st->fields);
  }
  st->n = 0;
}

}  // namespace

Status ReadCsvFile(const std::string& path, std::vector<std::string>* header,
                   const CsvRowFn& on_row) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return NotFoundError("cannot open " + path);
  csv_parser parser;
  if (csv_init(&parser, 0) != 0) return InternalError("csv_init failed");
  ParseState st;
  st.header = header;
  st.on_row = &on_row;
  std::vector<char> buf(1 << 20);
  Status status;
  for (;;) {
    const size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
    if (n == 0) break;
    if (csv_parse(&parser, buf.data(), n, OnField, OnRow, &st) != n) {
      status = InvalidArgumentError(path + ": " + csv_strerror(csv_error(&parser)));
      break;
    }
  }
  if (status.ok()) csv_fini(&parser, OnField, OnRow, &st);
  csv_free(&parser);
  if (status.ok() && std::ferror(f.get())) status = UnavailableError("read failed: " + path);
  return status;
}

int ColumnIndex(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace pioneer::synth
