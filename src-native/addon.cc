// deka-ipc native binding: the channel object, the json decoder's line buffer, advanced
// mode's V8 serializer, and the fd-level helpers of the spawn and handle paths. Everything
// above the fd level lives in TypeScript.
#include <errno.h>
#include <nan.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advanced.h"
#include "channel.h"
#include "contract.h"
#include "io.h"
#include "line-buffer.h"
#include "platform.h"
#include "peer-activity.h"

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

// describeFd(fd) → { socket, stream, family, listening }: what a received descriptor really
// is, so a handle frame that names the wrong kind is refused instead of crashing net/dgram.
NAN_METHOD(DescribeFd) {
  if (!info[0]->IsInt32()) return Nan::ThrowTypeError("describeFd(fd): fd must be an integer");
  int fd = Nan::To<int32_t>(info[0]).FromJust();
  struct stat st;
  v8::Local<v8::Object> out = Nan::New<v8::Object>();
  if (fstat(fd, &st) != 0) return Nan::ThrowError(Nan::ErrnoException(errno, "fstat"));
  bool socket = S_ISSOCK(st.st_mode);
  Nan::Set(out, Nan::New("socket").ToLocalChecked(), Nan::New(socket));
  if (socket) {
    int type = 0, listening = 0;
    socklen_t len = sizeof(type);
    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
    len = sizeof(listening);
    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len);
    struct sockaddr_storage addr;
    len = sizeof(addr);
    addr.ss_family = AF_UNSPEC;
    getsockname(fd, reinterpret_cast<struct sockaddr*>(&addr), &len);
    const char* family = addr.ss_family == AF_INET ? "inet4" : addr.ss_family == AF_INET6 ? "inet6"
                       : addr.ss_family == AF_UNIX ? "unix" : "other";
    Nan::Set(out, Nan::New("stream").ToLocalChecked(), Nan::New(type == SOCK_STREAM));
    Nan::Set(out, Nan::New("datagram").ToLocalChecked(), Nan::New(type == SOCK_DGRAM));
    Nan::Set(out, Nan::New("family").ToLocalChecked(), Nan::New(family).ToLocalChecked());
    Nan::Set(out, Nan::New("listening").ToLocalChecked(), Nan::New(listening != 0));
  }
  info.GetReturnValue().Set(out);
}

// samplePeer(pid) → { gone, runnable, stopped, cpuTicks }, or undefined where a process
// cannot be looked at (platform.h): for a disconnect waiting for its queue.
NAN_METHOD(SamplePeer) {
  if (!info[0]->IsInt32()) return;
  const ProcessSample sample = deka::PlatformSampleProcess(Nan::To<int32_t>(info[0]).FromJust());
  if (!sample.known) return;
  v8::Local<v8::Object> out = Nan::New<v8::Object>();
  Nan::Set(out, Nan::New("gone").ToLocalChecked(), Nan::New(sample.gone));
  Nan::Set(out, Nan::New("runnable").ToLocalChecked(), Nan::New(sample.runnable));
  Nan::Set(out, Nan::New("stopped").ToLocalChecked(), Nan::New(sample.stopped));
  Nan::Set(out, Nan::New("cpuTicks").ToLocalChecked(), Nan::New(static_cast<double>(sample.cpuTicks)));
  info.GetReturnValue().Set(out);
}

NAN_MODULE_INIT(Init) {
  Channel::Init(target);
  LineBuffer::Init(target);
  Nan::SetMethod(target, "socketPair", SocketPair);
  Nan::SetMethod(target, "closeFd", CloseFd);
  Nan::SetMethod(target, "describeFd", DescribeFd);
  Nan::SetMethod(target, "samplePeer", SamplePeer);
  Nan::SetMethod(target, "parseQuoted", ParseQuoted);
  Nan::SetMethod(target, "configureAdvanced", ConfigureAdvanced);
  Nan::SetMethod(target, "serializeAdvanced", SerializeAdvanced);
  Nan::SetMethod(target, "deserializeAdvanced", DeserializeAdvanced);
  // Whether this build has the shared-memory rings (platform.h): without them the TypeScript
  // side neither offers nor asks for them, and the channel stays on the socket.
  Nan::Set(target, Nan::New("sharedRings").ToLocalChecked(), Nan::New(kPlatformSealedMemory));
  // The answers the TypeScript compares with (contract.h), so it never repeats their numbers.
  v8::Local<v8::Object> constants = Nan::New<v8::Object>();
  Nan::Set(constants, Nan::New("kWritten").ToLocalChecked(), Nan::New(kWritten));
  Nan::Set(constants, Nan::New("kQueued").ToLocalChecked(), Nan::New(kQueued));
  Nan::Set(constants, Nan::New("kAppended").ToLocalChecked(), Nan::New(kAppended));
  Nan::Set(constants, Nan::New("kUseJs").ToLocalChecked(), Nan::New(kUseJs));
  Nan::Set(constants, Nan::New("kWrittenBehind").ToLocalChecked(), Nan::New(kWrittenBehind));
  Nan::Set(constants, Nan::New("kProtocolError").ToLocalChecked(), Nan::New(kProtocolError));
  Nan::Set(target, Nan::New("constants").ToLocalChecked(), constants);
}

// Context-aware: a process may load us on several threads (worker threads, and Node 20's
// loader-hook thread, which also runs --require preloads).
NAN_MODULE_WORKER_ENABLED(deka_ipc, Init)

}  // namespace deka
