#pragma once
// The seed texts (the plans' own wording) are not part of the project: they lie beside the
// checkout, in ../shared/seeds (MINEPLAN_SEEDS_DIR), and a clone of the project alone has none.
// A check that reads them starts with REQUIRE_SEED_TEXTS(): where they are absent it skips,
// saying where it looked; in CI (the environment variable CI set, as CI services do), where the
// seeds must be present, their absence fails the check instead.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace mineplan::testing {

inline bool seed_texts_present() {
  std::error_code ec;
  return std::filesystem::is_directory(MINEPLAN_SEEDS_DIR, ec) &&
         !std::filesystem::is_empty(MINEPLAN_SEEDS_DIR, ec);
}

inline bool in_ci() {
  const char *v = std::getenv("CI");
  return v && *v && std::string(v) != "false" && std::string(v) != "0";
}

} // namespace mineplan::testing

#define REQUIRE_SEED_TEXTS()                                                                       \
  do {                                                                                             \
    if (!::mineplan::testing::seed_texts_present()) {                                              \
      if (::mineplan::testing::in_ci())                                                            \
        FAIL() << "seed texts not found at " << MINEPLAN_SEEDS_DIR                                 \
               << " (CI is set: there they must be present)";                                      \
      GTEST_SKIP() << "seed texts not found at " << MINEPLAN_SEEDS_DIR                             \
                   << " (they lie beside the checkout, in ../shared/seeds)";                       \
    }                                                                                              \
  } while (0)
