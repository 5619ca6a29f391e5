// RFC 9162 §2.1 Merkle trees: see merkle.hpp.
#include "store/merkle.hpp"

#include <sodium.h>

namespace mineplan::merkle {
namespace {

// The largest power of two smaller than n (n > 1).
std::size_t split_point(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n)
    k *= 2;
  return k;
}

void subproof(std::span<const Hash> d, std::size_t m, bool whole, std::vector<Hash> &out) {
  const std::size_t n = d.size();
  if (m == n) {
    if (!whole) out.push_back(root(d));
    return;
  }
  const std::size_t k = split_point(n);
  if (m <= k) {
    subproof(d.first(k), m, whole, out);
    out.push_back(root(d.subspan(k)));
  } else {
    subproof(d.subspan(k), m - k, false, out);
    out.push_back(root(d.first(k)));
  }
}

void path(std::span<const Hash> d, std::size_t m, std::vector<Hash> &out) {
  const std::size_t n = d.size();
  if (n <= 1) return;
  const std::size_t k = split_point(n);
  if (m < k) {
    path(d.first(k), m, out);
    out.push_back(root(d.subspan(k)));
  } else {
    path(d.subspan(k), m - k, out);
    out.push_back(root(d.first(k)));
  }
}

} // namespace

Hash leaf_hash(std::string_view leaf) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const unsigned char prefix = 0x00;
  crypto_hash_sha256_update(&st, &prefix, 1);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char *>(leaf.data()), leaf.size());
  Hash out;
  crypto_hash_sha256_final(&st, out.data());
  return out;
}

Hash node_hash(const Hash &left, const Hash &right) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const unsigned char prefix = 0x01;
  crypto_hash_sha256_update(&st, &prefix, 1);
  crypto_hash_sha256_update(&st, left.data(), left.size());
  crypto_hash_sha256_update(&st, right.data(), right.size());
  Hash out;
  crypto_hash_sha256_final(&st, out.data());
  return out;
}

Hash empty_root() {
  Hash out;
  crypto_hash_sha256(out.data(), nullptr, 0);
  return out;
}

Hash root(std::span<const Hash> leaves) {
  const std::size_t n = leaves.size();
  if (n == 0) return empty_root();
  if (n == 1) return leaves[0];
  const std::size_t k = split_point(n);
  return node_hash(root(leaves.first(k)), root(leaves.subspan(k)));
}

std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::size_t index) {
  std::vector<Hash> out;
  if (index < leaves.size()) path(leaves, index, out);
  return out;
}

bool verify_inclusion(std::size_t index, std::size_t size, const Hash &leaf,
                      std::span<const Hash> proof, const Hash &root) {
  if (index >= size) return false;
  std::size_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash &p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = node_hash(p, r);
      if (!(fn & 1))
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::size_t m) {
  std::vector<Hash> out;
  if (m == 0 || m >= leaves.size()) return out;
  subproof(leaves, m, true, out);
  return out;
}

bool verify_consistency(std::size_t old_size, std::size_t new_size, const Hash &old_root,
                        const Hash &new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;
  // An old size that is a power of two is a whole subtree: its root starts the path.
  std::vector<Hash> path;
  if ((old_size & (old_size - 1)) == 0) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  std::size_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash &c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if (!(fn & 1))
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

std::string to_hex(const Hash &h) {
  static const char *digits = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : h) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::optional<Hash> from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Hash out;
  for (std::size_t i = 0; i < 32; ++i) {
    int hi = val(hex[2 * i]), lo = val(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return out;
}

} // namespace mineplan::merkle
