#pragma once
// A fresh private folder under the system's temporary directory, removed with everything in it
// when the object goes: uploads in the server, scratch stores in tests and benchmarks.
#include "core/error.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace mineplan::io {

class TempFolder {
public:
  explicit TempFolder(const std::string &prefix = "mineplan") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!mkdtemp(tmpl.data())) throw Error("cannot make a temporary folder " + tmpl);
    path_ = tmpl;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder &) = delete;
  TempFolder &operator=(const TempFolder &) = delete;

  const std::filesystem::path &path() const { return path_; }
  std::string file(const std::string &name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

} // namespace mineplan::io
