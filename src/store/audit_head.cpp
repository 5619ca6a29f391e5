// Signed tree heads of the audit log: see audit_head.hpp and docs/audit.md.
#include "store/audit_head.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace mineplan::store {
namespace {

constexpr const char *kHeadType = "mineplan.audit.tree-head";
constexpr const char *kKeyType = "mineplan.audit.signing-key";
constexpr const char *kPublicKeyType = "mineplan.audit.public-key";
// Head and key files are a few hundred bytes; anything far larger is not one.
constexpr std::uintmax_t kMaxFileBytes = 64 * 1024;

std::string hex(const unsigned char *data, std::size_t n) {
  std::string out(2 * n, '0');
  sodium_bin2hex(out.data(), out.size() + 1, data, n);
  return out;
}

// Exactly `n` bytes written as 2n hex digits, or nullopt.
std::optional<std::vector<unsigned char>> unhex(const std::string &s, std::size_t n) {
  if (s.size() != 2 * n) return std::nullopt;
  std::vector<unsigned char> out(n);
  std::size_t len = 0;
  if (sodium_hex2bin(out.data(), n, s.data(), s.size(), nullptr, &len, nullptr) != 0 || len != n)
    return std::nullopt;
  return out;
}

void init_sodium() {
  if (sodium_init() < 0) throw Error("libsodium could not be initialised");
}

// A file descriptor closed on scope exit.
class Fd {
public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  int get() const { return fd_; }

private:
  int fd_;
};

// Creates `file` with `mode` and writes `text`; never replaces an existing file.
void create_file(const std::filesystem::path &file, const std::string &text, mode_t mode,
                 const char *what) {
  Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (fd.get() < 0) {
    if (errno == EEXIST)
      throw InputError(file.string(), 0, "",
                       std::string("已存在，不覆盖 (exists; ") + what +
                           " files are never replaced)");
    throw InputError(file.string(), 0, "",
                     std::string("无法创建 (cannot create the ") + what +
                         " file: " + std::strerror(errno) + ")");
  }
  ::fchmod(fd.get(), mode); // the umask does not widen or narrow what was asked
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(file.string() + ": 写入失败 (write failed: " + std::strerror(errno) + ")");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0)
    throw Error(file.string() + ": 写入失败 (fsync failed: " + std::strerror(errno) + ")");
}

// What a file was expected to be, in both languages of the messages.
struct Expected {
  std::string zh, en;
};
const Expected kHeadFile{"mineplan audit --sign 写出的签名树头",
                         "a signed tree head written by mineplan audit --sign"};
const Expected kKeyFile{"mineplan audit-key new 生成的签名密钥文件",
                        "a signing key file made by mineplan audit-key new"};
const Expected kPublicKeyFile{"mineplan audit-key new 生成的公钥文件",
                              "a public key file made by mineplan audit-key new"};

// "<问题>，应为<zh> (<problem>; expected <en>)"
std::string expected_message(const std::string &zh, const std::string &en, const Expected &e) {
  return zh + "，应为 " + e.zh + " (" + en + "; expected " + e.en + ")";
}

// The JSON object of a small file: InputError naming the file and what was expected.
Json read_json_file(const std::filesystem::path &file, const Expected &expected) {
  auto fail = [&](const std::string &zh, const std::string &en) {
    return InputError(file.string(), 0, "", expected_message(zh, en, expected));
  };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw fail("无法读取：文件不存在或不是普通文件", "cannot read: no such file");
  if (std::filesystem::file_size(file, ec) > kMaxFileBytes)
    throw fail("文件过大（超过 64 KiB）", "larger than 64 KiB");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw fail("无法读取", "cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  // Heads and keys are flat objects: anything nested deeper is refused before parsing.
  Json j;
  try {
    j = parse_json_text(ss.str(), file.string(), 4);
  } catch (const InputError &e) {
    throw fail(e.detail(), "not valid JSON, or nested too deep");
  }
  if (!j.is_object()) throw fail("不是 JSON 对象", "not a JSON object");
  return j;
}

std::string string_field(const Json &j, const std::string &source, const char *key,
                         const std::string &what) {
  if (!j.contains(key))
    throw InputError(source, 0, key, "缺少该字段 (missing; expected " + what + ")");
  if (!j[key].is_string())
    throw InputError(source, 0, key, "应为字符串 (expected a string: " + what + ")");
  return j[key].get<std::string>();
}

std::string hex_field(const Json &j, const std::string &source, const char *key, std::size_t n,
                      const std::string &what) {
  std::string v = string_field(j, source, key, what);
  if (!unhex(v, n))
    throw InputError(source, 0, key,
                     "应为 " + std::to_string(2 * n) + " 位十六进制数 (expected " + what + ": " +
                         std::to_string(2 * n) + " hex digits)");
  return v;
}

void expect_type(const Json &j, const std::string &source, const char *type,
                 const Expected &expected) {
  if (string_field(j, source, "type", expected.en) != type)
    throw InputError(source, 0, "type",
                     expected_message(std::string("不是 \"") + type + "\"",
                                      std::string("not \"") + type + "\"", expected));
}

} // namespace

std::string head_signing_bytes(const TreeHead &head) {
  std::string out = "mineplan audit tree head v1\n";
  auto field = [&](const std::string &s) {
    out.append(std::to_string(s.size())).append(":").append(s);
  };
  field(head.log_id);
  field(std::to_string(head.tree_size));
  field(head.root_hash);
  field(head.timestamp);
  return out;
}

SigningKey::~SigningKey() {
  sodium_memzero(secret.data(), secret.size());
}

SigningKey new_signing_key() {
  init_sodium();
  SigningKey k;
  crypto_sign_keypair(k.public_key.data(), k.secret.data());
  return k;
}

void write_key_files(const SigningKey &key, const std::filesystem::path &key_file,
                     const std::filesystem::path &public_file) {
  const std::string pub = hex(key.public_key.data(), key.public_key.size());
  Json pj{{"type", kPublicKeyType},
          {"algorithm", "ed25519"},
          {"public_key", pub},
          {"fingerprint", key_fingerprint(pub)}};
  std::error_code ec;
  if (std::filesystem::exists(public_file, ec))
    throw InputError(public_file.string(), 0, "",
                     "已存在，不覆盖 (exists; key files are never replaced)");
  std::string secret_hex = hex(key.secret.data(), key.secret.size());
  Json kj{{"type", kKeyType},
          {"algorithm", "ed25519"},
          {"secret_key", secret_hex},
          {"public_key", pub}};
  std::string text = kj.dump(2) + "\n";
  create_file(key_file, text, 0600, "key");
  sodium_memzero(secret_hex.data(), secret_hex.size());
  sodium_memzero(text.data(), text.size());
  create_file(public_file, pj.dump(2) + "\n", 0644, "public key");
}

SigningKey read_signing_key(const std::filesystem::path &key_file) {
  init_sodium();
  struct stat sb {};
  if (::stat(key_file.c_str(), &sb) == 0 && (sb.st_mode & 077))
    throw InputError(key_file.string(), 0, "",
                     "密钥文件权限过宽，他人可读（应为 600）(others may read this key file; "
                     "chmod 600 it)");
  Json j = read_json_file(key_file, kKeyFile);
  expect_type(j, key_file.string(), kKeyType, kKeyFile);
  auto secret =
      unhex(hex_field(j, key_file.string(), "secret_key", 64, "the Ed25519 secret key"), 64);
  SigningKey k;
  std::copy(secret->begin(), secret->end(), k.secret.begin());
  sodium_memzero(secret->data(), secret->size());
  crypto_sign_ed25519_sk_to_pk(k.public_key.data(), k.secret.data());
  return k;
}

std::string read_public_key(const std::filesystem::path &file) {
  Json j = read_json_file(file, kPublicKeyFile);
  if (string_field(j, file.string(), "type", kPublicKeyFile.en) != kKeyType)
    expect_type(j, file.string(), kPublicKeyType, kPublicKeyFile);
  return hex_field(j, file.string(), "public_key", 32, "the Ed25519 public key");
}

std::string key_fingerprint(const std::string &public_key_hex) {
  auto bytes = unhex(public_key_hex, 32);
  if (!bytes) return {};
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, bytes->data(), bytes->size());
  return hex(digest, sizeof digest);
}

SignedHead sign_head(const TreeHead &head, const SigningKey &key) {
  init_sodium();
  SignedHead out;
  static_cast<TreeHead &>(out) = head;
  out.public_key = hex(key.public_key.data(), key.public_key.size());
  const std::string msg = head_signing_bytes(head);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char *>(msg.data()),
                       msg.size(), key.secret.data());
  out.signature = hex(sig, sizeof sig);
  return out;
}

bool head_signature_valid(const SignedHead &head) {
  init_sodium();
  if (head.algorithm != "ed25519") return false;
  auto pub = unhex(head.public_key, crypto_sign_PUBLICKEYBYTES);
  auto sig = unhex(head.signature, crypto_sign_BYTES);
  if (!pub || !sig) return false;
  const std::string msg = head_signing_bytes(head);
  return crypto_sign_verify_detached(sig->data(),
                                     reinterpret_cast<const unsigned char *>(msg.data()),
                                     msg.size(), pub->data()) == 0;
}

Json head_json(const SignedHead &h) {
  return Json{{"type", kHeadType},          {"log_id", h.log_id},
              {"tree_size", h.tree_size},   {"root_hash", h.root_hash},
              {"timestamp", h.timestamp},   {"algorithm", h.algorithm},
              {"public_key", h.public_key}, {"key_fingerprint", key_fingerprint(h.public_key)},
              {"signature", h.signature}};
}

SignedHead head_from_json(const Json &j, const std::string &source) {
  if (!j.is_object())
    throw InputError(source, 0, "",
                     expected_message("不是 JSON 对象", "not a JSON object", kHeadFile));
  expect_type(j, source, kHeadType, kHeadFile);
  SignedHead h;
  h.log_id = hex_field(j, source, "log_id", 32, "the log id");
  if (!j.contains("tree_size"))
    throw InputError(source, 0, "tree_size", "缺少该字段 (missing; expected the number of rows)");
  if (!j["tree_size"].is_number_unsigned())
    throw InputError(source, 0, "tree_size",
                     "应为非负整数 (expected the number of rows, a whole number ≥ 0)");
  const auto size = j["tree_size"].get<std::uint64_t>();
  if (size > static_cast<std::uint64_t>(INT64_MAX))
    throw InputError(source, 0, "tree_size", "数值过大 (too large)");
  h.tree_size = static_cast<std::int64_t>(size);
  h.root_hash = hex_field(j, source, "root_hash", 32, "the Merkle tree root (SHA-256)");
  h.timestamp = string_field(j, source, "timestamp", "an ISO 8601 UTC time");
  if (h.timestamp.size() != 20 || h.timestamp.back() != 'Z' || h.timestamp[10] != 'T' ||
      !is_iso_date(h.timestamp.substr(0, 10)))
    throw InputError(source, 0, "timestamp",
                     "应为 UTC 时间 YYYY-MM-DDThh:mm:ssZ (expected an ISO 8601 UTC time)");
  h.algorithm = string_field(j, source, "algorithm", "ed25519");
  if (h.algorithm != "ed25519")
    throw InputError(source, 0, "algorithm", "应为 ed25519 (expected ed25519)");
  h.public_key = hex_field(j, source, "public_key", 32, "the Ed25519 public key");
  h.signature = hex_field(j, source, "signature", 64, "the Ed25519 signature");
  return h;
}

SignedHead read_head_file(const std::filesystem::path &file) {
  return head_from_json(read_json_file(file, kHeadFile), file.string());
}

void write_head_file(const SignedHead &head, const std::filesystem::path &file) {
  create_file(file, head_json(head).dump(2) + "\n", 0644, "head");
}

TreeHead tree_head(std::span<const merkle::Hash> leaves, const std::string &timestamp) {
  if (leaves.empty())
    throw InputError("audit_log", 0, "",
                     "审计日志为空，无可签名 (the audit log is empty: nothing to sign)");
  TreeHead h;
  h.log_id = merkle::to_hex(leaves[0]);
  h.tree_size = static_cast<std::int64_t>(leaves.size());
  h.root_hash = merkle::to_hex(merkle::root(leaves));
  h.timestamp = timestamp;
  return h;
}

ExtensionCheck check_extends(const SignedHead &head, std::span<const merkle::Hash> leaves,
                             const std::string &pinned_public_key) {
  ExtensionCheck c;
  c.head_size = head.tree_size;
  c.log_size = static_cast<std::int64_t>(leaves.size());
  const std::string n = std::to_string(c.head_size), m = std::to_string(c.log_size);
  auto fail = [&](Extension v, std::string message) {
    c.verdict = v;
    c.message = std::move(message);
    return c;
  };
  if (!pinned_public_key.empty() && pinned_public_key != head.public_key)
    return fail(Extension::other_key,
                "树头不是用指定公钥签名的：树头公钥指纹 " + key_fingerprint(head.public_key) +
                    "，指定公钥指纹 " + key_fingerprint(pinned_public_key) +
                    " (the head was signed by another key than the one given)");
  if (!head_signature_valid(head))
    return fail(Extension::bad_signature,
                "树头签名无效：树头文件被改动，或不是由其公钥签名 (the head's signature does not "
                "verify: the head was altered or not signed by its key)");
  if (c.log_size < c.head_size)
    return fail(Extension::truncated,
                "审计日志被截断：已发布的树头有 " + n + " 行，日志现只有 " + m +
                    " 行 (the audit log was truncated: the published head covers " + n +
                    " rows, the log now holds " + m + ")");
  const auto prefix = leaves.first(static_cast<std::size_t>(c.head_size));
  const merkle::Hash old_root = merkle::root(prefix);
  if (merkle::to_hex(old_root) != head.root_hash) {
    std::string first =
        !prefix.empty() && merkle::to_hex(prefix[0]) != head.log_id ? "，第一行也已不同" : "";
    return fail(Extension::rewritten,
                "审计日志被改写：前 " + n + " 行的 Merkle 根与已发布的树头不符" + first +
                    " (the audit log was rewritten: the Merkle root of its first " + n +
                    " rows is not the published head's)");
  }
  const auto proof = merkle::consistency_proof(leaves, prefix.size());
  if (!merkle::verify_consistency(prefix.size(), leaves.size(), old_root, merkle::root(leaves),
                                  proof))
    return fail(Extension::rewritten, "一致性证明未通过 (the consistency proof from " + n + " to " +
                                          m + " rows does not verify)");
  c.proof_hashes = proof.size();
  c.message = "审计日志延续了已发布的树头：" + n + " → " + m + " 行，一致性证明 " +
              std::to_string(proof.size()) +
              " 个哈希已验证 (the audit log extends the published head: " + n + " → " + m +
              " rows, consistency proof of " + std::to_string(proof.size()) + " hashes verified)";
  return c;
}

} // namespace mineplan::store
