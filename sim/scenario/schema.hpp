#pragma once
#include <string>

namespace pocsim::scenario {

// The parameter reference as plain text for the terminal (`pocsim schema`).
std::string schema_text();

// The same as Markdown: the committed docs/parameters.md is exactly this (a test checks it).
std::string schema_markdown();

// The same as a JSON Schema (draft-07) of scenario and option files, for editors that complete and check
// YAML against a schema; the committed docs/scenario.schema.json is exactly this (a test checks it, and
// validates every shipped scenario against it).
std::string schema_json();

}  // namespace pocsim::scenario
