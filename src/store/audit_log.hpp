#pragma once
// The audit log as a transparency log (docs/audit.md): the Merkle tree over its rows, and the
// signed tree heads the store publishes. Free functions over any store (both kinds keep the log
// in the same tables), beside the Store interface's audit(), audit_entries() and verify_audit().
#include "store/audit_head.hpp"
#include "store/merkle.hpp"
#include "store/store.hpp"

#include <string>
#include <vector>

namespace mineplan::store {

// The chain hash of a row (its `hash` column): SHA-256 of prev_hash, at, who, role, action,
// target, before, after — each written "<byte length>:" then the bytes, before/after as compact
// JSON (empty when null).
std::string audit_chain_hash(const AuditEntry &e);

// The Merkle tree leaves of the audit log: the RFC 9162 leaf hash of each row's canonical bytes
// (every column as stored: "mineplan audit row v1\n", fid in decimal, then each text column as
// "<byte length>:<bytes>", a NULL as "-"), in row order.
std::vector<merkle::Hash> audit_leaf_hashes(Store &store);

// Publishes a signed tree head in the store (public data only — the signing key stays outside
// the store), with its audit row.
void add_audit_head(Store &store, const SignedHead &head);
// The published heads, newest first.
std::vector<SignedHead> audit_heads(Store &store, int limit);

} // namespace mineplan::store
