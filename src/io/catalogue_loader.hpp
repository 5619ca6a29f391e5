#pragma once
// Loads and validates the data/ folder (divisions, minerals, outlines, one folder per plan)
// into a Catalogue. Every problem names the file, the JSON path and what was expected; all
// problems are collected and reported together.
#include "core/model.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace mineplan::io {

struct LoadOptions {
  // Where the seed texts are, to check that citations name existing seeds (optional).
  std::filesystem::path seeds_dir;
};

Catalogue load_catalogue(const std::filesystem::path &data_dir, const LoadOptions &options = {});

// The data folder the binary was built with, or $MINEPLAN_DATA when set.
std::filesystem::path default_data_dir();

} // namespace mineplan::io
