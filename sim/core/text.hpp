#pragma once
// Small text helpers shared by every layer's messages and records.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace pocsim::core {

// The shortest text that reads back as the same double (0.7, not 0.69999999999999996): exact in records,
// readable in messages. Whole numbers below 2^53 print in full; an exponent always follows a fraction
// ("1.0e-05", not "1e-05", which YAML 1.1 readers such as PyYAML take for text).
inline std::string shortest(double v) {
  if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == static_cast<double>(static_cast<std::int64_t>(v)))
    return std::to_string(static_cast<std::int64_t>(v));
  char buf[40];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return std::to_string(v);
  std::string out(buf, end);
  if (const auto e = out.find('e'); e != std::string::npos && out.find('.') == std::string::npos) out.insert(e, ".0");
  return out;
}

inline std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) s += separator;
    s += items[i];
  }
  return s;
}

// 'text', as messages quote what a user wrote.
inline std::string quoted(const std::string& s) { return "'" + s + "'"; }

// "text" as a JSON string, escaped.
inline std::string json_quoted(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += ch;
  }
  return out + "\"";
}

}  // namespace pocsim::core
