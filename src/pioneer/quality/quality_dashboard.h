// A self-contained HTML page (inline SVG charts, no scripts or external assets) showing the
// data-quality report: NHS Number coverage by source, unlinkable records, inconsistencies,
// and quarantine by reason. Aggregates only, like the report it draws.
#pragma once

#include <string>

#include "pioneer/quality/quality_report.h"

namespace pioneer::quality {

// `title` is shown as the page heading (e.g. the area's name); it is HTML-escaped.
std::string RenderQualityDashboard(const QualityReport& report, const std::string& title);

}  // namespace pioneer::quality
