#include "geo/text_encoding.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <iconv.h>

namespace mineplan::geo {
namespace {

// Owns an iconv_t descriptor.
class Iconv {
public:
  Iconv(const char *to, const char *from) : cd_(iconv_open(to, from)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1))
      throw Error(std::string("iconv: cannot convert from ") + from + " to " + to);
  }
  ~Iconv() { iconv_close(cd_); }
  Iconv(const Iconv &) = delete;
  Iconv &operator=(const Iconv &) = delete;
  iconv_t get() const { return cd_; }

private:
  iconv_t cd_;
};

} // namespace

std::optional<std::size_t> invalid_utf8_offset(std::string_view s) {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c == 0xE0)
      len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC)
      len = 3;
    else if (c == 0xED)
      len = 3, hi = 0x9F; // no UTF-16 surrogates
    else if (c >= 0xEE && c <= 0xEF)
      len = 3;
    else if (c == 0xF0)
      len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
      len = 4;
    else if (c == 0xF4)
      len = 4, hi = 0x8F; // <= U+10FFFF
    else
      return i;
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::nullopt;
}

Conversion convert_encoding(std::string_view bytes, const char *from, const char *to) {
  Iconv cd(to, from);
  Conversion out;
  out.text.resize(bytes.size() * 2 + 16);
  // iconv's interface is not const-correct; it does not write through inbuf.
  char *in = const_cast<char *>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t produced = 0;
  while (in_left > 0) {
    char *outp = out.text.data() + produced;
    std::size_t out_left = out.text.size() - produced;
    const std::size_t r = iconv(cd.get(), &in, &in_left, &outp, &out_left);
    produced = out.text.size() - out_left;
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.text.resize(out.text.size() * 2);
      continue;
    }
    // EILSEQ (invalid sequence) or EINVAL (truncated sequence at the end).
    out.error_offset = bytes.size() - in_left;
    out.text.resize(produced);
    return out;
  }
  // Flush any shift state (not needed for GB18030/UTF-8, harmless otherwise).
  for (;;) {
    char *outp = out.text.data() + produced;
    std::size_t out_left = out.text.size() - produced;
    const std::size_t r = iconv(cd.get(), nullptr, nullptr, &outp, &out_left);
    produced = out.text.size() - out_left;
    if (r == static_cast<std::size_t>(-1) && errno == E2BIG) {
      out.text.resize(out.text.size() * 2 + 16);
      continue;
    }
    break;
  }
  out.text.resize(produced);
  return out;
}

} // namespace mineplan::geo
