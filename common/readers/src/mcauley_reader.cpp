// McAuley lab's Amazon review JSON lines, 2018 edition (Ni, Li & McAuley, EMNLP 2019), e.g. All_Beauty_5.json:
// {"overall": 5.0, "vote": "1,341", "reviewerID": ..., "asin": ..., "reviewerName": ..., "reviewText": ...,
//  "summary": ..., "unixReviewTime": 1472688000, ...}

#include "reader_json.hpp"
#include "readers.hpp"
#include "revsearch/review_id.hpp"

namespace revsearch::detail {

using nlohmann::json;

namespace {

class McAuleyReader final : public JsonLinesReader {
public:
    using JsonLinesReader::JsonLinesReader;

protected:
    bool convert(const json& object, Review& out, RecordProblems& problems) override {
        auto text = json_text(object, "reviewText", problems);
        auto body = text ? clean_field(*text, "reviewText", problems) : std::nullopt;
        auto summary = json_text(object, "summary", problems);
        if (summary) out.headline = clean_field(*summary, "summary", problems);
        if (!body && !out.headline) {
            problems.reject("neither reviewText nor summary: no text to search");
            return false;
        }
        if (!body) {
            // A star rating with only a headline ("Five Stars") is still a review the reviewer wrote: keep it, so
            // that per-product counts stay true, and say so.
            problems.warn("no reviewText: kept with its summary as the only text");
        }
        out.body = body.value_or("");
        if (auto name = json_text(object, "reviewerName", problems)) out.author = clean_field(*name, "reviewerName", problems);
        auto asin = json_text(object, "asin", problems);
        auto reviewer = json_text(object, "reviewerID", problems);
        if (asin && !trim(*asin).empty()) out.item_id = std::string(trim(*asin));

        if (auto overall = json_text(object, "overall", problems)) {
            out.rating = parse_number(*overall, "overall", problems);
            if (out.rating) out.rating_max = 5;
        }
        // The 2018 dumps leave "vote" out when nobody voted, so absent means 0 helpful votes. They never give the
        // number of voters, so helpful_total stays null (docs/formats.md).
        if (auto vote = json_text(object, "vote", problems)) {
            out.helpful_yes = parse_count(*vote, "vote", problems);
        } else if (!object.contains("vote")) {
            out.helpful_yes = 0;
        }
        if (auto it = object.find("unixReviewTime"); it != object.end() && !it->is_null()) {
            if (it->is_number_integer() || it->is_number_unsigned()) {
                out.date = it->is_number_unsigned() && it->get<std::uint64_t>() > 253'402'300'799u
                               ? std::nullopt
                               : iso_date_from_unix(it->get<std::int64_t>());
                if (!out.date) problems.warn("unixReviewTime: impossible time " + it->dump() + ", dropped");
            } else {
                problems.warn("unixReviewTime: expected whole seconds, found " + it->dump() + ", dropped");
            }
        }
        // reviewTime ("09 1, 2016") says the same day in words: the date when unixReviewTime gives none.
        if (!out.date) {
            if (auto written = json_text(object, "reviewTime", problems))
                out.date = parse_date(*written, "reviewTime", problems);
        }

        if (out.item_id && reviewer && !reviewer->empty()) {
            // One review per reviewer and product: re-listing it (the dumps repeat reviews) maps onto the same id.
            out.id = review_id("amazon", {*asin, *reviewer});
        } else {
            problems.warn("no asin or reviewerID: id derived from the review's content");
            out.id = review_id("amazon-unkeyed",
                               {out.item_id.value_or(""), out.author.value_or(""), out.date.value_or(""), out.body});
        }
        return true;
    }
};

}  // namespace

std::unique_ptr<ReviewReader> make_mcauley_reader(std::istream& in, std::string name, ProblemSink sink,
                                                  const ReaderOptions& options) {
    return std::make_unique<McAuleyReader>(in, std::move(name), std::move(sink), options);
}

}  // namespace revsearch::detail
