// What moves a channel's bytes in one direction: the socket (socket-transport.h) or, between
// two deka-ipc peers, the shared-memory ring (ring-transport.h). The stream (stream.h) owns
// the write queue and hands it to whichever transport its state names; a transport only
// moves bytes and never calls JS.
#pragma once

#include <nan.h>
#include <sys/types.h>

#include <deque>

#include "bytes.h"

namespace deka {

// One queued write. The bytes are kept alive here until the transport has taken all of
// them; `fd` travels with the first byte still to be sent, then is cleared.
struct WriteReq {
  Bytes owned;                         // bytes encoded from JS strings
  Nan::Persistent<v8::Object> buffer;  // or a JS Buffer we point into
  const char* data = nullptr;
  size_t length = 0;
  size_t offset = 0;
  int fd = -1;
  bool internal = false;  // ours (the ring's 'E'), not a write JS waits on
};

struct WriteQueue {
  std::deque<WriteReq*> reqs;
  size_t bytes = 0;  // not yet taken by a transport: writeQueueSize

  bool empty() const { return reqs.empty(); }
  size_t size() const { return reqs.size(); }
  WriteReq* front() const { return reqs.front(); }

  // The head request is written out: freed. Whether JS counts it (onwrite's count).
  bool PopFront() {
    WriteReq* req = reqs.front();
    const bool counted = !req->internal;
    req->buffer.Reset();
    delete req;
    reqs.pop_front();
    return counted;
  }

  void Drop() {
    for (WriteReq* req : reqs) {
      req->buffer.Reset();
      delete req;
    }
    reqs.clear();
    bytes = 0;
  }
};

class Transport {
 public:
  virtual ~Transport() = default;
  // A frame with nothing queued ahead of it: the bytes taken now (0: all of it waits) or
  // -errno. Clears *fd once the descriptor went.
  virtual ssize_t WriteNow(const char* data, size_t length, int* fd) = 0;
  // Moves the first `count` requests of the queue (all of them: SIZE_MAX) as far as they are
  // taken without blocking, freeing those done. Returns how many of those JS counts; sets
  // *err to a negative errno on a hard failure.
  virtual size_t WriteQueued(WriteQueue& queue, size_t count, int* err) = 0;
  // Whether the queue's head waits for the socket to take bytes (the poll watches for it).
  virtual bool WaitsForSocket(const WriteQueue& queue) const = 0;
  // At exit, with no loop to run (flushSync): called before each write; false when the peer
  // is known to be gone.
  virtual bool BeforeExitWrite() = 0;
  // At exit: what the socket is polled for while this transport waits.
  virtual short ExitWaitEvents() const = 0;
};

}  // namespace deka
