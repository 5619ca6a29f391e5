#pragma once
// The few protobuf wire-format pieces an MVT writer needs: varints, zigzag, field keys,
// length-delimited and fixed64 fields. Appends to a std::string.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mineplan::tiles::pb {

enum WireType : std::uint32_t { varint = 0, fixed64 = 1, length = 2, fixed32 = 5 };

inline void put_varint(std::string &out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline std::uint32_t zigzag32(std::int32_t v) {
  return (static_cast<std::uint32_t>(v) << 1) ^ static_cast<std::uint32_t>(v >> 31);
}
inline std::uint64_t zigzag64(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline void put_key(std::string &out, std::uint32_t field, WireType type) {
  put_varint(out, (static_cast<std::uint64_t>(field) << 3) | type);
}

inline void put_varint_field(std::string &out, std::uint32_t field, std::uint64_t v) {
  put_key(out, field, varint);
  put_varint(out, v);
}

inline void put_bytes_field(std::string &out, std::uint32_t field, std::string_view bytes) {
  put_key(out, field, length);
  put_varint(out, bytes.size());
  out.append(bytes);
}

inline void put_double_field(std::string &out, std::uint32_t field, double v) {
  put_key(out, field, fixed64);
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) // little-endian on the wire, whatever the host
    out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

// A packed repeated uint32 field (MVT tags and geometry).
template <class Container>
void put_packed_field(std::string &out, std::uint32_t field, const Container &values) {
  std::size_t size = 0;
  for (auto v : values)
    size += varint_size(v);
  put_key(out, field, length);
  put_varint(out, size);
  for (auto v : values)
    put_varint(out, v);
}

} // namespace mineplan::tiles::pb
