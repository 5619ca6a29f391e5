#pragma once
// Exceptions that carry their context: where (file, line, field) and what was expected.
#include <stdexcept>
#include <string>

namespace mineplan {

// What kind of refusal an error is: decided where the domain decides, translated once — to an
// HTTP status in the server, to an exit code in the CLI — and never recovered from the text.
// internal: a failure of ours or of the machine (500 / exit 1), the default of a plain Error.
enum class ErrorKind { internal, invalid_input, not_found, forbidden, conflict, unavailable };

class Error : public std::runtime_error {
public:
  explicit Error(const std::string &message) : std::runtime_error(message) {}
  Error(ErrorKind kind, const std::string &message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

private:
  ErrorKind kind_ = ErrorKind::internal;
};

// A refusal the domain decides, with the message a user reads (Chinese) and, where one field
// is at fault, its name.
class Refusal : public Error {
public:
  Refusal(ErrorKind kind, std::string message, std::string field = "")
      : Error(kind, message), field_(std::move(field)) {}
  const std::string &field() const { return field_; }

private:
  std::string field_;
};

// The thing asked for does not exist (or is not visible to the caller).
struct NotFound : Refusal {
  explicit NotFound(std::string message, std::string field = "")
      : Refusal(ErrorKind::not_found, std::move(message), std::move(field)) {}
};
// The caller may not do this: role, jurisdiction or the account's links.
struct Forbidden : Refusal {
  explicit Forbidden(std::string message, std::string field = "")
      : Refusal(ErrorKind::forbidden, std::move(message), std::move(field)) {}
};
// The request is well-formed but the state forbids it now: a lifecycle step out of order, a
// draw already made, a duplicate.
struct Conflict : Refusal {
  explicit Conflict(std::string message, std::string field = "")
      : Refusal(ErrorKind::conflict, std::move(message), std::move(field)) {}
};
// Something needed is not there to serve the request: a read-only store, a store in use.
struct Unavailable : Refusal {
  explicit Unavailable(std::string message, std::string field = "")
      : Refusal(ErrorKind::unavailable, std::move(message), std::move(field)) {}
};

// A problem in an input: names the source, the 1-based line (0 when not line-based),
// the field and what was expected there.
class InputError : public Error {
public:
  InputError(std::string source, int line, std::string field, std::string message)
      : Error(ErrorKind::invalid_input, format(source, line, field, message)), source_(std::move(source)), line_(line),
        field_(std::move(field)), detail_(std::move(message)) {}

  const std::string &source() const { return source_; }
  int line() const { return line_; }
  const std::string &field() const { return field_; }
  const std::string &detail() const { return detail_; }

private:
  static std::string format(const std::string &source, int line, const std::string &field,
                            const std::string &message) {
    std::string out = source;
    // append() rather than "literal" + string: g++ 12 warns falsely (-Wrestrict) on the latter.
    if (line > 0) out.append(":").append(std::to_string(line));
    if (!field.empty()) out.append(": ").append(field);
    out.append(": ").append(message);
    return out;
  }
  std::string source_;
  int line_;
  std::string field_;
  std::string detail_;
};

} // namespace mineplan
