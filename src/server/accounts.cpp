#include "server/accounts.hpp"

#include "core/error.hpp"
#include "io/vocabulary_loader.hpp"

#include <sodium.h>

#include <algorithm>

namespace mineplan::server {
namespace {

void ensure_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw Error("libsodium failed to initialise");
}

std::string to_hex(const unsigned char *data, std::size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

} // namespace

std::string hash_password(const std::string &password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error("password hashing ran out of memory");
  return out;
}

bool verify_password(const std::string &hash, const std::string &password) {
  ensure_sodium();
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return to_hex(bytes, sizeof bytes);
}

std::string sha256_hex(const std::string &text) {
  ensure_sodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char *>(text.data()), text.size());
  return to_hex(out, sizeof out);
}

void LoginLimiter::expire(std::deque<std::chrono::steady_clock::time_point> &q,
                          std::chrono::steady_clock::time_point now) const {
  while (!q.empty() && now - q.front() >= window_)
    q.pop_front();
}

int LoginLimiter::retry_after(const std::string &key) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto now = std::chrono::steady_clock::now();
  expire(it->second, now);
  if (static_cast<int>(it->second.size()) < max_) return 0;
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(it->second.front() + window_ - now);
  return std::max<int>(1, static_cast<int>(wait.count()));
}

void LoginLimiter::failed(const std::string &key) {
  std::lock_guard lock(mutex_);
  auto &q = failures_[key];
  auto now = std::chrono::steady_clock::now();
  expire(q, now);
  q.push_back(now);
  if (failures_.size() > 100000) { // bound memory under a spray of names
    for (auto i = failures_.begin(); i != failures_.end();) {
      expire(i->second, now);
      i = i->second.empty() ? failures_.erase(i) : std::next(i);
    }
  }
}

void LoginLimiter::succeeded(const std::string &key) {
  std::lock_guard lock(mutex_);
  failures_.erase(key);
}

} // namespace mineplan::server
