#pragma once
// What the benchmarks share: the generated database they measure on, reused when it exists.
#include "io/catalogue_loader.hpp"
#include "io/generate.hpp"
#include "io/temp_folder.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <optional>
#include <string>

namespace mineplan::bench {

// Bytes malloc has handed out and not had back: small blocks plus mmap'ed large ones.
inline std::size_t heap_bytes() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// VmHWM / VmRSS from /proc/self/status, in MB.
inline double proc_mb(const char *key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::atof(line.c_str() + std::strlen(key) + 1) / 1024.0;
  return 0;
}

// Reads `--key value` and `--flag` arguments in order; a missing value or an unknown option
// prints the usage and exits 2 (a benchmark has no caller to throw to).
class ArgReader {
public:
  ArgReader(const char *program, std::string usage, int argc, char **argv)
      : program_(program), usage_(std::move(usage)), argc_(argc), argv_(argv) {}

  // Moves to the next option; false when there is none left.
  bool next() {
    if (++i_ >= argc_) return false;
    key_ = argv_[i_];
    return true;
  }
  const std::string &key() const { return key_; }
  std::string text() {
    if (i_ + 1 >= argc_) fail(key_ + " needs a value");
    return argv_[++i_];
  }
  int integer(int lo, int hi) { return std::clamp(std::atoi(text().c_str()), lo, hi); }
  std::uint64_t unsigned64() { return std::strtoull(text().c_str(), nullptr, 10); }
  [[noreturn]] void unknown() { fail("unknown option " + key_); }
  [[noreturn]] void fail(const std::string &why) const {
    std::fprintf(stderr, "%s: %s\nusage: %s %s\n", program_, why.c_str(), program_, usage_.c_str());
    std::exit(2);
  }

private:
  const char *program_;
  std::string usage_;
  int argc_;
  char **argv_;
  int i_ = 0;
  std::string key_;
};

// The generated database a benchmark measures on, from --db, --data, --scale and --seed.
struct DatabaseArgs {
  std::string db;
  std::string data;
  io::GenerateScale scale = io::GenerateScale::region;
  std::uint64_t seed = 0;
};

// Reads the option `r` is at into `d` when it is one of DatabaseArgs'; false otherwise.
inline bool read_database_option(ArgReader &r, DatabaseArgs &d) {
  const std::string &k = r.key();
  if (k == "--db") {
    d.db = r.text();
  } else if (k == "--data") {
    d.data = r.text();
  } else if (k == "--seed") {
    d.seed = r.unsigned64();
  } else if (k == "--scale") {
    auto s = io::parse_generate_scale(r.text());
    if (!s) r.fail("--scale must be region, small or national");
    d.scale = *s;
  } else {
    return false;
  }
  return true;
}

// `db` as given (--db), or a fresh file in `tmp` when empty; generated (scale, seed, from the
// data folder `data` or the default one) when it does not exist yet. Prints what it did.
inline std::filesystem::path bench_database(const std::filesystem::path &db_arg,
                                            const std::string &data, io::GenerateScale scale,
                                            std::uint64_t seed,
                                            std::optional<io::TempFolder> &tmp) {
  std::filesystem::path db = db_arg;
  if (db.empty()) {
    tmp.emplace("mineplan-bench");
    db = tmp->path() / "generated.gpkg";
  }
  if (std::filesystem::exists(db)) {
    std::printf("database: %s (reused; generation not timed here)\n", db.c_str());
    return db;
  }
  const Catalogue cat =
      io::load_catalogue(data.empty() ? io::default_data_dir() : std::filesystem::path(data));
  io::GenerateOptions o;
  o.scale = scale;
  o.seed = seed;
  const io::GenerateReport r = io::generate_database(db, cat, o);
  std::printf("database: %s generated (scale %s, seed %llu) in %.1f s\n", db.c_str(),
              std::string(io::generate_scale_name(scale)).c_str(),
              static_cast<unsigned long long>(seed), r.seconds_total);
  std::printf("  %d rights (%d exploration, %d mining), %d planning blocks, %d key areas, %d "
              "red-line/prohibited polygons\n",
              r.counts.rights(), r.counts.exploration_rights, r.counts.mining_rights,
              r.counts.exploration_blocks + r.counts.mining_blocks,
              r.counts.key_mining_areas + r.counts.key_exploration_areas,
              r.counts.red_lines + r.counts.prohibited_areas);
  std::printf("  vertices: rights %lld, blocks and key areas %lld, red-line/prohibited %lld\n",
              static_cast<long long>(r.right_vertices), static_cast<long long>(r.block_vertices),
              static_cast<long long>(r.protected_vertices));
  return db;
}

} // namespace mineplan::bench
