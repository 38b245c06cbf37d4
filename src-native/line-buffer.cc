#include "line-buffer.h"

#include <node_buffer.h>
#include <string.h>

namespace deka {

NAN_MODULE_INIT(LineBuffer::Init) {
  v8::Local<v8::FunctionTemplate> tpl = Nan::New<v8::FunctionTemplate>(New);
  tpl->SetClassName(Nan::New("LineBuffer").ToLocalChecked());
  tpl->InstanceTemplate()->SetInternalFieldCount(1);
  Nan::SetPrototypeMethod(tpl, "append", Append);
  Nan::SetPrototypeMethod(tpl, "take", Take);
  Nan::SetPrototypeMethod(tpl, "clear", Clear);
  Nan::SetAccessor(tpl->InstanceTemplate(), Nan::New("size").ToLocalChecked(), GetSize);
  Nan::Set(target, Nan::New("LineBuffer").ToLocalChecked(), Nan::GetFunction(tpl).ToLocalChecked());
}

NAN_METHOD(LineBuffer::New) {
  if (!info.IsConstructCall()) return Nan::ThrowTypeError("LineBuffer must be called with new");
  (new LineBuffer())->Wrap(info.This());
  info.GetReturnValue().Set(info.This());
}

// append(buffer, start, end): copies buffer[start, end) to the end of the line.
NAN_METHOD(LineBuffer::Append) {
  auto* self = Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder());
  if (!node::Buffer::HasInstance(info[0]) || !info[1]->IsUint32() || !info[2]->IsUint32()) {
    return Nan::ThrowTypeError("append(buffer, start, end): bad arguments");
  }
  size_t length = node::Buffer::Length(info[0]);
  size_t start = Nan::To<uint32_t>(info[1]).FromJust();
  size_t end = Nan::To<uint32_t>(info[2]).FromJust();
  if (start > end || end > length) return Nan::ThrowRangeError("append(buffer, start, end): out of range");
  Bytes& bytes = self->bytes_;
  if (!bytes.Reserve(bytes.size() + (end - start))) return Nan::ThrowError("append: out of memory");
  memcpy(bytes.data() + bytes.size(), node::Buffer::Data(info[0]) + start, end - start);
  bytes.set_size(bytes.size() + (end - start));
}

// take() → the line decoded from UTF-8 (invalid sequences become U+FFFD, as Buffer's
// toString does); the bytes are freed at once.
NAN_METHOD(LineBuffer::Take) {
  auto* self = Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder());
  Bytes& bytes = self->bytes_;
  v8::MaybeLocal<v8::String> line;
  if (bytes.size() <= static_cast<size_t>(v8::String::kMaxLength)) {
    line = v8::String::NewFromUtf8(info.GetIsolate(), bytes.data() != nullptr ? bytes.data() : "",
                                   v8::NewStringType::kNormal, static_cast<int>(bytes.size()));
  }
  bytes.Release();
  if (line.IsEmpty()) return Nan::ThrowRangeError("IPC json line too long for a string");
  info.GetReturnValue().Set(line.ToLocalChecked());
}

NAN_METHOD(LineBuffer::Clear) {
  Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder())->bytes_.Release();
}

NAN_GETTER(LineBuffer::GetSize) {
  auto* self = Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder());
  info.GetReturnValue().Set(static_cast<double>(self->bytes_.size()));
}

}  // namespace deka
