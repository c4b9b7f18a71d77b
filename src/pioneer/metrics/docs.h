// The metric reference (docs/metrics.md section between the GENERATED markers), rendered
// from the catalogue so that the documentation cannot drift from the definitions; a test
// compares the file with this output. Thread safety: pure.
#pragma once

#include <string>

namespace pioneer::metrics {

// Markdown: switches table, then one section per metric with its rules.
std::string RenderMetricsReference();
// Replaces the generated block of `document` (between the BEGIN/END GENERATED markers) with
// RenderMetricsReference(); returns the document unchanged if the markers are missing.
std::string UpdateGeneratedBlock(const std::string& document);

inline constexpr const char* kBeginGenerated =
    "<!-- BEGIN GENERATED from src/pioneer/metrics/catalogue.cc: do not edit by hand -->";
inline constexpr const char* kEndGenerated = "<!-- END GENERATED -->";

}  // namespace pioneer::metrics
