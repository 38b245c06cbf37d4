// writeQuoted()'s encoder: JSON.stringify(value) + '\n' written natively, for the values
// whose text is certain byte for byte (json-object.h): a one-byte string that needs no
// escape, and a flat object of such strings, numbers, booleans and null.
#pragma once

#include <nan.h>

#include <stddef.h>

#include "json-object.h"

namespace deka {

class JsonLine {
 public:
  // Whether `value` is one this encoder may write; false has had no effect a program could
  // see (no getter read, nothing called), and JS stringifies it instead.
  bool Accept(v8::Isolate* isolate, v8::Local<v8::Value> value);
  // Room Write needs (an upper bound, newline included); after an accepted value.
  size_t bound() const { return bound_; }
  // The line at `out`; nullptr when a character turned out to need an escape (then nothing
  // at `out` counts and JS stringifies).
  char* Write(v8::Isolate* isolate, char* out) const;

 private:
  // The object's fields are gathered (and the object judged) first, so that the text can be
  // written where it goes without a second pass, as a string's is.
  FlatFields fields_;
  v8::Local<v8::String> str_;
  bool object_ = false;
  size_t bound_ = 0;
};

}  // namespace deka
