// A json line still being read, kept outside the V8 heap in memory that grows in place
// (realloc: large blocks are remapped, not copied) and is freed the moment the line is
// decoded. What a partial line costs is its own size, however the reads cut it.
#pragma once

#include <nan.h>

#include "bytes.h"

namespace deka {

class LineBuffer : public Nan::ObjectWrap {
 public:
  static NAN_MODULE_INIT(Init);

 private:
  static NAN_METHOD(New);
  static NAN_METHOD(Append);
  static NAN_METHOD(Take);
  static NAN_METHOD(TakeQuoted);
  static NAN_METHOD(Clear);
  static NAN_GETTER(GetSize);

  Bytes bytes_;
  size_t lastLine_ = 0;  // the size of the last line taken: the next one's first reservation
};

// parseQuoted(buffer, start, end): see line-buffer.cc.
NAN_METHOD(ParseQuoted);

}  // namespace deka
