#include "advanced.h"

#include <node_buffer.h>
#include <stdint.h>
#include <string.h>

#include <memory>
#include <utility>

#include "buffer-range.h"
#include "external-text.h"

namespace deka {

namespace {

constexpr uint32_t kArrayBufferViewTag = 0;
constexpr uint32_t kNotArrayBufferViewTag = 1;
constexpr size_t kHeaderBytes = 4;

// Node's numbering of ArrayBufferView types in v8.DefaultSerializer's host objects
// (index 10 is Buffer). Types not listed here (Float16Array, 13, on newer lines) are left
// to the JS encoder and decoder.
enum ViewType : uint32_t {
  kInt8 = 0, kUint8 = 1, kUint8Clamped = 2, kInt16 = 3, kUint16 = 4, kInt32 = 5, kUint32 = 6,
  kFloat32 = 7, kFloat64 = 8, kDataView = 9, kBuffer = 10, kBigInt64 = 11, kBigUint64 = 12,
  kUnknown = 0xffffffff,
};

// Set once per thread (each isolate has its own) by configureAdvanced; never freed, like
// the channel's read buffer, so nothing is torn down after its isolate.
struct Helpers {
  v8::Global<v8::Function> bufferConstructor;
  v8::Global<v8::Function> spread;
  v8::Global<v8::Value> useJs;
};

// A large one-byte string frame, read into a Buffer of its own, given to V8 where it lies:
// the string is those bytes (the Buffer's memory lives as long as the string), so the message
// costs its size once, not twice, while it is being decoded.
class FrameText : public ExternalText {
 public:
  FrameText(v8::Isolate* isolate, std::shared_ptr<v8::BackingStore> store, const char* data, size_t length)
      : ExternalText(isolate, data, length), store_(std::move(store)) {}

 private:
  std::shared_ptr<v8::BackingStore> store_;
};

constexpr size_t kExternalFrame = 1024 * 1024;
constexpr uint8_t kVersionTag = 0xFF;
constexpr uint8_t kOneByteStringTag = '"';

// Where the characters of payload[0, size) lie when the payload is one one-byte string and
// nothing else (header, tag, varint length, the bytes), else nullptr.
const uint8_t* OneByteStringPayload(const uint8_t* payload, size_t size, size_t* length) {
  // The header is the version tag and a one-byte varint version (13 and up are V8's for years).
  if (size < 4 || payload[0] != kVersionTag || payload[1] < 13 || payload[1] >= 0x80 ||
      payload[2] != kOneByteStringTag) {
    return nullptr;
  }
  uint64_t value = 0;
  size_t i = 3;
  for (int shift = 0; i < size && shift < 35; shift += 7) {
    uint8_t byte = payload[i++];
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      if (value != size - i) return nullptr;
      *length = static_cast<size_t>(value);
      return payload + i;
    }
  }
  return nullptr;
}

Helpers*& ThreadHelpers() {
  thread_local Helpers* helpers = nullptr;
  return helpers;
}

// Node's index for a view; `object.constructor` is read exactly as Node's writer reads it.
v8::Maybe<ViewType> ViewTypeOf(v8::Isolate* isolate, v8::Local<v8::Object> view, Helpers* helpers) {
  v8::Local<v8::Value> constructor;
  if (!view->Get(isolate->GetCurrentContext(), Nan::New("constructor").ToLocalChecked()).ToLocal(&constructor)) {
    return v8::Nothing<ViewType>();
  }
  if (constructor->StrictEquals(helpers->bufferConstructor.Get(isolate))) return v8::Just(kBuffer);
  // In Node's order of the indexes (the first test that holds wins, as in its writer).
  static const struct {
    bool (v8::Value::*is)() const;
    ViewType type;
  } kViews[] = {
      {&v8::Value::IsInt8Array, kInt8},         {&v8::Value::IsUint8Array, kUint8},
      {&v8::Value::IsUint8ClampedArray, kUint8Clamped}, {&v8::Value::IsInt16Array, kInt16},
      {&v8::Value::IsUint16Array, kUint16},     {&v8::Value::IsInt32Array, kInt32},
      {&v8::Value::IsUint32Array, kUint32},     {&v8::Value::IsFloat32Array, kFloat32},
      {&v8::Value::IsFloat64Array, kFloat64},   {&v8::Value::IsDataView, kDataView},
      {&v8::Value::IsBigInt64Array, kBigInt64}, {&v8::Value::IsBigUint64Array, kBigUint64},
  };
  for (const auto& v : kViews) {
    if (((*view)->*v.is)()) return v8::Just(v.type);
  }
  return v8::Just(kUnknown);
}

class FrameSerializer : public v8::ValueSerializer::Delegate {
 public:
  FrameSerializer(v8::Isolate* isolate, Helpers* helpers, Bytes& out)
      : isolate_(isolate), helpers_(helpers), out_(out), serializer_(isolate, this) {}

  Encoded Run(v8::Local<v8::Value> value) {
    v8::TryCatch tryCatch(isolate_);
    out_.set_size(0);
    static const uint8_t placeholder[kHeaderBytes] = {0, 0, 0, 0};
    serializer_.WriteRawBytes(placeholder, kHeaderBytes);
    serializer_.WriteHeader();
    serializer_.SetTreatArrayBufferViewsAsHostObjects(true);
    bool written = serializer_.WriteValue(isolate_->GetCurrentContext(), value).IsJust();
    std::pair<uint8_t*, size_t> bytes = serializer_.Release();
    if (useJs_) {
      tryCatch.Reset();
      return Encoded::kUseJs;
    }
    if (!written) {
      tryCatch.ReThrow();
      return Encoded::kThrown;
    }
    // Release hands back the memory ReallocateBufferMemory gave out: `out_`'s own.
    out_.set_size(bytes.second);
    size_t length = bytes.second - kHeaderBytes;
    if (length > UINT32_MAX) return Encoded::kUseJs;  // the JS encoder says why it is refused
    uint8_t* prefix = reinterpret_cast<uint8_t*>(out_.data());
    prefix[0] = static_cast<uint8_t>(length >> 24);
    prefix[1] = static_cast<uint8_t>(length >> 16);
    prefix[2] = static_cast<uint8_t>(length >> 8);
    prefix[3] = static_cast<uint8_t>(length);
    return Encoded::kDone;
  }

  // v8.DefaultSerializer's _getDataCloneError is Error: the same class and message here.
  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    isolate_->ThrowException(v8::Exception::Error(message));
  }

  v8::Maybe<bool> WriteHostObject(v8::Isolate* isolate, v8::Local<v8::Object> object) override {
    if (!object->IsArrayBufferView()) {
      serializer_.WriteUint32(kNotArrayBufferViewTag);
      v8::Local<v8::Value> argv[] = {object};
      v8::Local<v8::Value> copy;
      if (!helpers_->spread.Get(isolate)->Call(isolate->GetCurrentContext(), v8::Undefined(isolate), 1, argv).ToLocal(&copy)) {
        return v8::Nothing<bool>();
      }
      return serializer_.WriteValue(isolate->GetCurrentContext(), copy);
    }
    ViewType type;
    if (!ViewTypeOf(isolate, object, helpers_).To(&type)) return v8::Nothing<bool>();
    v8::Local<v8::ArrayBufferView> view = object.As<v8::ArrayBufferView>();
    size_t length = view->ByteLength();
    if (type == kUnknown || length > UINT32_MAX) {
      useJs_ = true;
      isolate->ThrowException(v8::Undefined(isolate));  // unwinds V8's serializer; caught in Run
      return v8::Nothing<bool>();
    }
    serializer_.WriteUint32(kArrayBufferViewTag);
    serializer_.WriteUint32(type);
    serializer_.WriteUint32(static_cast<uint32_t>(length));
    if (length <= kSmallView) {
      // Small typed arrays may live inside the V8 heap: copying them out spares V8 moving
      // them to a backing store of their own (which asking for the buffer would do).
      uint8_t small[kSmallView];
      view->CopyContents(small, length);
      serializer_.WriteRawBytes(small, length);
    } else {
      const char* base = static_cast<const char*>(view->Buffer()->Data());
      serializer_.WriteRawBytes(base + view->ByteOffset(), length);
    }
    return v8::Just(true);
  }

  // The serializer writes straight into `out_` (grown in place, never zero-filled).
  void* ReallocateBufferMemory(void* old_buffer, size_t size, size_t* actual_size) override {
    if ((old_buffer != nullptr && old_buffer != out_.data()) || !out_.Reserve(size)) return nullptr;
    *actual_size = out_.capacity();
    return out_.data();
  }

  // `out_` keeps its memory for the next frame.
  void FreeBufferMemory(void* buffer) override { (void)buffer; }

 private:
  static constexpr size_t kSmallView = 256;
  v8::Isolate* isolate_;
  Helpers* helpers_;
  Bytes& out_;
  v8::ValueSerializer serializer_;
  bool useJs_ = false;
};

class FrameDeserializer : public v8::ValueDeserializer::Delegate {
 public:
  FrameDeserializer(v8::Isolate* isolate, const uint8_t* data, size_t size)
      : isolate_(isolate), deserializer_(isolate, data, size, this) {}

  // The value, or empty with an exception pending, or empty with useJs() set.
  v8::MaybeLocal<v8::Value> Run() {
    v8::TryCatch tryCatch(isolate_);
    v8::Local<v8::Context> context = isolate_->GetCurrentContext();
    v8::MaybeLocal<v8::Value> value;
    if (deserializer_.ReadHeader(context).IsJust()) value = deserializer_.ReadValue(context);
    if (useJs_) {
      tryCatch.Reset();
      return v8::MaybeLocal<v8::Value>();
    }
    if (value.IsEmpty()) tryCatch.ReThrow();
    return value;
  }

  bool useJs() const { return useJs_; }

  v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate* isolate) override {
    uint32_t tag;
    if (!deserializer_.ReadUint32(&tag)) return Fail("a host object without its tag");
    if (tag == kNotArrayBufferViewTag) {
      v8::Local<v8::Value> value;
      if (!deserializer_.ReadValue(isolate->GetCurrentContext()).ToLocal(&value)) return {};
      if (!value->IsObject()) return Fail("a host object that is not an object");
      return value.As<v8::Object>();
    }
    if (tag != kArrayBufferViewTag) {
      std::string message = "unknown host object tag " + std::to_string(tag) + " in an advanced-serialized message";
      return Fail(message.c_str());
    }
    uint32_t type, length;
    const void* data;
    if (!deserializer_.ReadUint32(&type) || !deserializer_.ReadUint32(&length) ||
        !deserializer_.ReadRawBytes(length, &data)) {
      return Fail("a truncated ArrayBufferView");
    }
    if (type > kBigUint64) {
      useJs_ = true;
      isolate->ThrowException(v8::Undefined(isolate));  // unwinds V8's deserializer; caught in Run
      return {};
    }
    // A copy in memory of its own (the bytes are the channel's read buffer, reused).
    v8::Local<v8::Object> buffer;
    if (!node::Buffer::Copy(isolate, static_cast<const char*>(data), length).ToLocal(&buffer)) return {};
    if (type == kBuffer) return buffer;
    v8::Local<v8::ArrayBuffer> ab = buffer.As<v8::Uint8Array>()->Buffer();
    size_t offset = buffer.As<v8::Uint8Array>()->ByteOffset();
    switch (type) {
      case kInt8: return v8::Int8Array::New(ab, offset, length);
      case kUint8: return v8::Uint8Array::New(ab, offset, length);
      case kUint8Clamped: return v8::Uint8ClampedArray::New(ab, offset, length);
      case kInt16: return v8::Int16Array::New(ab, offset, length / 2);
      case kUint16: return v8::Uint16Array::New(ab, offset, length / 2);
      case kInt32: return v8::Int32Array::New(ab, offset, length / 4);
      case kUint32: return v8::Uint32Array::New(ab, offset, length / 4);
      case kFloat32: return v8::Float32Array::New(ab, offset, length / 4);
      case kFloat64: return v8::Float64Array::New(ab, offset, length / 8);
      case kDataView: return v8::DataView::New(ab, offset, length);
      case kBigInt64: return v8::BigInt64Array::New(ab, offset, length / 8);
      default: return v8::BigUint64Array::New(ab, offset, length / 8);
    }
  }

 private:
  v8::MaybeLocal<v8::Object> Fail(const char* what) {
    isolate_->ThrowException(v8::Exception::Error(Nan::New(what).ToLocalChecked()));
    return {};
  }

  v8::Isolate* isolate_;
  v8::ValueDeserializer deserializer_;
  bool useJs_ = false;
};

// Encoded bytes of serializeAdvanced(); the channel has its own (see Channel::WriteAdvanced).
Bytes& Scratch() {
  thread_local Bytes* scratch = new Bytes();
  return *scratch;
}

}  // namespace

Encoded SerializeFrame(v8::Isolate* isolate, v8::Local<v8::Value> value, Bytes& out) {
  Helpers* helpers = ThreadHelpers();
  if (helpers == nullptr) return Encoded::kUseJs;
  FrameSerializer serializer(isolate, helpers, out);
  return serializer.Run(value);
}

NAN_METHOD(ConfigureAdvanced) {
  if (!info[0]->IsFunction() || !info[1]->IsFunction()) {
    return Nan::ThrowTypeError("configureAdvanced(Buffer, spread, useJs): bad arguments");
  }
  v8::Isolate* isolate = info.GetIsolate();
  Helpers*& helpers = ThreadHelpers();
  if (helpers == nullptr) helpers = new Helpers();
  helpers->bufferConstructor.Reset(isolate, info[0].As<v8::Function>());
  helpers->spread.Reset(isolate, info[1].As<v8::Function>());
  helpers->useJs.Reset(isolate, info[2]);
}

NAN_METHOD(SerializeAdvanced) {
  v8::Isolate* isolate = info.GetIsolate();
  Bytes& bytes = Scratch();
  Encoded result = SerializeFrame(isolate, info[0], bytes);
  if (result == Encoded::kThrown) return;
  if (result == Encoded::kUseJs) {
    Helpers* helpers = ThreadHelpers();
    if (helpers != nullptr) info.GetReturnValue().Set(helpers->useJs.Get(isolate));
    return;
  }
  v8::Local<v8::Object> frame;
  if (Nan::CopyBuffer(bytes.data(), static_cast<uint32_t>(bytes.size())).ToLocal(&frame)) {
    info.GetReturnValue().Set(frame);
  }
  if (bytes.capacity() > 1024 * 1024) bytes.Release();
}

// deserializeAdvanced(buffer, start, end, owned) → the value of the payload buffer[start, end).
// `owned`: the buffer is the frame's own and nothing else will use it, so a large one-byte
// string may be made over its bytes.
NAN_METHOD(DeserializeAdvanced) {
  BufferRange range;
  if (!GetBufferRange(info, "deserializeAdvanced", &range)) return;
  v8::Isolate* isolate = info.GetIsolate();
  Helpers* helpers = ThreadHelpers();
  if (helpers == nullptr) return Nan::ThrowError("deserializeAdvanced: configureAdvanced was not called");
  const uint8_t* payload = reinterpret_cast<const uint8_t*>(range.data);
  size_t length = 0;
  const uint8_t* text = nullptr;
  if (info[3]->IsTrue() && range.size >= kExternalFrame) {
    text = OneByteStringPayload(payload, range.size, &length);
  }
  if (text != nullptr) {
    v8::Local<v8::Uint8Array> view = info[0].As<v8::Uint8Array>();
    auto* resource = new FrameText(isolate, view->Buffer()->GetBackingStore(), reinterpret_cast<const char*>(text), length);
    v8::Local<v8::String> value;
    if (v8::String::NewExternalOneByte(isolate, resource).ToLocal(&value)) {
      info.GetReturnValue().Set(value);
    } else {
      delete resource;  // V8 threw (too long for a string)
    }
    return;
  }
  FrameDeserializer deserializer(isolate, payload, range.size);
  v8::Local<v8::Value> value;
  if (deserializer.Run().ToLocal(&value)) {
    info.GetReturnValue().Set(value);
  } else if (deserializer.useJs()) {
    info.GetReturnValue().Set(helpers->useJs.Get(isolate));
  }
}

}  // namespace deka
