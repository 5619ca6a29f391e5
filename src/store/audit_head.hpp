#pragma once
// Signed tree heads of the audit log (docs/audit.md), after RFC 9162's signed tree heads: a
// head states that the log `log_id` held `tree_size` rows whose Merkle tree (store/merkle) has
// `root_hash`, at `timestamp`, signed with an Ed25519 key (libsodium) that lives outside the
// store. A bureau archives the head files; the portal publishes them; `mineplan audit DB
// --against HEAD` proves the log still extends one.
#include "core/model.hpp"
#include "store/merkle.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace mineplan::store {

struct TreeHead {
  std::string log_id; // hex leaf hash of the log's first row: which log this is
  std::int64_t tree_size = 0;
  std::string root_hash; // hex MTH of the first tree_size rows
  std::string timestamp; // ISO 8601 UTC, when it was signed
};

struct SignedHead : TreeHead {
  std::string algorithm = "ed25519";
  std::string public_key; // hex, 32 bytes
  std::string signature;  // hex, 64 bytes, over head_signing_bytes()
};

// The bytes signed: "mineplan audit tree head v1\n" then log_id, tree_size (decimal), root_hash
// and timestamp, each written "<byte length>:<bytes>" so that no two heads sign the same bytes.
std::string head_signing_bytes(const TreeHead &head);

struct SigningKey {
  std::array<unsigned char, 64> secret{}; // libsodium's Ed25519 secret key (seed + public key)
  std::array<unsigned char, 32> public_key{};
  ~SigningKey(); // wipes the secret
};

SigningKey new_signing_key();
// Writes the secret key to `key_file` (created, never overwritten, mode 600) and the public key
// to `public_file` (mode 644). InputError when either exists.
void write_key_files(const SigningKey &key, const std::filesystem::path &key_file,
                     const std::filesystem::path &public_file);
// Reads a key file written by write_key_files; InputError naming the file when it is not one,
// or when others may read it (its mode allows group or other access).
SigningKey read_signing_key(const std::filesystem::path &key_file);
// The hex public key of a public key file (or of a key file); InputError naming the file.
std::string read_public_key(const std::filesystem::path &file);

// The fingerprint people compare: hex SHA-256 of the 32 public key bytes.
std::string key_fingerprint(const std::string &public_key_hex);

SignedHead sign_head(const TreeHead &head, const SigningKey &key);
// True when `head.signature` is the Ed25519 signature of its bytes by `head.public_key`.
bool head_signature_valid(const SignedHead &head);

// The head file's JSON (also the API's form): the head, its key, fingerprint and signature.
Json head_json(const SignedHead &head);
// Reads a head from its JSON; InputError naming `source` and the field when a field is missing or
// of the wrong form.
SignedHead head_from_json(const Json &j, const std::string &source);
// Reads a head file; InputError naming the file when it is unreadable, not JSON or not a head.
SignedHead read_head_file(const std::filesystem::path &file);
// Writes a head file (created, never overwritten); InputError when it exists.
void write_head_file(const SignedHead &head, const std::filesystem::path &file);

// The head of the log whose rows have the leaf hashes `leaves`, unsigned: log id (the first
// leaf), size, root, `timestamp`. InputError when the log is empty (nothing to sign).
TreeHead tree_head(std::span<const merkle::Hash> leaves, const std::string &timestamp);

enum class Extension {
  extends,       // the log holds the head's rows unchanged, perhaps with more after them
  other_key,     // the head was signed by another key than the one pinned
  bad_signature, // the head's signature does not verify (the head file was altered)
  truncated,     // the log holds fewer rows than the head
  rewritten,     // the first tree_size rows are not the rows the head signed
};

struct ExtensionCheck {
  Extension verdict = Extension::extends;
  std::int64_t head_size = 0;
  std::int64_t log_size = 0;
  std::size_t proof_hashes = 0; // the consistency proof's length, when it extends
  std::string message;          // Chinese first, then English
};

// Does the log with `leaves` extend `head`? The signature is checked (and, when
// `pinned_public_key` is not empty, the key), then the tree of the log's first tree_size rows is
// recomputed against the head's root, and a consistency proof from the head's size to the log's
// (RFC 9162 §2.1.4) generated and verified.
ExtensionCheck check_extends(const SignedHead &head, std::span<const merkle::Hash> leaves,
                             const std::string &pinned_public_key = {});

} // namespace mineplan::store
