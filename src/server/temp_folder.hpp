#pragma once
// A private folder under /tmp for one request's or job's uploaded file, removed with it.
#include "core/error.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace mineplan::server {

class TempFolder {
public:
  TempFolder() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mineplan-upload-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw Error("cannot make a temporary folder for an upload");
    path_ = tmpl;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder &) = delete;
  TempFolder &operator=(const TempFolder &) = delete;
  const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
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
