// What the json fast paths (writing a one-byte string, reading a plain-string line) both ask
// of a run of bytes: whether JSON escapes any of them (a control character, '"' or '\\').
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace deka {

// True when no byte of text[0, length) needs a JSON escape; *high gets the OR of all bytes
// (its top bit says whether any is 0x80 or above). Block by block, so text that needs
// escaping is given up early; the inner loop has no branch and vectorizes.
inline bool NeedsNoJsonEscape(const uint8_t* text, size_t length, uint8_t* high) {
  uint8_t all = 0;
  for (size_t block = 0; block < length; block += 4096) {
    const size_t end = length - block < 4096 ? length : block + 4096;
    uint8_t escaped = 0;
    for (size_t i = block; i < end; i++) {
      const uint8_t c = text[i];
      escaped |= (c < 0x20) | (c == '"') | (c == '\\');
      all |= c;
    }
    if (escaped) return false;
  }
  *high = all;
  return true;
}

}  // namespace deka
