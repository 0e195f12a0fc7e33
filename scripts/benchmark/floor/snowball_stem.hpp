#pragma once
// The same Snowball stemmer as revsearch's (libstemmer), behind Xapian's stemming interface: what both floors
// (xapian_floor.cpp, xapian_search_floor.cpp) stem with, so that they hold and search the stems our index holds
// while linking none of our code.

#include <cstddef>
#include <string>

#include <libstemmer.h>
#include <xapian.h>

class Snowball final : public Xapian::StemImplementation {
public:
    Snowball() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}
    ~Snowball() override { sb_stemmer_delete(stemmer_); }
    Snowball(const Snowball&) = delete;
    Snowball& operator=(const Snowball&) = delete;
    std::string operator()(const std::string& word) override {
        const sb_symbol* s = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                             static_cast<int>(word.size()));
        return s ? std::string(reinterpret_cast<const char*>(s), static_cast<std::size_t>(sb_stemmer_length(stemmer_)))
                 : word;
    }
    std::string get_description() const override { return "snowball(english)"; }

private:
    sb_stemmer* stemmer_;
};
