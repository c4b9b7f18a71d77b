#include "pioneer/base/csv_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace pioneer {
namespace {

struct Row {
  int64_t line;
  std::vector<std::string> fields;
  std::string malformed = {};  // "" for a well-formed record
  int column = 0;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  os << "line " << r.line << ":";
  for (const auto& f : r.fields) os << " [" << f << "]";
  if (!r.malformed.empty()) os << " malformed at column " << r.column << ": " << r.malformed;
  return os;
}

// Reads `data` with several chunk sizes (so chunk boundaries fall everywhere), with and
// without the plain-line split (every line through libcsv), and checks that every reading
// gives the same result.
Status ReadAll(std::string_view data, std::vector<Row>* rows, CsvError* err = nullptr,
               bool deliver_malformed = false) {
  Status first;
  std::vector<Row> first_rows;
  for (size_t chunk : {size_t{16}, size_t{17}, size_t{1} << 20, size_t{15}}) {
    std::vector<Row> got;
    // The last reading sends every line through libcsv.
    CsvReader reader(CsvReadOptions{chunk, true, deliver_malformed, chunk != 15});
    Status s = reader.ReadBytes(data, [&](const CsvRecord& r) {
      Row row{r.line, {}, std::string(r.malformed), r.malformed_column};
      for (auto f : r.fields) row.fields.emplace_back(f);
      got.push_back(std::move(row));
      return OkStatus();
    });
    if (chunk == 16) {
      first = s;
      first_rows = got;
      if (err) *err = reader.error();
    } else {
      EXPECT_EQ(s.ToString(), first.ToString()) << "chunk " << chunk;
      EXPECT_EQ(got, first_rows) << "chunk " << chunk;
    }
  }
  *rows = first_rows;
  return first;
}

TEST(CsvReaderTest, PlainRecordsWithLineNumbers) {
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll("a,b,c\n1,2,3\n4,,6\n", &rows).ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (Row{1, {"a", "b", "c"}}));
  EXPECT_EQ(rows[1], (Row{2, {"1", "2", "3"}}));
  EXPECT_EQ(rows[2], (Row{3, {"4", "", "6"}}));
}

TEST(CsvReaderTest, QuotingEmbeddedNewlinesAndLaterLineNumbers) {
  std::vector<Row> rows;
  std::string data =
      "id,text\n"
      "1,\"two\nlines\"\n"
      "2,\"say \"\"hi\"\", ok\"\n"
      "3,\"three\r\nline\nfield\"\n"
      "4,last\n";
  ASSERT_TRUE(ReadAll(data, &rows).ok());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1], (Row{2, {"1", "two\nlines"}}));
  EXPECT_EQ(rows[2], (Row{4, {"2", "say \"hi\", ok"}}));
  EXPECT_EQ(rows[3], (Row{5, {"3", "three\r\nline\nfield"}}));
  EXPECT_EQ(rows[4], (Row{8, {"4", "last"}}));
}

TEST(CsvReaderTest, CrlfBlankLinesBomNoFinalNewlineAndSpacesKept) {
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll("\xEF\xBB\xBFh1,h2\r\n\r\n  \r\n a , b \r\nx,y", &rows).ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (Row{1, {"h1", "h2"}}));
  EXPECT_EQ(rows[1], (Row{4, {" a ", " b "}}));
  EXPECT_EQ(rows[2], (Row{5, {"x", "y"}}));
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  std::vector<Row> rows;
  EXPECT_TRUE(ReadAll("", &rows).ok());
  EXPECT_TRUE(rows.empty());
  EXPECT_TRUE(ReadAll("\n\n", &rows).ok());
  EXPECT_TRUE(rows.empty());
}

TEST(CsvReaderTest, InvalidUtf8NamesLineAndColumn) {
  std::vector<Row> rows;
  CsvError err;
  Status s = ReadAll("a,b\n1,\"x\ny\"\n2,caf\xE9\n", &rows, &err);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(err.line, 4);
  EXPECT_EQ(err.column, 2);
  EXPECT_NE(s.message().find("line 4, column 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("0xE9"), std::string::npos);
  EXPECT_EQ(rows.size(), 2u);  // records before the bad one were delivered
}

TEST(CsvReaderTest, UnterminatedQuoteAtEndIsAnError) {
  std::vector<Row> rows;
  CsvError err;
  Status s = ReadAll("a,b,c\n1,2,3\n4,5,\"never\nclosed\n", &rows, &err);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(err.line, 3);
  EXPECT_EQ(err.column, 3);
  EXPECT_NE(s.message().find("not closed"), std::string::npos);
  // A closed quote as the very last byte is fine.
  EXPECT_TRUE(ReadAll("a\n\"x\"", &rows).ok());
  EXPECT_EQ(rows.back(), (Row{2, {"x"}}));
}

TEST(CsvReaderTest, CallbackErrorAndStop) {
  CsvReader reader;
  int n = 0;
  Status s = reader.ReadBytes("a\nb\nc\n", [&](const CsvRecord&) {
    return ++n == 2 ? InvalidArgumentError("stop here") : OkStatus();
  });
  EXPECT_EQ(s.message(), "stop here");
  EXPECT_EQ(n, 2);
  n = 0;
  s = reader.ReadBytes("a\nb\nc\n", [&](const CsvRecord&) {
    ++n;
    reader.Stop();
    return OkStatus();
  });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(n, 1);
}

TEST(CsvReaderTest, ReadFileSeesEveryChunk) {
  auto path = std::filesystem::temp_directory_path() / "pioneer_csv_reader_test.csv";
  std::string data = "h\n";
  for (int i = 0; i < 1000; ++i) data += std::to_string(i) + "\n";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
  CsvReader reader(CsvReadOptions{64, true});
  std::string seen;
  int64_t last_line = 0, records = 0;
  Status s = reader.ReadFile(
      path.string(),
      [&](const CsvRecord& r) {
        last_line = r.line;
        ++records;
        return OkStatus();
      },
      [&](std::string_view chunk) { seen.append(chunk); });
  std::filesystem::remove(path);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(seen, data);
  EXPECT_EQ(records, 1001);
  EXPECT_EQ(last_line, 1001);
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(
      reader.ReadFile("/nonexistent/x.csv", [](const CsvRecord&) { return OkStatus(); }).code(),
      StatusCode::kUnavailable);
}

// Files smaller than a chunk are read into a buffer of their own size: every size around
// the chunk's reads exactly as the same bytes in memory do.
TEST(CsvReaderTest, ReadFileOfEverySizeAroundTheChunkMatchesReadBytes) {
  auto path = std::filesystem::temp_directory_path() / "pioneer_csv_reader_sizes_test.csv";
  const std::string text = "id,name\n1,\"a,b\"\n2,c\r\n3,d\n4,e";
  for (size_t chunk : {size_t{16}, size_t{1} << 20}) {
    for (size_t len = 0; len <= text.size(); ++len) {
      std::string data = text.substr(0, len);
      std::FILE* f = std::fopen(path.c_str(), "wb");
      ASSERT_NE(f, nullptr);
      std::fwrite(data.data(), 1, data.size(), f);
      std::fclose(f);
      auto collect = [](std::vector<Row>* rows) {
        return [rows](const CsvRecord& r) {
          Row row{r.line, {}};
          for (auto field : r.fields) row.fields.emplace_back(field);
          rows->push_back(std::move(row));
          return OkStatus();
        };
      };
      std::vector<Row> from_file, from_bytes;
      std::string seen;
      CsvReader file_reader(CsvReadOptions{chunk, true});
      Status a = file_reader.ReadFile(path.string(), collect(&from_file),
                                      [&](std::string_view c) { seen.append(c); });
      Status b = CsvReader(CsvReadOptions{chunk, true}).ReadBytes(data, collect(&from_bytes));
      EXPECT_EQ(a.ToString(), b.ToString()) << "length " << len << ", chunk " << chunk;
      EXPECT_EQ(from_file, from_bytes) << "length " << len << ", chunk " << chunk;
      EXPECT_EQ(seen, data) << "length " << len << ", chunk " << chunk;
    }
  }
  std::filesystem::remove(path);
}

// Regression: a file with CR-only line endings used to report every record on line 1.
TEST(CsvReaderTest, BareCarriageReturnsEndLines) {
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll("a,b\r1,2\r\r3,\"x\ry\"\r4,5", &rows).ok());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (Row{1, {"a", "b"}}));
  EXPECT_EQ(rows[1], (Row{2, {"1", "2"}}));
  EXPECT_EQ(rows[2], (Row{4, {"3", "x\ry"}}));
  EXPECT_EQ(rows[3], (Row{6, {"4", "5"}}));
}

std::vector<Row> WellFormed(const std::vector<Row>& rows) {
  std::vector<Row> out;
  for (const auto& r : rows)
    if (r.malformed.empty()) out.push_back(r);
  return out;
}

// Regression: `"Smith"jr` used to make libcsv swallow every line up to the next quote (58
// records became one), or, with no later quote, reject the whole file as truncated.
TEST(CsvReaderTest, StrayQuoteIsMalformedAndTakesNoOtherRecordWithIt) {
  std::string data = "id,name\n1,\"Smith\"jr\n2,Jones\n3,\"Flat 2, Block A\"\n4,Patel\n";
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll(data, &rows, nullptr, true).ok());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].fields, std::vector<std::string>{"1,\"Smith\"jr"});
  EXPECT_NE(rows[1].malformed.find("after the closing quote"), std::string::npos);
  EXPECT_EQ(rows[1].column, 2);
  EXPECT_EQ(rows[2], (Row{3, {"2", "Jones"}}));
  EXPECT_EQ(rows[3], (Row{4, {"3", "Flat 2, Block A"}}));
  EXPECT_EQ(rows[4], (Row{5, {"4", "Patel"}}));

  // Without deliver_malformed: an error naming line and column, after the good records.
  CsvError err;
  Status s = ReadAll(data, &rows, &err);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(err.line, 2);
  EXPECT_EQ(err.column, 2);
  EXPECT_EQ(rows.size(), 1u);

  // Alone in the file it is one malformed record, not a "truncated file".
  ASSERT_TRUE(ReadAll("id,name\n1,\"Smith\"jr\n", &rows, nullptr, true).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_FALSE(rows[1].malformed.empty());
}

TEST(CsvReaderTest, UnbalancedOpeningQuoteCostsOnlyItsOwnLine) {
  // The quote opened on line 2 is never closed; the next quote (line 4) cannot close it.
  std::string data = "id,name\n1,\"Smith jr\n2,Jones\n3,\"Flat 2, Block A\"\n4,Patel\n";
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll(data, &rows, nullptr, true).ok());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].fields, std::vector<std::string>{"1,\"Smith jr"});
  EXPECT_NE(rows[1].malformed.find("still open on line 4"), std::string::npos) << rows[1].malformed;
  EXPECT_EQ(rows[2], (Row{3, {"2", "Jones"}}));
  EXPECT_EQ(rows[3], (Row{4, {"3", "Flat 2, Block A"}}));
  EXPECT_EQ(rows[4], (Row{5, {"4", "Patel"}}));

  // Never closed at all: the same, found at the end of the input.
  ASSERT_TRUE(ReadAll("id,name\n1,\"Smith jr\n2,Jones\n3,Patel", &rows, nullptr, true).ok());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[1].malformed.find("not closed"), std::string::npos);
  EXPECT_EQ(rows[2], (Row{3, {"2", "Jones"}}));
  EXPECT_EQ(rows[3], (Row{4, {"3", "Patel"}}));
}

TEST(CsvReaderTest, QuoteInsideAnUnquotedFieldIsMalformed) {
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll("a,b\nx,5'10\"\ny,z\n", &rows, nullptr, true).ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[1].malformed.find("inside an unquoted field"), std::string::npos);
  EXPECT_EQ(rows[1].column, 2);
  EXPECT_EQ(rows[2], (Row{3, {"y", "z"}}));
}

TEST(CsvReaderTest, AQuotedFieldSpanningTooManyLinesIsUnbalanced) {
  std::string data = "a,b\n1,\"open\n";
  for (int i = 0; i < kMaxRecordLines + 5; ++i) data += "2,plain\n";
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll(data, &rows, nullptr, true).ok());
  ASSERT_EQ(rows.size(), static_cast<size_t>(kMaxRecordLines + 5 + 2));
  EXPECT_NE(rows[1].malformed.find("spans more than"), std::string::npos);
  EXPECT_EQ(WellFormed(rows).size(), static_cast<size_t>(kMaxRecordLines + 5 + 1));
  EXPECT_EQ(rows.back().line, kMaxRecordLines + 5 + 2);
}

TEST(CsvReaderTest, MalformedRecordsKeepLaterLineNumbersExact) {
  std::string data = "h\r\n\"a\"b\r\n\"ok\r\nstill\"\r\nlast\r\n";
  std::vector<Row> rows;
  ASSERT_TRUE(ReadAll(data, &rows, nullptr, true).ok());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2], (Row{3, {"ok\r\nstill"}}));
  EXPECT_EQ(rows[3], (Row{5, {"last"}}));
}

// The plain-line split and libcsv give the same records, line numbers and errors on random
// quote-free inputs: commas, spaces, tabs, empty fields, blank and space-only lines, LF, CRLF
// and bare CR endings, UTF-8 and (sometimes) an invalid byte, with or without a last ending.
TEST(CsvReaderTest, PlainLineSplitEqualsLibcsvOnRandomInput) {
  const std::vector<std::string> pieces = {"a", "bc", ",",    ",",  " ",    "\t",  "\xC3\xA9",
                                           "1", "\n", "\r\n", "\r", "\n\n", " \n", ""};
  uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>(state >> 33);
  };
  for (int trial = 0; trial < 400; ++trial) {
    std::string data;
    const size_t n = next() % 60;
    for (size_t i = 0; i < n; ++i) data += pieces[next() % pieces.size()];
    if (trial % 7 == 0 && !data.empty()) data[next() % data.size()] = '\xFF';
    std::vector<Row> rows;
    (void)ReadAll(data, &rows);  // compares the readings (errors included)
  }
}

TEST(Utf8Test, AcceptsValidRejectsInvalid) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, long enough for the fast path"),
            std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);        // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);      // surrogate
  EXPECT_EQ(FindInvalidUtf8("x\xE2\x82"), 1u);         // truncated sequence
  EXPECT_EQ(FindInvalidUtf8("12345678\x80"), 8u);      // lone continuation after fast path
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
}

}  // namespace
}  // namespace pioneer
