// String similarity measures used by linkage comparisons: Jaro, Jaro-Winkler,
// Damerau-Levenshtein (true, unrestricted) and Levenshtein.
//
// All functions work on bytes. Callers normalise first (link/normalise.h folds accents and
// case to ASCII), so for names a byte is a letter. Strings of any length are accepted;
// up to 64 bytes per side the work is done in stack buffers with no allocation (the hot
// path: names, postcodes, dates), longer inputs allocate.
//
// Definitions (pinned by string_metrics_test.cc):
//  * Jaro: m = characters matching within a window of max(|a|,|b|)/2 - 1 positions,
//    t = half the number of matched characters out of order;
//    jaro = (m/|a| + m/|b| + (m - t)/m) / 3, and 0 when m = 0. Two empty strings: 1.
//  * Jaro-Winkler (Winkler 1990): jw = jaro + l * 0.1 * (1 - jaro), l = common prefix
//    length capped at 4, applied only when jaro >= 0.7 (the "boost threshold"; NHS MPS
//    quotes Jon/James = 0.51, which needs the gate). MARTHA/MARHTA 0.961,
//    DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813, JOHN/JON 0.933.
//  * DamerauLevenshtein: the true (unrestricted) Damerau-Levenshtein distance of
//    Lowrance and Wagner: insertions, deletions, substitutions and transpositions of
//    adjacent characters, where a transposed pair may be edited again ("CA" -> "ABC" is 2;
//    the optimal-string-alignment variant gives 3). At distance <= 1 both variants agree.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

namespace pioneer::link {

double Jaro(std::string_view a, std::string_view b);
double JaroWinkler(std::string_view a, std::string_view b);

// True Damerau-Levenshtein distance (see above).
int DamerauLevenshtein(std::string_view a, std::string_view b);
// DamerauLevenshtein(a, b) <= k, computed without the full matrix when k <= 1.
bool DamerauLevenshteinWithin(std::string_view a, std::string_view b, int k);
// Plain Levenshtein distance (insertions, deletions, substitutions).
int Levenshtein(std::string_view a, std::string_view b);

}  // namespace pioneer::link
