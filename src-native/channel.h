// The IPC channel as JS sees it: one end of a socketpair with its stream (stream.h). It
// moves bytes and file descriptors (one per frame) and nothing else; framing,
// serialization and the protocol live in TypeScript.
#pragma once

#include <nan.h>

#include "stream.h"

namespace deka {

class Channel : public Stream {
 public:
  static NAN_MODULE_INIT(Init);

 private:
  Channel(int fd, v8::Local<v8::Function> onread, v8::Local<v8::Function> onwrite);

  static NAN_METHOD(New);
  static NAN_METHOD(ReadStart);
  static NAN_METHOD(ReadStop);
  static NAN_METHOD(ReadPending);
  static NAN_METHOD(Write);
  static NAN_METHOD(WriteQuoted);
  static NAN_METHOD(WriteAdvanced);
  static NAN_METHOD(FlushSync);
  static NAN_METHOD(RefHandle);
  static NAN_METHOD(UnrefHandle);
  static NAN_METHOD(Close);
  static NAN_METHOD(HoldCompletion);
  static NAN_METHOD(ShmCreate);
  static NAN_METHOD(ShmAttach);
  static NAN_METHOD(ShmReadStart);
  static NAN_METHOD(ShmWriteStart);
  static NAN_METHOD(ShmWriteStop);
  static NAN_METHOD(ShmSignals);
  static NAN_GETTER(GetWriteQueueSize);
  static NAN_GETTER(GetFd);
};

}  // namespace deka
