// advanced mode's frames, built and read with V8's own ValueSerializer/ValueDeserializer:
//   [uint32 big-endian N][N bytes: V8 serializer header + value]
// with Node's host-object convention inside the V8 stream (a uint32 tag, 0 = an
// ArrayBufferView written as v8.DefaultSerializer writes it, 1 = any other host object as a
// plain-object copy). The bytes are Node's, byte for byte; src/serialization/advanced.ts
// keeps the same format in JS for the few values handled there (see kUseJs).
#pragma once

#include <nan.h>

#include "bytes.h"

namespace deka {

// SerializeFrame's answers.
enum class Encoded {
  kDone,       // `out` holds the whole frame, length prefix included
  kThrown,     // a JS exception is pending (an uncloneable value, a throwing getter…)
  kUseJs,      // a value this encoder leaves to the JS one (a view type it does not know,
               // a frame above 4 GiB): nothing was thrown, nothing is kept
};

// Writes `value`'s frame into `out` (its previous contents are dropped; its memory reused).
Encoded SerializeFrame(v8::Isolate* isolate, v8::Local<v8::Value> value, Bytes& out);

// configureAdvanced(Buffer, spread, useJs): what the host-object convention needs from JS
// (Buffer's constructor, `o => ({...o})`) and the value deserialize() answers with when a
// frame is left to the JS decoder.
NAN_METHOD(ConfigureAdvanced);
// serializeAdvanced(value) → the frame as a Buffer, or the useJs value.
NAN_METHOD(SerializeAdvanced);
// deserializeAdvanced(buffer, start, end) → the value of the payload buffer[start, end) (the
// bytes after the length prefix), read in place; or the useJs value.
NAN_METHOD(DeserializeAdvanced);

}  // namespace deka
