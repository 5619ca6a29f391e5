// libFuzzer entry for the coordinate-file reader (src/geo/coordfile.hpp). A file may be
// rejected with mineplan::InputError; any other exception, a crash, a sanitizer report or a
// hang is a bug. Seed corpus: tests/cases/coords/*.txt (scripts/fuzz.sh).
#include "core/error.hpp"
#include "geo/coordfile.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace mineplan::geo;
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  try {
    CoordinateFile f = parse_coordinate_file(bytes, "fuzz");
    // Whatever reads must also write, in both encodings, and the output must read again or
    // be rejected cleanly (rounding to the file's precision can merge points).
    const std::string utf8 = write_exchange_file(f, Encoding::Utf8);
    try {
      (void)write_exchange_file(f, Encoding::Gbk);
    } catch (const mineplan::Error &) {
      // A character GB18030 cannot hold is refused with a message; UTF-8 above held it.
    }
    try {
      (void)parse_coordinate_file(utf8, "fuzz-rewritten");
    } catch (const mineplan::InputError &) {
    }
  } catch (const mineplan::InputError &) {
  }
  return 0;
}
