// A string's characters kept outside the V8 heap (a large json line, a large one-string
// advanced frame): V8 is told of their size for as long as the string lives. Such a string
// is a few dozen bytes on V8's heap, so without the accounting a flood of them never made V8
// collect: the parent of a 600 x 1 MiB flood held every message it had read (653 MiB).
// Subclasses own the memory; this class only counts it.
#pragma once

#include <nan.h>

#include <stddef.h>
#include <stdint.h>

namespace deka {

class ExternalText : public v8::String::ExternalOneByteStringResource {
 public:
  ExternalText(v8::Isolate* isolate, const char* data, size_t length)
      : isolate_(isolate), data_(data), length_(length) {
    isolate_->AdjustAmountOfExternalAllocatedMemory(static_cast<int64_t>(length_));
  }
  ~ExternalText() override { isolate_->AdjustAmountOfExternalAllocatedMemory(-static_cast<int64_t>(length_)); }
  const char* data() const override { return data_; }
  size_t length() const override { return length_; }

 private:
  v8::Isolate* isolate_;
  const char* data_;
  size_t length_;
};

}  // namespace deka
