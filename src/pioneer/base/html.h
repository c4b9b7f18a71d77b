// Text for HTML pages: escaping of the characters that would otherwise start markup or end an
// attribute. Every self-contained report page (dashboard, risk report, Care Trak) uses it.
// Thread safety: pure function.
#pragma once

#include <string>

namespace pioneer {

// `s` with &, <, > and " replaced by their character references.
std::string HtmlEscape(const std::string& s);

}  // namespace pioneer
