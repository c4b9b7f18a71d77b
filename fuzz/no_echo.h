// Shared checks of the FHIR and auth fuzz targets. Require aborts (a finding) when an invariant
// fails. CheckNoValueEchoed: an error message never repeats a value the
// client sent. Element and parameter names may be echoed ("CarePlan.foo: is not stored"),
// and so may array indices ("participant[3]"); values (NHS Numbers, dates of birth, names,
// passwords) may not. A value counts when it holds at least 6 digits: the message templates
// hold at most 4 ("4,000 characters"), so after removing the echoed names and indices a
// message can only contain such a value by echoing it.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace pioneer::fuzz {

// Aborts with the invariant's description when `ok` is false: libFuzzer reports the input.
inline void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant failed: %s\n", what);
    std::abort();
  }
}

inline int Digits(std::string_view s) {
  return static_cast<int>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }));
}

// Aborts when `message` repeats one of `values` (see above). `names` are the element or
// parameter names of the same input (echoed names are allowed, also truncated to 40 bytes).
inline void CheckNoValueEchoed(std::string message, const std::vector<std::string>& values,
                               std::vector<std::string> names) {
  std::vector<std::string> all = names;
  for (const std::string& n : names) all.push_back(n.substr(0, 40));
  std::sort(all.begin(), all.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& n : all) {
    if (n.empty()) continue;
    for (size_t at; (at = message.find(n)) != std::string::npos;) message.erase(at, n.size());
  }
  // "[<digits>]" indices.
  std::string stripped;
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '[') {
      size_t j = i + 1;
      while (j < message.size() && std::isdigit(static_cast<unsigned char>(message[j]))) ++j;
      if (j > i + 1 && j < message.size() && message[j] == ']') {
        i = j;
        continue;
      }
    }
    stripped += message[i];
  }
  for (const std::string& v : values) {
    if (Digits(v) < 6) continue;
    bool is_name = false;
    for (const std::string& n : names) is_name |= n.find(v) != std::string::npos;
    if (is_name) continue;
    if (stripped.find(v) != std::string::npos) {
      std::fprintf(stderr, "error message repeats a value: %s\n", stripped.c_str());
      std::abort();
    }
  }
}

}  // namespace pioneer::fuzz
