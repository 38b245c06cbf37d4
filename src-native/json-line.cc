#include "json-line.h"

namespace deka {

bool JsonLine::Accept(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  if (value->IsObject()) {
    if (!GatherFlatObject(isolate, value.As<v8::Object>(), &fields_)) return false;
    object_ = true;
    bound_ = fields_.bound + 1;
    return true;
  }
  // Only one-byte strings qualify: no other one-byte character is escaped by JSON.stringify
  // than control characters, '"' and '\\' (which WriteJsonString looks for).
  if (!value->IsString() || !value.As<v8::String>()->IsOneByte()) return false;
  str_ = value.As<v8::String>();
  bound_ = static_cast<size_t>(str_->Length()) * 2 + 3;
  return true;
}

char* JsonLine::Write(v8::Isolate* isolate, char* out) const {
  char* end = object_ ? WriteFlatObject(isolate, fields_, out) : WriteJsonString(isolate, str_, out);
  if (end != nullptr) *end++ = '\n';
  return end;
}

}  // namespace deka
