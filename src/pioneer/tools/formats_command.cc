// `pioneer formats [--update FILE]`: prints the extract format reference, or rewrites the
// generated section of a document (docs/data-formats.md) in place.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "pioneer/formats/format_reference.h"
#include "pioneer/tools/commands.h"

namespace pioneer::tools {

void RegisterFormatsCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("formats",
                                 "Print the extract format reference (fields, types, code sets)");
  auto update = std::make_shared<std::string>();  // owned by the callback below
  cmd->add_option("--update", *update,
                  "Rewrite the generated section of this Markdown file instead of printing");
  cmd->callback([update, &exit_code] {
    std::string md = formats::FormatReferenceMarkdown();
    if (update->empty()) {
      std::fwrite(md.data(), 1, md.size(), stdout);
      return;
    }
    std::ifstream in(*update);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string doc = ss.str();
    size_t b = doc.find(formats::kGeneratedBegin), e = doc.find(formats::kGeneratedEnd);
    if (!in || b == std::string::npos || e == std::string::npos || e < b) {
      std::fprintf(stderr, "pioneer formats: %s has no generated-section markers\n",
                   update->c_str());
      exit_code = 2;
      return;
    }
    doc = doc.substr(0, b + formats::kGeneratedBegin.size()) + "\n" + md + doc.substr(e);
    std::ofstream out(*update, std::ios::trunc);
    out << doc;
    if (!out) {
      std::fprintf(stderr, "pioneer formats: cannot write %s\n", update->c_str());
      exit_code = 2;
    }
  });
}

}  // namespace pioneer::tools
