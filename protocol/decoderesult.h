#pragma once

#include "decodeerror.h"

#include <utility>
#include <variant>

namespace emailrag::protocol {

// A decoded value or the DecodeError that explains why there is none. C++20 has no
// std::expected; this is the small subset we need. Plain value type, any thread.
// Accessing value() on an error (or error() on a value) is a programming error (asserts).
template<typename T> class Result
{
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Result(DecodeError error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const DecodeError &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, DecodeError> m_data;
};

} // namespace emailrag::protocol
