#pragma once
// The kind of revsearch::Error a call throws, for CHECKs on the one error type (error.hpp).

#include <optional>

#include "revsearch/error.hpp"

template <class Call>
std::optional<revsearch::ErrorKind> error_kind_of(Call&& call) {
    try {
        call();
    } catch (const revsearch::Error& e) {
        return e.kind();
    }
    return std::nullopt;
}
