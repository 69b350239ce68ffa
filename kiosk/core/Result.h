// Result<T> and Error: how every expected failure travels across a library boundary.
// An Error carries a code for programs, a message for the log and a short plain-language text
// for the screen. Depends on nothing but the standard library.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

enum class ErrorCode {
    kInvalidInput,  ///< bytes from outside that do not follow the grammar
    kNotFound,      ///< nothing matches (unknown card, unknown id)
    kConflict,      ///< the state does not allow it (already done, changed by someone else)
    kStorage,       ///< the local database failed (disk full, corrupt, locked)
    kConfig,        ///< a configuration file or value is wrong
    kNetwork,       ///< the server could not be reached or answered badly
    kRejected,      ///< the server refused it for good
    kInternal,      ///< a bug: should not happen
};

/// An expected failure. `log` is for the operator; `screen` is for the person at the kiosk.
struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string log;
    std::string screen;
};

inline Error MakeError(ErrorCode code, std::string log, std::string screen = {}) {
    return Error{code, std::move(log), std::move(screen)};
}

/// Either a value or an Error. Never throws; asking for the wrong alternative is a bug.
template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok() && "Result::value() on an error");
        return std::get<0>(m_data);
    }
    const T& value() const& {
        assert(ok() && "Result::value() on an error");
        return std::get<0>(m_data);
    }
    T&& value() && {
        assert(ok() && "Result::value() on an error");
        return std::get<0>(std::move(m_data));
    }
    const Error& error() const {
        assert(!ok() && "Result::error() on a value");
        return std::get<1>(m_data);
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

  private:
    std::variant<T, Error> m_data;
};

/// Success with no value.
struct Ok {};
using Status = Result<Ok>;

}  // namespace kiosk
