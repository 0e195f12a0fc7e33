// libFuzzer target: the jsonl reader over arbitrary bytes (reader_fuzz.hpp says what is checked).
#include "reader_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    revsearch_fuzz::read_all(revsearch::Format::jsonl, data, size);
    return 0;
}
