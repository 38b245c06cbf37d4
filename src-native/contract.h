// What the addon answers to JS, defined once. addon.cc exports these as
// `binding.constants`, and the TypeScript reads them from there (src/native.ts) rather than
// repeating the numbers.
#pragma once

#include <uv.h>

namespace deka {

// Channel.write(), writeQuoted() and writeAdvanced(): what became of the frame, when not a
// negative errno. (Plain ints: V8's ReturnValue::Set takes them as they are on every line.)
constexpr int kWritten = 0;   // the kernel (or the ring) took every byte now
constexpr int kQueued = 1;    // (part of it) queued as a new request, which onwrite reports
constexpr int kAppended = 2;  // appended to the last queued request; done when that one is
constexpr int kUseJs = 3;     // nothing written: the value is left to the JS encoder
// The ring took every byte, but its reader is behind by more than Node's socket would hold:
// a callback waits (holdCompletion(), then onwrite reports it, see stream.cc's pacing).
constexpr int kWrittenBehind = 4;

// The read status for a peer that broke the shared-memory protocol (uv's -EPROTO: its
// number differs between OSes, so JS must not spell it).
constexpr int kProtocolError = UV_EPROTO;

}  // namespace deka
