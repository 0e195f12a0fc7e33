#include "revsearch/review.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace revsearch {

using nlohmann::json;

namespace {

using ordered_json = nlohmann::ordered_json;

template <typename T>
ordered_json or_null(const std::optional<T>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

// Integral ratings print as integers ("8", not "8.0"): what the sources write.
ordered_json number_or_null(const std::optional<double>& value) {
    if (!value) return nullptr;
    double integral = 0;
    if (std::modf(*value, &integral) == 0.0 && std::fabs(integral) < 1e15) return static_cast<std::int64_t>(integral);
    return *value;
}

const json* find_non_null(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

std::invalid_argument bad_key(const char* key, const char* expected) {
    return std::invalid_argument(std::string("key \"") + key + "\": expected " + expected);
}

std::optional<std::string> get_string(const json& object, const char* key) {
    const json* value = find_non_null(object, key);
    if (!value) return std::nullopt;
    if (!value->is_string()) throw bad_key(key, "a string or null");
    return value->get<std::string>();
}

std::optional<double> get_number(const json& object, const char* key) {
    const json* value = find_non_null(object, key);
    if (!value) return std::nullopt;
    if (!value->is_number()) throw bad_key(key, "a number or null");
    double number = value->get<double>();
    if (!std::isfinite(number)) throw bad_key(key, "a finite number");
    return number;
}

std::optional<std::int64_t> get_count(const json& object, const char* key) {
    const json* value = find_non_null(object, key);
    if (!value) return std::nullopt;
    if (value->is_number_unsigned() || value->is_number_integer()) {
        if (value->is_number_unsigned() &&
            value->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw bad_key(key, "a count that fits in 64 bits");
        std::int64_t count = value->get<std::int64_t>();
        if (count < 0) throw bad_key(key, "a count >= 0");
        return count;
    }
    throw bad_key(key, "a whole number or null");
}

}  // namespace

ordered_json to_json(const Review& review) {
    return ordered_json{
        {"id", review.id},
        {"source", review.source},
        {"item", or_null(review.item)},
        {"item_id", or_null(review.item_id)},
        {"item_year", or_null(review.item_year)},
        {"headline", or_null(review.headline)},
        {"author", or_null(review.author)},
        {"byline", or_null(review.byline)},
        {"date", or_null(review.date)},
        {"rating", number_or_null(review.rating)},
        {"rating_max", number_or_null(review.rating_max)},
        {"helpful_yes", or_null(review.helpful_yes)},
        {"helpful_total", or_null(review.helpful_total)},
        {"spoiler", review.spoiler},
        {"body", review.body},
    };
}

Review review_from_json(const json& object) {
    if (!object.is_object()) throw std::invalid_argument("expected a JSON object");
    Review review;
    auto body = get_string(object, "body");
    if (!body) throw std::invalid_argument("key \"body\" is missing");
    review.body = std::move(*body);
    review.id = get_string(object, "id").value_or("");
    review.source = get_string(object, "source").value_or("");
    review.item = get_string(object, "item");
    review.item_id = get_string(object, "item_id");
    if (auto year = get_count(object, "item_year")) {
        if (*year > 9999) throw bad_key("item_year", "a year");
        review.item_year = static_cast<int>(*year);
    }
    review.headline = get_string(object, "headline");
    review.author = get_string(object, "author");
    review.byline = get_string(object, "byline");
    review.date = get_string(object, "date");
    review.rating = get_number(object, "rating");
    review.rating_max = get_number(object, "rating_max");
    review.helpful_yes = get_count(object, "helpful_yes");
    review.helpful_total = get_count(object, "helpful_total");
    if (const json* spoiler = find_non_null(object, "spoiler")) {
        if (!spoiler->is_boolean()) throw bad_key("spoiler", "true, false or null");
        review.spoiler = spoiler->get<bool>();
    }
    return review;
}

std::string to_json_line(const Review& review) {
    return to_json(review).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::optional<double> normalised_rating(const Review& review) {
    if (!review.rating || !review.rating_max || *review.rating_max <= 0) return std::nullopt;
    double value = *review.rating / *review.rating_max;
    if (value < 0 || value > 1) return std::nullopt;
    return value;
}

}  // namespace revsearch
