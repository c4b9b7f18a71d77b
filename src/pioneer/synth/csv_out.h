// Fast CSV row building into a std::string (RFC 4180 quoting only when a field needs it).
//
// Usage: CsvOut o(&buffer); o.Text("Smith"); o.Int(42); o.Date(day); o.End();
// Each call appends one field (with the separating comma); End() finishes the row.
// Thread safety: wraps a caller-owned buffer; one writer per buffer.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "pioneer/synth/calendar.h"

namespace pioneer::synth {

class CsvOut {
 public:
  explicit CsvOut(std::string* out) : out_(*out) {}

  void Text(std::string_view s) {
    Sep();
    bool quote = false;
    for (char c : s) {
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        quote = true;
        break;
      }
    }
    if (!quote) {
      out_.append(s);
      return;
    }
    out_.push_back('"');
    for (char c : s) {
      if (c == '"') out_.push_back('"');
      out_.push_back(c);
    }
    out_.push_back('"');
  }
  // Text, or an empty field for nullptr.
  void Code(const char* s) {
    if (s == nullptr) {
      Empty();
    } else {
      Text(s);
    }
  }
  void Int(int64_t v) {
    Sep();
    fmt::format_int f(v);
    out_.append(f.data(), f.size());
  }
  // Two decimal places; empty when v < 0.
  void Money(double v) {
    Sep();
    if (v < 0) return;
    fmt::format_to(std::back_inserter(out_), "{:.2f}", v);
  }
  // ISO date, or empty for kNoDay.
  void Date(Day d) {
    Sep();
    if (d != kNoDay) AppendIsoDate(out_, d);
  }
  void Empty() { Sep(); }
  void End() {
    out_.push_back('\n');
    first_ = true;
  }

 private:
  void Sep() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace pioneer::synth
