// deka-ipc native binding: the channel object, the json decoder's line buffer, advanced
// mode's V8 serializer, and the two fd-level helpers the spawn path needs. Everything above
// the fd level lives in TypeScript.
#include <nan.h>
#include <unistd.h>

#include "advanced.h"
#include "channel.h"
#include "io.h"
#include "line-buffer.h"

namespace deka {

// socketPair() → [parentEnd, childEnd], both close-on-exec.
NAN_METHOD(SocketPair) {
  int fds[2];
  int err = MakeSocketPair(fds);
  if (err != 0) return Nan::ThrowError(Nan::ErrnoException(-err, "socketpair"));
  v8::Local<v8::Array> pair = Nan::New<v8::Array>(2);
  Nan::Set(pair, 0, Nan::New(fds[0]));
  Nan::Set(pair, 1, Nan::New(fds[1]));
  info.GetReturnValue().Set(pair);
}

// closeFd(fd): for descriptors no Channel owns (the child's end after spawn, a received
// descriptor no message claimed).
NAN_METHOD(CloseFd) {
  if (!info[0]->IsInt32()) return Nan::ThrowTypeError("closeFd(fd): fd must be an integer");
  int fd = Nan::To<int32_t>(info[0]).FromJust();
  if (fd >= 0) close(fd);
}

NAN_MODULE_INIT(Init) {
  Channel::Init(target);
  LineBuffer::Init(target);
  Nan::SetMethod(target, "socketPair", SocketPair);
  Nan::SetMethod(target, "closeFd", CloseFd);
  Nan::SetMethod(target, "parseQuoted", ParseQuoted);
  Nan::SetMethod(target, "configureAdvanced", ConfigureAdvanced);
  Nan::SetMethod(target, "serializeAdvanced", SerializeAdvanced);
  Nan::SetMethod(target, "deserializeAdvanced", DeserializeAdvanced);
}

// Context-aware: a process may load us on several threads (worker threads, and Node 20's
// loader-hook thread, which also runs --require preloads).
NAN_MODULE_WORKER_ENABLED(deka_ipc, Init)

}  // namespace deka
