#pragma once
#include <string>

namespace pocsim::scenario {

// The parameter reference as plain text for the terminal (`pocsim schema`).
std::string schema_text();

// The same as Markdown: the committed docs/parameters.md is exactly this (a test checks it).
std::string schema_markdown();

}  // namespace pocsim::scenario
