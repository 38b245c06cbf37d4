#include "json-object.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json-text.h"

namespace deka {

char* WriteJsonString(v8::Isolate* isolate, v8::Local<v8::String> str, char* out) {
  if (!str->IsOneByte()) return nullptr;
  const size_t length = static_cast<size_t>(str->Length());
  uint8_t* text = reinterpret_cast<uint8_t*>(out + 1);
#if V8_MAJOR_VERSION >= 13
  str->WriteOneByteV2(isolate, 0, static_cast<uint32_t>(length), text);
#else
  str->WriteOneByte(isolate, text, 0, static_cast<int>(length), v8::String::NO_NULL_TERMINATION);
#endif
  uint8_t high = 0;
  if (!NeedsNoJsonEscape(text, length, &high)) return nullptr;
  size_t utf8Length = length;
  if (high & 0x80) {
    // Latin-1 above 0x7f becomes two UTF-8 bytes: widen in place, from the end.
    for (size_t i = 0; i < length; i++) utf8Length += text[i] >> 7;
    size_t to = utf8Length;
    for (size_t i = length; i-- > 0;) {
      const uint8_t c = text[i];
      if (c < 0x80) {
        text[--to] = c;
      } else {
        text[--to] = static_cast<uint8_t>(0x80 | (c & 0x3f));
        text[--to] = static_cast<uint8_t>(0xc0 | (c >> 6));
      }
    }
  }
  out[0] = '"';
  out[1 + utf8Length] = '"';
  return out + 2 + utf8Length;
}

namespace {

// V8 13.6 (Node 24) added GetPrototypeV2 and deprecated GetPrototype; V8 14 (Node 26) removed it.
v8::Local<v8::Value> PrototypeOf(v8::Local<v8::Object> obj) {
#if V8_MAJOR_VERSION > 13 || (V8_MAJOR_VERSION == 13 && V8_MINOR_VERSION >= 6)
  return obj->GetPrototypeV2();
#else
  return obj->GetPrototype();
#endif
}

// The longest text of a finite double: "-1.7976931348623157e+308", and "null".
constexpr size_t kNumberBound = 25;

// %Object.prototype% of the current context (a literal's prototype: the program cannot
// replace it), and the interned "toJSON".
v8::Local<v8::Value> ObjectPrototype(v8::Isolate* isolate) { return PrototypeOf(v8::Object::New(isolate)); }

bool IsArrayIndexLike(v8::Local<v8::String> key) {
  // Integer-like keys are elements in V8: their order and lookups differ from named ones.
  // Rare in messages; JS takes them.
  if (key->Length() == 0) return false;
  uint16_t first;
#if V8_MAJOR_VERSION >= 13
  key->WriteV2(v8::Isolate::GetCurrent(), 0, 1, &first);
#else
  key->Write(v8::Isolate::GetCurrent(), &first, 0, 1, v8::String::NO_NULL_TERMINATION);
#endif
  return first >= '0' && first <= '9';
}

}  // namespace

// Qualifies: an ordinary object whose prototype is this context's Object.prototype or null
// (no class instance, no boxed primitive, array, typed array, proxy, function, API object or
// namespace), that neither it nor Object.prototype has a toJSON of, whose enumerable own
// string keys are all data properties, not integer-like, with values that are strings,
// numbers, booleans, null, or undefined / symbols (which JSON.stringify leaves out).
bool GatherFlatObject(v8::Isolate* isolate, v8::Local<v8::Object> obj, FlatFields* fields) {
  if (obj->IsProxy() || obj->IsCallable() || obj->IsArray() || obj->IsArrayBufferView() || obj->IsArrayBuffer() ||
      obj->IsNumberObject() || obj->IsStringObject() || obj->IsBooleanObject() || obj->IsBigIntObject() ||
      obj->IsSymbolObject() || obj->IsModuleNamespaceObject() || obj->InternalFieldCount() != 0) {
    return false;
  }
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> proto = PrototypeOf(obj);
  const bool nullProto = proto->IsNull();
  v8::Local<v8::Value> objectProto = ObjectPrototype(isolate);
  if (!nullProto && !proto->StrictEquals(objectProto)) return false;
  v8::Local<v8::String> toJSON = Nan::New("toJSON").ToLocalChecked();
  if (obj->HasRealNamedProperty(context, toJSON).FromMaybe(true)) return false;
  if (!nullProto && objectProto.As<v8::Object>()->HasRealNamedProperty(context, toJSON).FromMaybe(true)) return false;

  v8::Local<v8::Array> keys;
  const auto filter = static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS);
  if (!obj->GetOwnPropertyNames(context, filter, v8::KeyConversionMode::kConvertToString).ToLocal(&keys)) return false;
  const uint32_t count = keys->Length();
  fields->keys.reserve(count);
  // Every key is checked before any value is read: a getter anywhere sends the object to
  // JSON.stringify, which must be the only one to call it.
  for (uint32_t i = 0; i < count; i++) {
    v8::Local<v8::Value> key;
    if (!keys->Get(context, i).ToLocal(&key) || !key->IsString()) return false;
    v8::Local<v8::String> name = key.As<v8::String>();
    if (IsArrayIndexLike(name) || obj->HasRealNamedCallbackProperty(context, name).FromMaybe(true)) return false;
    fields->keys.push_back(name);
  }
  fields->values.reserve(count);
  size_t bound = 2;
  for (uint32_t i = 0; i < count; i++) {
    v8::Local<v8::Value> value;
    if (!obj->GetRealNamedProperty(context, fields->keys[i]).ToLocal(&value)) return false;
    size_t size;
    if (value->IsString()) {
      size = 2 * static_cast<size_t>(value.As<v8::String>()->Length()) + 2;
    } else if (value->IsNumber()) {
      size = kNumberBound;
    } else if (value->IsBoolean() || value->IsNull()) {
      size = 5;
    } else if (value->IsUndefined() || value->IsSymbol()) {
      size = 0;  // left out
    } else {
      return false;
    }
    fields->values.push_back(value);
    if (size > 0) bound += 2 * static_cast<size_t>(fields->keys[i]->Length()) + 4 + size;  // "key": and ','
  }
  fields->bound = bound;
  return true;
}

// A number as JSON.stringify writes it: an int32 in decimal, NaN and ±Infinity as null, any
// other double as Number's toString (which -0 is "0" for, as in JSON).
static char* WriteNumber(v8::Isolate* isolate, v8::Local<v8::Value> value, char* out) {
  if (value->IsInt32()) return out + snprintf(out, kNumberBound, "%d", value.As<v8::Int32>()->Value());
  const double d = value.As<v8::Number>()->Value();
  if (!isfinite(d)) {
    memcpy(out, "null", 4);
    return out + 4;
  }
  v8::Local<v8::String> text;
  if (!value->ToString(isolate->GetCurrentContext()).ToLocal(&text) || static_cast<size_t>(text->Length()) >= kNumberBound) return nullptr;
  const int length = text->Length();
#if V8_MAJOR_VERSION >= 13
  text->WriteOneByteV2(isolate, 0, static_cast<uint32_t>(length), reinterpret_cast<uint8_t*>(out));
#else
  text->WriteOneByte(isolate, reinterpret_cast<uint8_t*>(out), 0, length, v8::String::NO_NULL_TERMINATION);
#endif
  return out + length;
}

char* WriteFlatObject(v8::Isolate* isolate, const FlatFields& fields, char* out) {
  *out++ = '{';
  bool first = true;
  for (size_t i = 0; i < fields.keys.size(); i++) {
    v8::Local<v8::Value> value = fields.values[i];
    if (value->IsUndefined() || value->IsSymbol()) continue;
    if (!first) *out++ = ',';
    first = false;
    out = WriteJsonString(isolate, fields.keys[i], out);
    if (out == nullptr) return nullptr;
    *out++ = ':';
    if (value->IsString()) {
      out = WriteJsonString(isolate, value.As<v8::String>(), out);
    } else if (value->IsNumber()) {
      out = WriteNumber(isolate, value, out);
    } else if (value->IsTrue()) {
      memcpy(out, "true", 4);
      out += 4;
    } else if (value->IsFalse()) {
      memcpy(out, "false", 5);
      out += 5;
    } else {
      memcpy(out, "null", 4);
      out += 4;
    }
    if (out == nullptr) return nullptr;
  }
  *out++ = '}';
  return out;
}

namespace {

// A plain json string at data[*at] ('"', no escape and no control character, '"'): its text
// is data[start, end) and *at moves past it. *ascii: no byte is 0x80 or above.
bool ScanString(const char* data, size_t size, size_t* at, size_t* start, size_t* end, bool* ascii) {
  if (*at >= size || data[*at] != '"') return false;
  const char* close = static_cast<const char*>(memchr(data + *at + 1, '"', size - *at - 1));
  if (close == nullptr) return false;
  *start = *at + 1;
  *end = static_cast<size_t>(close - data);
  uint8_t high = 0;
  if (!NeedsNoJsonEscape(reinterpret_cast<const uint8_t*>(data + *start), *end - *start, &high)) return false;
  *ascii = (high & 0x80) == 0;
  *at = *end + 1;
  return true;
}

v8::MaybeLocal<v8::String> MakeString(v8::Isolate* isolate, const char* text, size_t length, bool ascii, v8::NewStringType type) {
  if (length > static_cast<size_t>(v8::String::kMaxLength)) return v8::MaybeLocal<v8::String>();
  if (ascii) return v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(text), type, static_cast<int>(length));
  // Invalid UTF-8 becomes U+FFFD, as Buffer's toString (which the JSON.parse path decodes with) does.
  return v8::String::NewFromUtf8(isolate, text, type, static_cast<int>(length));
}

bool Literal(const char* data, size_t size, size_t* at, const char* word, size_t length) {
  if (size - *at < length || memcmp(data + *at, word, length) != 0) return false;
  *at += length;
  return true;
}

}  // namespace

v8::MaybeLocal<v8::Object> ParseFlatObject(v8::Isolate* isolate, const char* data, size_t size) {
  if (size < 2 || data[0] != '{' || data[size - 1] != '}') return {};
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> obj = v8::Object::New(isolate);
  size_t at = 1;
  if (size == 2) return scope.Escape(obj);
  for (;;) {
    size_t start, end;
    bool ascii;
    if (!ScanString(data, size, &at, &start, &end, &ascii)) return {};
    v8::Local<v8::String> key;
    // Keys recur message after message: internalized, they are found rather than made.
    if (!MakeString(isolate, data + start, end - start, ascii, v8::NewStringType::kInternalized).ToLocal(&key)) return {};
    if (at >= size || data[at++] != ':') return {};
    v8::Local<v8::Value> value;
    const char c = at < size ? data[at] : '\0';
    if (c == '"') {
      v8::Local<v8::String> text;
      if (!ScanString(data, size, &at, &start, &end, &ascii) ||
          !MakeString(isolate, data + start, end - start, ascii, v8::NewStringType::kNormal).ToLocal(&text)) {
        return {};
      }
      value = text;
    } else if (c == 't' && Literal(data, size, &at, "true", 4)) {
      value = v8::True(isolate);
    } else if (c == 'f' && Literal(data, size, &at, "false", 5)) {
      value = v8::False(isolate);
    } else if (c == 'n' && Literal(data, size, &at, "null", 4)) {
      value = v8::Null(isolate);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      // Integers of up to 15 digits are exact doubles; fractions and exponents go to JSON.parse.
      const bool negative = c == '-';
      if (negative) at++;
      const size_t digits = at;
      double n = 0;
      while (at < size && data[at] >= '0' && data[at] <= '9' && at - digits < 16) n = n * 10 + (data[at++] - '0');
      const size_t count = at - digits;
      if (count == 0 || count > 15 || (count > 1 && data[digits] == '0')) return {};
      value = v8::Number::New(isolate, negative ? -n : n);
    } else {
      return {};
    }
    // As JSON.parse: an own data property (also for "__proto__"), the last of a repeated key wins.
    if (!obj->CreateDataProperty(context, key, value).FromMaybe(false)) return {};
    if (at >= size) return {};
    if (data[at] == '}') return at + 1 == size ? scope.Escape(obj) : v8::MaybeLocal<v8::Object>();
    if (data[at++] != ',') return {};
  }
}

}  // namespace deka
