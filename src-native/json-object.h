// json mode's native fast paths for the messages most applications send: a string, and a
// flat object whose fields are strings, numbers, booleans or null ({ payload: '...' }, a
// task id and a method name). Written exactly as JSON.stringify writes them and read exactly
// as JSON.parse reads them; any value, key or text where that is in doubt is left to JS
// (the encoders return nullptr, the parser an empty handle) before anything is observable.
#pragma once

#include <nan.h>

#include <stddef.h>
#include <vector>

namespace deka {

// '"' + str as UTF-8 + '"' at `out` (room for 2 × length + 2 bytes), for a one-byte string
// no character of which JSON.stringify escapes; nullptr for any other string.
char* WriteJsonString(v8::Isolate* isolate, v8::Local<v8::String> str, char* out);

// The fields of a flat object, gathered before any byte is written so the caller can
// reserve room: keys and values in JSON.stringify's order, and an upper bound of the text.
struct FlatFields {
  std::vector<v8::Local<v8::String>> keys;
  std::vector<v8::Local<v8::Value>> values;
  size_t bound = 2;
};

// Whether JSON.stringify(obj) is a flat object's text we can write (see json-object.cc for
// what qualifies); fills `fields`. Reads no getter, calls nothing: a false answer has had no
// effect the program could see.
bool GatherFlatObject(v8::Isolate* isolate, v8::Local<v8::Object> obj, FlatFields* fields);

// JSON.stringify's text of the gathered object at `out` (room for fields.bound bytes);
// nullptr when a key or string needs an escape or is two-byte (JS stringifies then).
char* WriteFlatObject(v8::Isolate* isolate, const FlatFields& fields, char* out);

// JSON.parse's value of the text data[0, size) when it is a flat object of plain strings
// (no escape), integers of up to 15 digits, true, false and null with no whitespace — as
// JSON.stringify writes such an object; an empty handle for any other text.
v8::MaybeLocal<v8::Object> ParseFlatObject(v8::Isolate* isolate, const char* data, size_t size);

}  // namespace deka
