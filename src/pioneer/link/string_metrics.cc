#include "pioneer/link/string_metrics.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace pioneer::link {
namespace {

constexpr size_t kStackLen = 64;

// Jaro with caller-provided flag buffers of at least |a| and |b| bytes.
double JaroImpl(std::string_view a, std::string_view b, uint8_t* a_flag, uint8_t* b_flag) {
  const size_t la = a.size(), lb = b.size();
  const size_t window = std::max(la, lb) / 2 >= 1 ? std::max(la, lb) / 2 - 1 : 0;
  std::fill(a_flag, a_flag + la, 0);
  std::fill(b_flag, b_flag + lb, 0);
  size_t m = 0;
  for (size_t i = 0; i < la; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(lb, i + window + 1);
    const char c = a[i];
    for (size_t j = lo; j < hi; ++j) {
      if (!b_flag[j] && b[j] == c) {
        a_flag[i] = b_flag[j] = 1;
        ++m;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  size_t half_t = 0, j = 0;
  for (size_t i = 0; i < la; ++i) {
    if (!a_flag[i]) continue;
    while (!b_flag[j]) ++j;
    if (a[i] != b[j]) ++half_t;
    ++j;
  }
  const double md = static_cast<double>(m);
  const double t = static_cast<double>(half_t / 2);
  return (md / static_cast<double>(la) + md / static_cast<double>(lb) + (md - t) / md) / 3.0;
}

// Bit-parallel Jaro for |a|, |b| <= 64: pm[c] holds the positions of byte c in b, so each
// character of a finds its first unmatched partner in the window with a few bit operations.
// Same result as JaroImpl (the lowest free position in the window is taken).
double JaroBits(std::string_view a, std::string_view b) {
  const size_t la = a.size(), lb = b.size();
  const size_t window = std::max(la, lb) / 2 >= 1 ? std::max(la, lb) / 2 - 1 : 0;
  uint64_t pm[256];  // only entries for bytes of a and b are initialised and read
  for (size_t i = 0; i < la; ++i) pm[static_cast<unsigned char>(a[i])] = 0;
  for (size_t j = 0; j < lb; ++j) pm[static_cast<unsigned char>(b[j])] = 0;
  for (size_t j = 0; j < lb; ++j) pm[static_cast<unsigned char>(b[j])] |= uint64_t{1} << j;
  uint64_t a_flag = 0, b_flag = 0;
  size_t m = 0;
  for (size_t i = 0; i < la; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(lb, i + window + 1);
    if (lo >= hi) continue;
    const size_t width = hi - lo;
    const uint64_t mask = (width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1)) << lo;
    const uint64_t cand = pm[static_cast<unsigned char>(a[i])] & ~b_flag & mask;
    if (cand != 0) {
      b_flag |= cand & (~cand + 1);  // lowest set bit
      a_flag |= uint64_t{1} << i;
      ++m;
    }
  }
  if (m == 0) return 0.0;
  size_t half_t = 0;
  uint64_t ia = a_flag, ib = b_flag;
  while (ia != 0) {
    const int i = std::countr_zero(ia);
    const int j = std::countr_zero(ib);
    if (a[static_cast<size_t>(i)] != b[static_cast<size_t>(j)]) ++half_t;
    ia &= ia - 1;
    ib &= ib - 1;
  }
  const double md = static_cast<double>(m);
  const double t = static_cast<double>(half_t / 2);
  return (md / static_cast<double>(la) + md / static_cast<double>(lb) + (md - t) / md) / 3.0;
}

}  // namespace

double Jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a.size() <= kStackLen && b.size() <= kStackLen) return JaroBits(a, b);
  std::vector<uint8_t> fa(a.size()), fb(b.size());
  return JaroImpl(a, b, fa.data(), fb.data());
}

double JaroWinkler(std::string_view a, std::string_view b) {
  const double j = Jaro(a, b);
  if (j < 0.7) return j;
  size_t prefix = 0;
  const size_t cap = std::min<size_t>({4, a.size(), b.size()});
  while (prefix < cap && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * 0.1 * (1.0 - j);
}

int DamerauLevenshtein(std::string_view a, std::string_view b) {
  // Lowrance-Wagner. last_row[c]: the last row (1-based) of a holding byte c; only the
  // entries for bytes of a and b are initialised.
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (la == 0) return lb;
  if (lb == 0) return la;
  const int cols = lb + 2;
  std::array<int, (kStackLen + 2) * (kStackLen + 2)> stack_d;
  std::vector<int> heap_d;
  int* d = stack_d.data();
  if (a.size() > kStackLen || b.size() > kStackLen) {
    heap_d.resize(static_cast<size_t>(la + 2) * static_cast<size_t>(cols));
    d = heap_d.data();
  }
  auto at = [&](int i, int j) -> int& { return d[i * cols + j]; };
  int last_row[256];
  for (char c : a) last_row[static_cast<unsigned char>(c)] = 0;
  for (char c : b) last_row[static_cast<unsigned char>(c)] = 0;
  const int max_dist = la + lb;
  at(0, 0) = max_dist;
  for (int i = 0; i <= la; ++i) {
    at(i + 1, 0) = max_dist;
    at(i + 1, 1) = i;
  }
  for (int j = 0; j <= lb; ++j) {
    at(0, j + 1) = max_dist;
    at(1, j + 1) = j;
  }
  for (int i = 1; i <= la; ++i) {
    int last_match_col = 0;
    const auto ca = static_cast<unsigned char>(a[i - 1]);
    for (int j = 1; j <= lb; ++j) {
      const auto cb = static_cast<unsigned char>(b[j - 1]);
      const int i1 = last_row[cb];
      const int j1 = last_match_col;
      int cost = 1;
      if (ca == cb) {
        cost = 0;
        last_match_col = j;
      }
      int v = std::min(at(i, j) + cost, at(i + 1, j) + 1);
      v = std::min(v, at(i, j + 1) + 1);
      v = std::min(v, at(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1));
      at(i + 1, j + 1) = v;
    }
    last_row[ca] = i;
  }
  return at(la + 1, lb + 1);
}

bool DamerauLevenshteinWithin(std::string_view a, std::string_view b, int k) {
  if (k < 0) return false;
  const size_t la = a.size(), lb = b.size();
  const size_t diff = la > lb ? la - lb : lb - la;
  if (diff > static_cast<size_t>(k)) return false;
  if (k == 0) return a == b;
  if (k == 1) {
    // Skip the common prefix and suffix; what is left must be one edit.
    size_t p = 0;
    const size_t lmin = std::min(la, lb);
    while (p < lmin && a[p] == b[p]) ++p;
    if (p == la && p == lb) return true;  // equal
    size_t ea = la, eb = lb;
    while (ea > p && eb > p && a[ea - 1] == b[eb - 1]) {
      --ea;
      --eb;
    }
    const size_t ra = ea - p, rb = eb - p;  // lengths of the differing middles
    if (ra <= 1 && rb <= 1) return true;    // one substitution, insertion or deletion
    // One adjacent transposition: middles "xy" and "yx".
    return ra == 2 && rb == 2 && a[p] == b[p + 1] && a[p + 1] == b[p];
  }
  // Lower bound: every edit changes the byte histogram difference by at most 2
  // (a transposition by 0), so DL >= ceil(sum |count_a - count_b| / 2).
  int diff_count[256];
  for (char c : a) diff_count[static_cast<unsigned char>(c)] = 0;
  for (char c : b) diff_count[static_cast<unsigned char>(c)] = 0;
  for (char c : a) ++diff_count[static_cast<unsigned char>(c)];
  for (char c : b) --diff_count[static_cast<unsigned char>(c)];
  int total = 0;
  for (char c : a) {
    const int v = diff_count[static_cast<unsigned char>(c)];
    total += v < 0 ? -v : v;
    diff_count[static_cast<unsigned char>(c)] = 0;
  }
  for (char c : b) {
    const int v = diff_count[static_cast<unsigned char>(c)];
    total += v < 0 ? -v : v;
    diff_count[static_cast<unsigned char>(c)] = 0;
  }
  if ((total + 1) / 2 > k) return false;
  return DamerauLevenshtein(a, b) <= k;
}

int Levenshtein(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  const size_t lb = b.size();
  std::array<int, kStackLen + 1> stack_row;
  std::vector<int> heap_row;
  int* row = stack_row.data();
  if (lb > kStackLen) {
    heap_row.resize(lb + 1);
    row = heap_row.data();
  }
  for (size_t j = 0; j <= lb; ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diag = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= lb; ++j) {
      const int up = row[j];
      row[j] = std::min({up + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[lb];
}

}  // namespace pioneer::link
