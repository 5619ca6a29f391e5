#include "io/vocabulary_loader.hpp"

#include "io/catalogue_loader.hpp"

#include <fstream>
#include <sstream>

namespace mineplan::io {

Vocabulary load_vocabulary(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), 0, "", "无法读取词汇表文件");
  std::ostringstream text;
  text << in.rdbuf();
  return Vocabulary::parse(text.str(), file.string());
}

Vocabulary load_vocabulary_of(const std::filesystem::path &data_dir) {
  const std::filesystem::path own = data_dir / "vocabulary.json";
  if (std::filesystem::exists(own)) return load_vocabulary(own);
  return vocabulary();
}

const Vocabulary &vocabulary() {
  static const Vocabulary v = load_vocabulary(default_data_dir() / "vocabulary.json");
  return v;
}

} // namespace mineplan::io
