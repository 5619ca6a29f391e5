// libFuzzer entry for the JSON readers (src/core/json_text.hpp) and what reads an application
// from them (src/review/application.hpp): request bodies and application files anyone may hand
// us. Bad bytes must be refused with mineplan::Error (an InputError naming the line); any other
// exception (a nlohmann type or range error escaping a reader), a crash, a stack overflow from
// deep nesting, a sanitizer report or a hang is a bug.
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "io/catalogue_loader.hpp"
#include "review/application.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace {

struct Reference {
  mineplan::Catalogue catalogue = mineplan::io::load_catalogue(mineplan::io::default_data_dir());
  // Boundary files named by an application resolve here: an empty folder of our own.
  std::filesystem::path empty_dir = [] {
    auto d = std::filesystem::temp_directory_path() / "mineplan-fuzz-json-empty";
    std::filesystem::create_directories(d);
    return d;
  }();
};

const Reference &reference() {
  static const Reference r;
  return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  mineplan::Json j;
  try {
    j = mineplan::parse_json_text(text, "fuzz");
  } catch (const mineplan::InputError &) {
    // The depth bound must hold whenever the parser refused for depth: nothing else to check.
    return 0;
  }
  // Whatever parsed is within the bound, so copies and dumps are safe.
  if (mineplan::json_too_deep_at(text, mineplan::kMaxJsonDepth)) std::abort();
  mineplan::Json copy = j;
  (void)copy.dump(-1, ' ', false, mineplan::Json::error_handler_t::replace);
  try {
    const auto &ref = reference();
    (void)mineplan::review::parse_application(j, ref.empty_dir, ref.catalogue.minerals,
                                              ref.catalogue.divisions, "application");
  } catch (const mineplan::Error &) {
  }
  return 0;
}
