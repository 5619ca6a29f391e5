// src/server is a translation layer over the use cases (src/service): it holds no SQL and
// takes no lifecycle step, register reaction or draw itself. Scans the sources.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> server_sources() {
  std::vector<fs::path> out;
  for (const auto &e : fs::directory_iterator(fs::path(MINEPLAN_SOURCE_DIR) / "src" / "server"))
    if (e.path().extension() == ".cpp" || e.path().extension() == ".hpp") out.push_back(e.path());
  return out;
}

std::string text_of(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The lines of src/server matching `pattern`, as "file:line: text".
std::vector<std::string> matches(const std::regex &pattern) {
  std::vector<std::string> out;
  for (const auto &file : server_sources()) {
    std::istringstream in(text_of(file));
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
      if (std::regex_search(line, pattern))
        out.push_back(file.filename().string() + ":" + std::to_string(n) + ": " + line);
  }
  return out;
}

std::string joined(const std::vector<std::string> &v) {
  std::string s;
  for (const auto &x : v)
    s.append(x).append("\n");
  return s;
}

} // namespace

TEST(ServerSourceScan, TheServerSourcesAreThere) {
  EXPECT_GT(server_sources().size(), 5u);
}

TEST(ServerSourceScan, NoSqlInTheServer) {
  const std::regex sql(R"(\bSELECT\b[^;]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|)"
                       R"(\bDELETE\s+FROM\b|\b(CREATE|ALTER|DROP)\s+(TABLE|INDEX|TRIGGER)\b|)"
                       R"(\bBEGIN\s+TRANSACTION\b|sqlite3_|PQexec)",
                       std::regex::icase);
  const auto found = matches(sql);
  EXPECT_TRUE(found.empty()) << joined(found);
}

TEST(ServerSourceScan, NoLifecycleRuleInTheServer) {
  // Steps, register reactions and draws are the use cases' (src/service).
  const std::regex rule(R"(registry::apply_step|answer_register_changes|register_view|)"
                        R"(registry::draw_inspections|append_registry_event|in_transaction|)"
                        R"(update_right\(|update_mine\()");
  auto found = matches(rule);
  // The use cases are called as service::update_right / service::update_mine.
  std::erase_if(
      found, [](const std::string &l) { return l.find("service::update_") != std::string::npos; });
  EXPECT_TRUE(found.empty()) << joined(found);
}
