// The (buffer, start, end) arguments of the decoders' methods (parseQuoted, append,
// deserializeAdvanced): a Buffer and a range inside it, checked in one place.
#pragma once

#include <nan.h>
#include <node_buffer.h>
#include <stddef.h>

#include <string>

namespace deka {

struct BufferRange {
  const char* data;  // the range's first byte
  size_t size;
};

// Reads info[0..2]. Bad arguments throw (a TypeError; a RangeError for a range outside the
// buffer) naming `method`, and return false: the caller returns at once.
inline bool GetBufferRange(const Nan::FunctionCallbackInfo<v8::Value>& info, const char* method, BufferRange* range) {
  if (!node::Buffer::HasInstance(info[0]) || !info[1]->IsUint32() || !info[2]->IsUint32()) {
    Nan::ThrowTypeError((std::string(method) + "(buffer, start, end): bad arguments").c_str());
    return false;
  }
  size_t length = node::Buffer::Length(info[0]);
  size_t start = Nan::To<uint32_t>(info[1]).FromJust();
  size_t end = Nan::To<uint32_t>(info[2]).FromJust();
  if (start > end || end > length) {
    Nan::ThrowRangeError((std::string(method) + "(buffer, start, end): out of range").c_str());
    return false;
  }
  *range = {node::Buffer::Data(info[0]) + start, end - start};
  return true;
}

}  // namespace deka
