#pragma once
// The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2) over a list of leaves: the tree
// hash, inclusion proofs and consistency proofs, with their verification. Pure computation — no
// I/O, no store: the audit log (store/audit_head, sql_accounts) feeds it leaf hashes.
//
//   leaf hash  = SHA-256(0x00 || leaf)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH({})    = SHA-256()
//   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two smaller than n
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mineplan::merkle {

using Hash = std::array<unsigned char, 32>;

Hash leaf_hash(std::string_view leaf);
Hash node_hash(const Hash &left, const Hash &right);
// MTH of the empty tree: SHA-256 of nothing.
Hash empty_root();

// MTH(D[n]) from the leaves' hashes.
Hash root(std::span<const Hash> leaves);

// PATH(index, D[n]) (§2.1.3.1): the audit path of leaf `index` < n.
std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, std::size_t index);
// §2.1.3.2: true when `proof` proves `leaf` (its leaf hash) is leaf `index` of the tree of
// `size` leaves with `root`.
bool verify_inclusion(std::size_t index, std::size_t size, const Hash &leaf,
                      std::span<const Hash> proof, const Hash &root);

// PROOF(m, D[n]) (§2.1.4.1): that the tree of the first m leaves is a prefix of the tree of all
// n. Empty when m == 0 or m == n (nothing to prove).
std::vector<Hash> consistency_proof(std::span<const Hash> leaves, std::size_t m);
// §2.1.4.2: true when `proof` proves that the tree of `old_size` leaves with `old_root` is a
// prefix of the tree of `new_size` leaves with `new_root`. For old_size == new_size the proof must
// be empty and the roots equal; for old_size == 0 the proof must be empty (every tree extends the
// empty one).
bool verify_consistency(std::size_t old_size, std::size_t new_size, const Hash &old_root,
                        const Hash &new_root, std::span<const Hash> proof);

// Lower-case hex, and back (nullopt unless exactly 64 hex digits).
std::string to_hex(const Hash &h);
std::optional<Hash> from_hex(std::string_view hex);

} // namespace mineplan::merkle
