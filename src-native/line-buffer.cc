#include "line-buffer.h"

#include <node_buffer.h>
#include <string.h>

#include "buffer-range.h"
#include "external-text.h"
#include "json-object.h"
#include "json-text.h"
#include "wrap-class.h"

namespace deka {

namespace {

// A json line that is a plain string ('"' + text with no '"', '\\' or character below 0x20 +
// '"') has the text between the quotes as its value: JSON.parse would give exactly that
// string (the bytes decoded as UTF-8, invalid sequences as U+FFFD, as Buffer's toString
// does). False for any other line: JSON.parse decides. *ascii: every byte is below 0x80.
bool IsQuotedLine(const char* data, size_t size, bool* ascii) {
  if (size < 2 || data[0] != '"' || data[size - 1] != '"') return false;
  const uint8_t* text = reinterpret_cast<const uint8_t*>(data + 1);
  const size_t length = size - 2;
  if (length > static_cast<size_t>(v8::String::kMaxLength)) return false;
  uint8_t high = 0;
  if (!NeedsNoJsonEscape(text, length, &high)) return false;
  *ascii = (high & 0x80) == 0;
  return true;
}

// The value of a line IsQuotedLine accepted.
v8::MaybeLocal<v8::String> LineString(v8::Isolate* isolate, const char* data, size_t size, bool ascii) {
  const int length = static_cast<int>(size - 2);
  // ASCII is already V8's one-byte form: a plain copy, no UTF-8 decoding.
  if (ascii) {
    return v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(data + 1), v8::NewStringType::kNormal, length);
  }
  return v8::String::NewFromUtf8(isolate, data + 1, v8::NewStringType::kNormal, length);
}

// A large line's text, given to V8 where it lies: the string is the line's memory, freed
// when the string is collected (ASCII is the same bytes in V8's one-byte form).
class LineText : public ExternalText {
 public:
  LineText(v8::Isolate* isolate, char* block, size_t length) : ExternalText(isolate, block + 1, length), block_(block) {}
  ~LineText() override { free(block_); }

 private:
  char* block_;
};

// From this size a plain ASCII line becomes an external string instead of a copy: the
// message then costs its size once, not twice, while it is being decoded.
constexpr size_t kExternalLine = 1024 * 1024;

// The most a new line reserves up front from the last one's size.
constexpr size_t kMaxFirstReserve = 64 * 1024 * 1024;

}  // namespace

// parseQuoted(buffer, start, end) → the value of the json line buffer[start, end) when it is
// a plain string or a flat object (json-object.h), else undefined.
NAN_METHOD(ParseQuoted) {
  BufferRange line;
  if (!GetBufferRange(info, "parseQuoted", &line)) return;
  bool ascii;
  v8::Local<v8::String> value;
  if (IsQuotedLine(line.data, line.size, &ascii) && LineString(info.GetIsolate(), line.data, line.size, ascii).ToLocal(&value)) {
    info.GetReturnValue().Set(value);
    return;
  }
  v8::Local<v8::Object> object;
  if (ParseFlatObject(info.GetIsolate(), line.data, line.size).ToLocal(&object)) info.GetReturnValue().Set(object);
}

NAN_MODULE_INIT(LineBuffer::Init) {
  ExportWrapClass(target, "LineBuffer", New, {{"append", Append}, {"take", Take}, {"takeQuoted", TakeQuoted}, {"clear", Clear}},
                  {{"size", GetSize}});
}

NAN_METHOD(LineBuffer::New) {
  if (!info.IsConstructCall()) return Nan::ThrowTypeError("LineBuffer must be called with new");
  (new LineBuffer())->Wrap(info.This());
  info.GetReturnValue().Set(info.This());
}

// append(buffer, start, end): copies buffer[start, end) to the end of the line.
NAN_METHOD(LineBuffer::Append) {
  auto* self = Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder());
  BufferRange part;
  if (!GetBufferRange(info, "append", &part)) return;
  Bytes& bytes = self->bytes_;
  // Lines of a stream tend to be alike: a new line starts at the last one's size, so a long
  // line is not copied again at every doubling (only touched pages cost memory).
  size_t want = bytes.size() + part.size;
  if (bytes.size() == 0 && self->lastLine_ > want) want = std::min(self->lastLine_, kMaxFirstReserve);
  if (!bytes.Reserve(want)) return Nan::ThrowError("append: out of memory");
  memcpy(bytes.data() + bytes.size(), part.data, part.size);
  bytes.set_size(bytes.size() + part.size);
}

// take() → the line decoded from UTF-8 (invalid sequences become U+FFFD, as Buffer's
// toString does); the bytes are freed at once.
NAN_METHOD(LineBuffer::Take) {
  auto* self = Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder());
  Bytes& bytes = self->bytes_;
  self->lastLine_ = bytes.size();
  v8::MaybeLocal<v8::String> line;
  if (bytes.size() <= static_cast<size_t>(v8::String::kMaxLength)) {
    line = v8::String::NewFromUtf8(info.GetIsolate(), bytes.data() != nullptr ? bytes.data() : "",
                                   v8::NewStringType::kNormal, static_cast<int>(bytes.size()));
  }
  bytes.Release();
  if (line.IsEmpty()) return Nan::ThrowRangeError("IPC json line too long for a string");
  info.GetReturnValue().Set(line.ToLocalChecked());
}

// takeQuoted() → the line's value when it is a plain json string or a flat object (the
// bytes are freed), else undefined (the bytes are kept for take()).
NAN_METHOD(LineBuffer::TakeQuoted) {
  auto* self = Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder());
  Bytes& bytes = self->bytes_;
  bool ascii;
  if (bytes.size() > 0 && bytes.data()[0] == '{') {
    v8::Local<v8::Object> object;
    if (!ParseFlatObject(info.GetIsolate(), bytes.data(), bytes.size()).ToLocal(&object)) return;
    self->lastLine_ = bytes.size();
    bytes.Release();
    return info.GetReturnValue().Set(object);
  }
  if (!IsQuotedLine(bytes.data(), bytes.size(), &ascii)) return;
  self->lastLine_ = bytes.size();
  v8::Local<v8::String> value;
  if (ascii && bytes.size() >= kExternalLine) {
    const size_t length = bytes.size() - 2;
    auto* text = new LineText(info.GetIsolate(), bytes.Detach(), length);
    if (!v8::String::NewExternalOneByte(info.GetIsolate(), text).ToLocal(&value)) {
      delete text;
      return;
    }
  } else {
    if (!LineString(info.GetIsolate(), bytes.data(), bytes.size(), ascii).ToLocal(&value)) return;
    bytes.Release();
  }
  info.GetReturnValue().Set(value);
}

NAN_METHOD(LineBuffer::Clear) {
  Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder())->bytes_.Release();
}

NAN_GETTER(LineBuffer::GetSize) {
  auto* self = Nan::ObjectWrap::Unwrap<LineBuffer>(info.Holder());
  info.GetReturnValue().Set(static_cast<double>(self->bytes_.size()));
}

}  // namespace deka
