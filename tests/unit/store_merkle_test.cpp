// The RFC 9162 Merkle tree of the audit log (store/merkle): tree hashes of 0..8 leaves against
// the RFC 6962 / RFC 9162 reference vectors (the leaves of the Certificate Transparency test
// suite, recomputed by hand with Python's hashlib), inclusion and consistency proofs between every
// pair of sizes verified, and every kind of tampered proof refused.
#include "store/merkle.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace mineplan::merkle;

namespace {

// The eight leaves of the CT reference tests.
std::vector<Hash> reference_leaves(std::size_t n) {
  static const std::vector<std::string> raw{
      std::string(),
      std::string(1, '\x00'),
      std::string("\x10"),
      std::string("\x20\x21"),
      std::string("\x30\x31"),
      std::string("\x40\x41\x42\x43"),
      std::string("\x50\x51\x52\x53\x54\x55\x56\x57"),
      std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f")};
  std::vector<Hash> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(leaf_hash(raw[i]));
  return out;
}

Hash h(const char *hex) {
  auto v = from_hex(hex);
  EXPECT_TRUE(v) << hex;
  return v.value_or(Hash{});
}

std::vector<Hash> leaves_of(std::size_t n) {
  std::vector<Hash> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(leaf_hash("row " + std::to_string(i)));
  return out;
}

} // namespace

TEST(StoreMerkle, TreeHashesOfZeroToEightLeavesMatchTheReference) {
  const char *expected[] = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  for (std::size_t n = 0; n <= 8; ++n)
    EXPECT_EQ(to_hex(root(reference_leaves(n))), expected[n]) << n << " leaves";
}

TEST(StoreMerkle, TwoLeavesAreOneNodeOverTheirLeafHashes) {
  auto l = reference_leaves(2);
  EXPECT_EQ(root(l), node_hash(l[0], l[1]));
  EXPECT_EQ(root(reference_leaves(1)), leaf_hash(""));
}

TEST(StoreMerkle, ConsistencyProofsMatchTheReference) {
  auto all = reference_leaves(8);
  auto proof = [&](std::size_t m, std::size_t n) {
    std::vector<std::string> out;
    for (const auto &x : consistency_proof(std::span(all).first(n), m))
      out.push_back(to_hex(x));
    return out;
  };
  EXPECT_EQ(proof(1, 8), (std::vector<std::string>{
                             "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_EQ(proof(6, 8), (std::vector<std::string>{
                             "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_EQ(proof(2, 5), (std::vector<std::string>{
                             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
  EXPECT_EQ(proof(4, 8), (std::vector<std::string>{
                             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
}

TEST(StoreMerkle, InclusionProofsMatchTheReference) {
  auto all = reference_leaves(8);
  auto p = inclusion_proof(all, 5);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
  EXPECT_EQ(p[1], h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"));
  EXPECT_EQ(p[2], h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
}

TEST(StoreMerkle, EveryConsistencyProofBetweenSizesUpToSixteenVerifies) {
  auto all = leaves_of(16);
  for (std::size_t n = 1; n <= all.size(); ++n) {
    auto tree = std::span(all).first(n);
    for (std::size_t m = 0; m <= n; ++m) {
      auto proof = consistency_proof(tree, m);
      EXPECT_TRUE(verify_consistency(m, n, root(tree.first(m)), root(tree), proof))
          << m << " → " << n;
    }
  }
}

TEST(StoreMerkle, EveryInclusionProofUpToSixteenLeavesVerifies) {
  auto all = leaves_of(16);
  for (std::size_t n = 1; n <= all.size(); ++n) {
    auto tree = std::span(all).first(n);
    for (std::size_t i = 0; i < n; ++i)
      EXPECT_TRUE(verify_inclusion(i, n, tree[i], inclusion_proof(tree, i), root(tree)))
          << i << " in " << n;
  }
}

TEST(StoreMerkle, TamperedConsistencyProofsAreRefused) {
  auto all = leaves_of(8);
  for (std::size_t n = 2; n <= all.size(); ++n) {
    auto tree = std::span(all).first(n);
    const Hash new_root = root(tree);
    for (std::size_t m = 1; m < n; ++m) {
      const Hash old_root = root(tree.first(m));
      const auto proof = consistency_proof(tree, m);
      ASSERT_FALSE(proof.empty());
      for (std::size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i][0] ^= 1;
        EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, bad)) << m << "→" << n;
      }
      auto shorter = proof;
      shorter.pop_back();
      EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, shorter)) << m << "→" << n;
      auto longer = proof;
      longer.push_back(new_root);
      EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, longer)) << m << "→" << n;
      Hash other_old = old_root;
      other_old[31] ^= 0x80;
      EXPECT_FALSE(verify_consistency(m, n, other_old, new_root, proof)) << m << "→" << n;
      Hash other_new = new_root;
      other_new[0] ^= 0x80;
      EXPECT_FALSE(verify_consistency(m, n, old_root, other_new, proof)) << m << "→" << n;
    }
  }
}

TEST(StoreMerkle, AnOldTreeWhoseLeafWasRewrittenHasNoConsistencyProof) {
  auto all = leaves_of(7);
  auto rewritten = all;
  rewritten[2] = leaf_hash("rewritten");
  // The log now holds `rewritten`; the head was signed over the first 4 leaves of `all`.
  const Hash published = root(std::span(all).first(4));
  auto proof = consistency_proof(rewritten, 4);
  EXPECT_FALSE(verify_consistency(4, 7, published, root(rewritten), proof));
}

TEST(StoreMerkle, EdgeSizesAreDecidedWithoutAProof) {
  auto all = leaves_of(3);
  EXPECT_TRUE(verify_consistency(3, 3, root(all), root(all), {}));
  EXPECT_FALSE(verify_consistency(3, 3, root(all), leaf_hash("x"), {}));
  EXPECT_TRUE(verify_consistency(0, 3, empty_root(), root(all), {}));
  EXPECT_FALSE(verify_consistency(3, 2, root(all), root(all), {}));
  EXPECT_FALSE(verify_consistency(1, 3, all[0], root(all), {}));
}

TEST(StoreMerkle, TamperedInclusionProofsAreRefused) {
  auto all = leaves_of(7);
  const Hash r = root(all);
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto proof = inclusion_proof(all, i);
    for (std::size_t j = 0; j < proof.size(); ++j) {
      auto bad = proof;
      bad[j][5] ^= 4;
      EXPECT_FALSE(verify_inclusion(i, all.size(), all[i], bad, r));
    }
    EXPECT_FALSE(verify_inclusion(i, all.size(), leaf_hash("other"), proof, r));
    EXPECT_FALSE(verify_inclusion((i + 1) % all.size(), all.size(), all[i], proof, r));
  }
  EXPECT_FALSE(verify_inclusion(7, 7, all[0], inclusion_proof(all, 0), r));
}

TEST(StoreMerkle, HexRoundTripsAndRefusesWhatIsNotAHash) {
  const Hash x = leaf_hash("abc");
  EXPECT_EQ(from_hex(to_hex(x)), x);
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex(std::string(64, 'g')));
  EXPECT_FALSE(from_hex(to_hex(x) + "00"));
}
