#pragma once
// A fresh directory under /tmp for one test, removed with everything in it afterwards.
#include "io/temp_folder.hpp"

namespace mineplan::testing {

class TempDir : public io::TempFolder {
public:
  TempDir() : io::TempFolder("mineplan-test") {}
};

} // namespace mineplan::testing
