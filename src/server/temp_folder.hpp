#pragma once
// Uploads: a private folder per request or job, and safe names for the files in it.
#include "io/temp_folder.hpp"

#include <cctype>
#include <filesystem>
#include <string>

namespace mineplan::server {

// An upload's private folder.
class TempFolder : public io::TempFolder {
public:
  TempFolder() : io::TempFolder("mineplan-upload") {}
};

// An uploaded file's name reduced to a safe base name (no folders, no leading dots) that keeps
// its extension, which tells the readers the format.
inline std::string safe_file_name(const std::string &name, const std::string &fallback) {
  std::string base = std::filesystem::path(name).filename().string();
  std::string out;
  for (char c : base) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || c == '.' || c == '-' || c == '_') out += c;
  }
  while (!out.empty() && out.front() == '.')
    out.erase(out.begin());
  if (out.empty() || out.size() > 200) return fallback;
  return out;
}

} // namespace mineplan::server
