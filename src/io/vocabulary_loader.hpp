#pragma once
// Reads data/vocabulary.json (the one vocabulary: labels and map symbology of every closed
// value set) into a validated Vocabulary.
#include "core/vocabulary.hpp"

#include <filesystem>

namespace mineplan::io {

// Reads and validates `file`; InputError naming the file and field when it is not valid.
Vocabulary load_vocabulary(const std::filesystem::path &file);

// The vocabulary of a data folder: `data_dir`/vocabulary.json when there is one, else the
// default data folder's (a test's small data folder need not copy it).
Vocabulary load_vocabulary_of(const std::filesystem::path &data_dir);

// The default data folder's vocabulary ($MINEPLAN_DATA or the folder this binary was built
// with), read once on first use and shared, read-only, by every thread.
const Vocabulary &vocabulary();

} // namespace mineplan::io
