#pragma once
// Passwords, session tokens, roles and the login rate limit. libsodium does the cryptography:
// argon2id for passwords (crypto_pwhash_str), a CSPRNG for tokens, SHA-256 for stored tokens.
#include "service/accounts.hpp"
#include "store/store.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace mineplan::server {

// argon2id with libsodium's interactive limits (64 MiB, 2 passes): ~0.1 s a login.
std::string hash_password(const std::string &password);
bool verify_password(const std::string &hash, const std::string &password);

std::string random_token(); // 32 random bytes, hex
std::string sha256_hex(const std::string &text);

// Roles, the checks of an account and where a licence lies are the use cases' (service).
using service::is_role;
using service::is_staff;
using service::licence_key;
using service::licence_places;
using service::may_create;
using service::role_chinese;
using service::validate_account;

// Failed logins per key (username, client address) in a sliding window. Thread-safe.
class LoginLimiter {
public:
  LoginLimiter(int max_failures, std::chrono::seconds window)
      : max_(max_failures), window_(window) {}
  // Seconds until the key may try again; 0 = now.
  int retry_after(const std::string &key);
  void failed(const std::string &key);
  void succeeded(const std::string &key);

private:
  void expire(std::deque<std::chrono::steady_clock::time_point> &q,
              std::chrono::steady_clock::time_point now) const;
  int max_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;
};

} // namespace mineplan::server
