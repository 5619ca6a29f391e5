#pragma once
// Passwords, session tokens, roles and the login rate limit. libsodium does the cryptography:
// argon2id for passwords (crypto_pwhash_str), a CSPRNG for tokens, SHA-256 for stored tokens.
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

bool is_role(const std::string &role);
bool is_staff(const std::string &role); // region_staff, league_staff, county_staff
const char *role_chinese(const std::string &role);

// Checks an account before it is stored: role known, jurisdiction a division of the right
// level for the role, holder name given for a holder, licences for a holder only, password
// long enough. InputError names the field.
void validate_account(const store::Account &account, const std::string &password,
                      const std::vector<Division> &divisions);

// Whether an account of role `creator` may make one of role `role`: staff make accounts below
// their own level only (region staff: league and county staff, reviewers, holders; league
// staff: county staff, reviewers, holders; county staff: reviewers and holders). Where is the
// caller's to check (within the creator's jurisdiction). The CLI, the bureau administrator's
// tool, makes any account.
bool may_create(const std::string &creator, const std::string &role);

// What links a holder's account to a right or mine: its licence number (许可证号) — a mine is
// linked through the licence it works under —, or, for one the register holds without a
// licence number (the seed plans' tables list rights and mines by row), its uid.
inline const std::string &licence_key(const Right &r) {
  return r.licence_no.empty() ? r.uid : r.licence_no;
}
inline const std::string &licence_key(const Mine &m) {
  return m.licence_no.empty() ? m.uid : m.licence_no;
}

// Where a licence number lies in the register: the jurisdictions of the rights and mines
// carrying it (by licence_key; current versions). InputError naming `field` when none does, or
// when the number is empty.
std::set<std::string> licence_places(const std::string &licence_no,
                                     const std::vector<Right> &rights,
                                     const std::vector<Mine> &mines, const std::string &field);

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
