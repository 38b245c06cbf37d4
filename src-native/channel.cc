#include "channel.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <limits.h>
#include <node_buffer.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <poll.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "advanced.h"
#include "contract.h"
#include "io.h"
#include "json-object.h"
#include "json-text.h"
#include "platform.h"
#include "peer-activity.h"

namespace deka {

namespace {

// Reads go into one buffer per thread (each loop is single-threaded; worker threads and
// loader-hook threads have loops of their own), handed to JS as a view: no allocation and
// no copy per read. The view is only valid during the callback; decoders copy what they
// keep. The buffer lives as long as the thread's isolate may read (never freed).
// 64 KiB, as Node reads: one read is also the unit of work the loop cannot interrupt (its
// messages are decoded and emitted before anything else runs), and with several busy
// channels a larger read made timers wait several times longer than under Node.
constexpr size_t kReadSize = 64 * 1024;

struct ReadArea {
  v8::Global<v8::ArrayBuffer> arrayBuffer;
  char* data = nullptr;
};

ReadArea& ReadBuffer(v8::Isolate* isolate) {
  thread_local ReadArea* area = nullptr;
  if (area == nullptr) {
    area = new ReadArea();
    v8::Local<v8::ArrayBuffer> ab = v8::ArrayBuffer::New(isolate, kReadSize);
    area->data = static_cast<char*>(ab->GetBackingStore()->Data());
    area->arrayBuffer.Reset(isolate, ab);
  }
  return *area;
}

// The spin's bookkeeping (see AwaitMore): a hit earns this much credit, a miss costs one,
// credit is capped, and without credit one wake-up in kSpinProbeEvery spins anyway.
constexpr int kSpinHitCredit = 4;
constexpr int kSpinMaxCredit = 16;
constexpr unsigned kSpinProbeEvery = 64;
constexpr int64_t kSpinProbeNs = 250 * 1000;

// The socket's send buffer (see Channel::New).
constexpr int kSendBuffer = 1024 * 1024;

// How many queued requests one sendmsg may gather.
constexpr int kMaxIov = 256;

int64_t NowMs() { return NowNs() / 1000000; }

}  // namespace

int64_t NowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Channel::Channel(int fd, v8::Local<v8::Function> onread, v8::Local<v8::Function> onwrite)
    : fd_(fd), onread_(onread), onwrite_(onwrite), async_(new Nan::AsyncResource("deka-ipc:channel")) {}

Channel::~Channel() {
  delete async_;  // null unless the channel never got its poll handle (see New)
  DropQueue();
  if (!closed_ && fd_ >= 0) close(fd_);
  delete shm_;
  if (shmFd_ >= 0) close(shmFd_);
}

NAN_MODULE_INIT(Channel::Init) {
  v8::Local<v8::FunctionTemplate> tpl = Nan::New<v8::FunctionTemplate>(New);
  tpl->SetClassName(Nan::New("Channel").ToLocalChecked());
  tpl->InstanceTemplate()->SetInternalFieldCount(1);

  Nan::SetPrototypeMethod(tpl, "readStart", ReadStart);
  Nan::SetPrototypeMethod(tpl, "readStop", ReadStop);
  Nan::SetPrototypeMethod(tpl, "readPending", ReadPending);
  Nan::SetPrototypeMethod(tpl, "write", Write);
  Nan::SetPrototypeMethod(tpl, "writeQuoted", WriteQuoted);
  Nan::SetPrototypeMethod(tpl, "writeAdvanced", WriteAdvanced);
  Nan::SetPrototypeMethod(tpl, "ref", RefHandle);
  Nan::SetPrototypeMethod(tpl, "unref", UnrefHandle);
  Nan::SetPrototypeMethod(tpl, "close", Close);
  Nan::SetPrototypeMethod(tpl, "shmCreate", ShmCreate);
  Nan::SetPrototypeMethod(tpl, "shmAttach", ShmAttach);
  Nan::SetPrototypeMethod(tpl, "shmReadStart", ShmReadStart);
  Nan::SetPrototypeMethod(tpl, "shmWriteStart", ShmWriteStart);
  Nan::SetPrototypeMethod(tpl, "shmWriteStop", ShmWriteStop);
  Nan::SetPrototypeMethod(tpl, "shmSignals", ShmSignals);
  Nan::SetAccessor(tpl->InstanceTemplate(), Nan::New("writeQueueSize").ToLocalChecked(),
                   GetWriteQueueSize);
  Nan::SetAccessor(tpl->InstanceTemplate(), Nan::New("fd").ToLocalChecked(), GetFd);

  v8::Local<v8::Function> fn = Nan::GetFunction(tpl).ToLocalChecked();
  Nan::Set(target, Nan::New("Channel").ToLocalChecked(), fn);
  Nan::SetMethod(target, "flushSync", FlushSync);
}

// new Channel(fd, onread(chunk | undefined, fd, status), onwrite(count, status))
NAN_METHOD(Channel::New) {
  if (!info.IsConstructCall()) return Nan::ThrowTypeError("Channel must be called with new");
  if (!info[0]->IsInt32() || !info[1]->IsFunction() || !info[2]->IsFunction()) {
    return Nan::ThrowTypeError("Channel(fd, onread, onwrite): bad arguments");
  }
  int fd = Nan::To<int32_t>(info[0]).FromJust();
  if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
    return Nan::ThrowError(Nan::ErrnoException(EBADF, "Channel", "not an open file descriptor"));
  }
  // Our end must never leak into later spawns, and is driven without blocking.
  fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  PlatformAdoptSocket(fd);
  // Room in the kernel for a whole window of large messages (a Unix stream socket charges
  // bytes not yet read to the sender's buffer): with the default (~200 KiB) a pipeline of
  // 64 KiB frames stalls every few frames until the peer is scheduled and reads. Where the
  // system caps it lower, the cap applies. send()'s false still means our own queue.
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSendBuffer, sizeof(kSendBuffer));

  auto* channel = new Channel(fd, info[1].As<v8::Function>(), info[2].As<v8::Function>());
  int err = uv_poll_init_socket(Nan::GetCurrentEventLoop(), &channel->poll_, fd);
  if (err != 0) {
    channel->closed_ = true;  // the caller still owns fd
    delete channel;
    return Nan::ThrowError(Nan::ErrnoException(-err, "uv_poll_init"));
  }
  channel->poll_.data = channel;
  channel->closesPending_ = 1;
  channel->Wrap(info.This());
  // Alive while the poll handle exists, whatever JS holds; released in OnClosed.
  channel->Ref();
  info.GetReturnValue().Set(info.This());
}

void Channel::UpdatePoll() {
  if (closed_) return;
  // Writable while requests wait for the socket: all of them, or after a switch to the ring
  // those queued before it, and a descriptor whose carrier byte did not fit (shm-channel.cc).
  const bool forSocket = !shmOut_ ? !queue_.empty()
                         : socketReqs_ > 0 || (!queue_.empty() && queue_.front()->fd >= 0 && shm_->ReaderAttached());
  int events = (reading_ ? UV_READABLE : 0) | (forSocket ? UV_WRITABLE : 0);
  if (events == poll_events_) return;
  poll_events_ = events;
  if (events == 0) {
    uv_poll_stop(&poll_);
  } else {
    uv_poll_start(&poll_, events, OnPoll);
  }
}

void Channel::OnPoll(uv_poll_t* handle, int status, int events) {
  auto* self = static_cast<Channel*>(handle->data);
  Nan::HandleScope scope;
  if (status < 0) {
    // libuv stopped the handle. It says UV_EBADF for EPOLLERR, which a socket reports once the
    // peer closed with bytes of ours unread (ECONNRESET): what the peer sent before that (on
    // the socket, or in the ring) is still to be read, and the read then reports the error.
    self->poll_events_ = 0;
    if (self->reading_) {
      self->ReadSome();
      self->UpdatePoll();
      return;
    }
    self->UpdatePoll();
    self->EmitRead(Nan::Undefined(), -1, status);
    return;
  }
  if ((events & UV_READABLE) && self->reading_) self->ReadSome();
  if (!self->closed_ && !self->queue_.empty()) self->WriteQueued(events & UV_WRITABLE);
}

void Channel::WriteQueued(bool writable) {
  int err = 0;
  size_t done = 0;
  if (writable && (!shmOut_ || socketReqs_ > 0)) done = SendQueued(&err);
  // A wake-up from the peer (room in the ring), or the last request for the socket gone.
  if (err == 0 && RingBound()) done += FlushRing(&err);
  if (done > 0) FinishWrites(done, 0);
  if (err != 0 && !closed_) {
    size_t failed = 0;
    for (WriteReq* req : queue_) failed += !req->internal;
    DropQueue();
    FinishWrites(failed, err);
  }
  UpdatePoll();
}

// How long the channels woken in one turn of the loop may keep reading (and spinning for
// more), together, before the loop gets its turn: timers and other handles must not starve
// behind busy channels. Checked after every read, whether the socket had more or not; each
// channel woken reads at least once, so none starves behind the others either.
constexpr int64_t kTurnBudgetNs = 2 * 1000 * 1000;

// The loop turn the budget was opened for (uv_now: the same for every callback of one
// poll) and when it closes. Per thread: each worker has a loop of its own.
struct TurnBudget {
  uint64_t loopNow = UINT64_MAX;
  int64_t endNs = 0;
};

// What a channel woken after the budget is spent reads: enough to move, little to hold the turn.
constexpr size_t kShareReadSize = 8 * 1024;

static int64_t TurnEnd() {
  thread_local TurnBudget turn;
  uint64_t loopNow = uv_now(Nan::GetCurrentEventLoop());
  if (loopNow != turn.loopNow) {
    turn.loopNow = loopNow;
    turn.endNs = NowNs() + kTurnBudgetNs;
  }
  return turn.endNs;
}

char* Channel::ReadAreaData() { return ReadBuffer(v8::Isolate::GetCurrent()).data; }

void Channel::EmitBytes(size_t n, int fd, int status) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::Object> chunk =
      node::Buffer::New(isolate, ReadBuffer(isolate).arrayBuffer.Get(isolate), 0, n).ToLocalChecked();
  EmitRead(chunk, fd, status);
}

void Channel::ReadSome(bool socketReadable) {
  // readPending(): to the end of what is there, without a budget and without spinning.
  const int64_t wakeupEnd = readAll_ ? INT64_MAX : TurnEnd();
  // Woken after the turn's budget is spent (other channels had it): one small read, its share.
  const size_t readSize = NowNs() >= wakeupEnd ? kShareReadSize : kReadSize;
  int reads = 0;
  while (reading_ && !closed_) {
    // From the start, or from the frame just delivered (the peer's switch, see shm-channel.cc).
    if (shmIn_ && !ReadShm(wakeupEnd, readSize, socketReadable)) return;
    if (!resumeBytes_.empty()) {
      // Back on the socket: the peer's first bytes there came with its 'E'.
      const size_t n = resumeBytes_.size();
      memcpy(ReadAreaData(), resumeBytes_.data(), n);
      resumeBytes_.clear();
      EmitBytes(n, -1, 0);
      continue;
    }
    int fd = -1;
    bool truncated = false;
    v8::Isolate* isolate = v8::Isolate::GetCurrent();
    ReadArea& area = ReadBuffer(isolate);
    ssize_t n = ReceiveWithFd(fd_, area.data, readSize, &fd, &truncated);
    if (n == -EAGAIN) {
      // Whatever we just delivered may have been answered already (its reply sent from the
      // callback); the next message is often microseconds away. Waiting for it briefly here
      // can be far cheaper than going to sleep in the loop and being woken again.
      if (readAll_ || NowNs() >= wakeupEnd || !AwaitMore()) return;
      reads = 0;
      continue;
    }
    if (n <= 0) {
      EndReading(n == 0 ? UV_EOF : static_cast<int>(n));
      return;
    }
    EmitBytes(static_cast<size_t>(n), fd, truncated ? UV_ENOBUFS : 0);
    // The poll is level-triggered: what is left is read on the loop's next turn.
    if (!readAll_ && (++reads >= kReadsPerWakeup || NowNs() >= wakeupEnd)) return;
  }
}

// Whether this process may run on one core only (taskset, a container's cpuset): then a
// peer that answers us shares it. Read once.
static bool OnlyCore() {
  static const bool only = [] {
    return PlatformUsableCpus() == 1;
  }();
  return only;
}

// Waits, without blocking, for more bytes (or EOF) for up to the spin budget
// (DEKA_IPC_SPIN_US, default 30 µs; 0 turns it off) — but only while waiting has been paying
// off. Each spin that ends with bytes earns credit, each one that ends empty-handed costs
// some; without credit the channel goes to sleep in the loop as Node's does, and only every
// kSpinProbeEvery-th wake-up tries again. So a request/response peer that answers within
// microseconds is caught without a wake-up, while a slow or idle peer, or one starved of
// CPU, costs no CPU.
bool Channel::AwaitMore() {
  static const int64_t budget_ns = [] {
    const char* text = getenv("DEKA_IPC_SPIN_US");
    long us = text != nullptr && *text != '\0' ? strtol(text, nullptr, 10) : 30;
    return static_cast<int64_t>(us < 0 ? 0 : us > 10000 ? 10000 : us) * 1000;
  }();
  if (budget_ns == 0 || !reading_ || closed_) return false;
  const bool probe = spin_credit_ <= 0;
  if (probe && ++spin_probe_ % kSpinProbeEvery != 0) return false;
  // A probe waits long enough for a sleeping peer to be woken and answer (on a VM that can
  // take 100 µs and more). A spin that caught an answer late waits as long again next time
  // (twice the wait, up to a probe's): so while the peer still sleeps, this side keeps
  // catching its answers, and answers it at once, until the peer's own probe finds that and
  // both stay awake; then answers come in microseconds and the spin is short again.
  const int64_t start = NowNs();
  const int64_t deadline = start + (probe ? std::max(budget_ns, kSpinProbeNs) : std::max(budget_ns, spin_ns_));
  char byte;
  for (;;) {
    // On the ring, bytes are a load away; on the socket, a peek.
    ssize_t n = shmIn_ ? (shm_->HasData() ? 1 : -1) : recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n >= 0 || (!shmIn_ && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      spin_credit_ = std::min(spin_credit_ + kSpinHitCredit, kSpinMaxCredit);
      spin_ns_ = std::min(2 * (NowNs() - start), kSpinProbeNs);
      return true;
    }
    if (NowNs() >= deadline) {
      spin_credit_ = std::max(spin_credit_ - 1, 0);
      spin_ns_ /= 2;
      return false;
    }
    // Confined to one core, the peer can only answer if we let it run. Elsewhere a yield
    // would hand the core to whatever else is runnable (a CPU hog) for a whole time slice.
    if (OnlyCore()) sched_yield();
#if defined(__x86_64__) || defined(__i386__)
    // Watching shared memory: tell the core it is a spin (the sibling hyperthread gets the
    // pipeline, and leaving the loop costs no mis-speculation).
    else if (shmIn_) __builtin_ia32_pause();
#endif
  }
}

void Channel::EndReading(int status) {
  reading_ = false;
  StopIdle();
  UpdatePoll();
  EmitRead(Nan::Undefined(), -1, status);
}

void Channel::EmitRead(v8::Local<v8::Value> chunk, int fd, int status) {
  if (onread_.IsEmpty()) return;  // closed
  v8::Local<v8::Value> argv[] = {chunk, Nan::New(fd), Nan::New(status)};
  onread_.Call(handle(), 3, argv, async_);
}

size_t Channel::SendQueued(int* err) {
  size_t completed = 0;
  *err = 0;
  // After a switch to the ring only the requests queued before it are the socket's.
  const bool limited = shmOut_;
  while (!queue_.empty() && (!limited || socketReqs_ > 0)) {
    // Gather from the head; a request carrying a descriptor starts its own sendmsg so the
    // descriptor is attached to that frame's first byte.
    struct iovec iov[kMaxIov];
    int count = 0;
    int fd = queue_.front()->fd;
    for (auto it = queue_.begin(); it != queue_.end() && count < kMaxIov; ++it) {
      if (limited && static_cast<size_t>(count) == socketReqs_) break;
      WriteReq* req = *it;
      if (count > 0 && req->fd >= 0) break;
      iov[count].iov_base = const_cast<char*>(req->data + req->offset);
      iov[count].iov_len = req->length - req->offset;
      count++;
    }
    ssize_t n = SendWithFd(fd_, iov, count, fd);
    if (n == -EAGAIN) break;
    if (n < 0) {
      *err = static_cast<int>(n);
      break;
    }
    queue_.front()->fd = -1;  // it went with the first byte
    queued_bytes_ -= n;
    size_t left = static_cast<size_t>(n);
    while (!queue_.empty()) {
      WriteReq* req = queue_.front();
      size_t rest = req->length - req->offset;
      if (left < rest) {
        req->offset += left;
        break;
      }
      left -= rest;
      if (!req->internal) completed++;
      req->buffer.Reset();
      delete req;
      queue_.pop_front();
      if (limited) socketReqs_--;
      if (left == 0) break;
    }
  }
  return completed;
}

void Channel::FinishWrites(size_t count, int status) {
  if (onwrite_.IsEmpty()) return;  // closed
  v8::Local<v8::Value> argv[] = {Nan::New(static_cast<double>(count)), Nan::New(status)};
  onwrite_.Call(handle(), 2, argv, async_);
}

void Channel::DropQueue() {
  for (WriteReq* req : queue_) {
    req->buffer.Reset();
    delete req;
  }
  queue_.clear();
  queued_bytes_ = 0;
  socketReqs_ = 0;
}

NAN_METHOD(Channel::ReadStart) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed_) return;
  self->reading_ = true;
  self->UpdatePoll();
}

// readPending(): reads, now, everything the peer's bytes hold up to their current end (the
// socket, the ring, EOF), as one wake-up would without its budget: for a child that exited,
// whose channel's end must be seen before its 'exit' (see spawn.ts).
NAN_METHOD(Channel::ReadPending) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed_ || !self->reading_) return;
  self->readAll_ = true;
  self->ReadSome(true);
  self->readAll_ = false;
  if (!self->closed_) self->UpdatePoll();
}

NAN_METHOD(Channel::ReadStop) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  self->reading_ = false;
  self->UpdatePoll();
}

bool Bytes::Reserve(size_t n) {
  if (n <= capacity_) return true;
  // Grow at least twofold: a request that small frames keep joining is not copied per frame.
  if (n < capacity_ * 2) n = capacity_ * 2;
  char* grown = static_cast<char*>(realloc(data_, n));
  if (grown == nullptr) return false;
  data_ = grown;
  capacity_ = n;
  return true;
}

void Bytes::Release() {
  free(data_);
  data_ = nullptr;
  size_ = capacity_ = 0;
}

char* Bytes::Detach() {
  char* data = data_;
  if (size_ < capacity_ && size_ > 0) {
    char* shrunk = static_cast<char*>(realloc(data_, size_));
    if (shrunk != nullptr) data = shrunk;
  }
  data_ = nullptr;
  size_ = capacity_ = 0;
  return data;
}

void Bytes::Swap(Bytes& other) {
  std::swap(data_, other.data_);
  std::swap(size_, other.size_);
  std::swap(capacity_, other.capacity_);
}

namespace {

// An upper bound of the bytes a Buffer or string encodes to. A bound rather than the exact
// UTF-8 length spares a whole pass over every string.
size_t BoundBytes(v8::Local<v8::Value> data) {
  if (node::Buffer::HasInstance(data)) return node::Buffer::Length(data);
  v8::Local<v8::String> str = data.As<v8::String>();
  return static_cast<size_t>(str->Length()) * (str->IsOneByte() ? 2 : 3);
}

// Writes what BoundBytes measured; returns the end of what was written.
char* WriteBytes(v8::Isolate* isolate, v8::Local<v8::Value> data, char* out) {
  if (node::Buffer::HasInstance(data)) {
    size_t length = node::Buffer::Length(data);
    memcpy(out, node::Buffer::Data(data), length);
    return out + length;
  }
  v8::Local<v8::String> str = data.As<v8::String>();
  size_t bound = BoundBytes(data);
#if V8_MAJOR_VERSION >= 13
  // V8 13 (Node 24) added WriteUtf8V2 and deprecated WriteUtf8; V8 14 (Node 26) removed it.
  return out + str->WriteUtf8V2(isolate, out, bound, v8::String::WriteFlags::kReplaceInvalidUtf8);
#else
  return out + str->WriteUtf8(isolate, out, static_cast<int>(bound), nullptr,
                              v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
#endif
}

// The json text of a string JSON.stringify would copy as it is: '"' + its characters as
// UTF-8 + '"' + '\n', written at `out` (room for BoundQuoted bytes). Only one-byte strings
// with no control character, '"' or '\\' qualify (no other one-byte character is escaped
// by JSON.stringify); for any other string returns nullptr, and the caller stringifies.
size_t BoundQuoted(v8::Local<v8::String> str) { return static_cast<size_t>(str->Length()) * 2 + 3; }

char* EncodeQuoted(v8::Isolate* isolate, v8::Local<v8::String> str, char* out) {
  char* end = WriteJsonString(isolate, str, out);
  if (end != nullptr) *end++ = '\n';
  return end;
}

// Frames up to this size, written while the queue is not empty, are appended to its last
// request instead of becoming one of their own; a request stops growing at kRequestLimit.
constexpr size_t kAppendLimit = 8 * 1024;
constexpr size_t kRequestLimit = 64 * 1024;

// Encoded bytes of the write in progress; reused so a write the kernel takes at once costs
// no allocation. Released after a very large one so it does not pin memory.
Bytes& Scratch() {
  thread_local Bytes scratch;
  return scratch;
}

constexpr size_t kScratchKeep = 1024 * 1024;

}  // namespace

// Behind a queue, a frame of at most `bound` bytes joins the last request when it fits (no
// allocation of its own, and the queue leaves in fewer, larger sendmsg calls once the
// socket is writable again): that request, with room reserved, or nullptr.
WriteReq* Channel::TailFor(size_t bound, int fd) {
  if (queue_.empty() || fd >= 0 || bound > kAppendLimit) return nullptr;
  // The last request before a switch to the ring goes to the socket; later frames must not.
  if (shmOut_ && socketReqs_ == queue_.size()) return nullptr;
  WriteReq* tail = queue_.back();
  if (!tail->buffer.IsEmpty() || tail->owned.size() + bound > kRequestLimit ||
      !tail->owned.Reserve(tail->owned.size() + bound)) {
    return nullptr;
  }
  return tail;
}

// The tail request grew by the bytes written up to `end`.
void Channel::Appended(WriteReq* tail, char* end) {
  size_t before = tail->owned.size();
  tail->owned.set_size(end - tail->owned.data());
  tail->data = tail->owned.data();
  tail->length = tail->owned.size();
  queued_bytes_ += tail->length - before;
}

// Sends one whole frame: `buffer` (a JS Buffer holding data..data+length) or, when empty,
// the scratch bytes. Returns 0 / 1 as write() does, or -errno.
int Channel::Send(v8::Local<v8::Value> buffer, const char* data, size_t length, int fd) {
  const bool isBuffer = !buffer.IsEmpty();
  Bytes& scratch = Scratch();
  size_t sent = 0;
  if (queue_.empty() && RingBound()) {
    // Nothing ahead of us: into the ring, no syscall while the peer is awake.
    ssize_t n = PutNow(data, length, &fd);
    if (n < 0) return static_cast<int>(n);
    sent = static_cast<size_t>(n);
  } else if (queue_.empty()) {
    // Nothing ahead of us: straight to the kernel, one syscall and no queueing.
    struct iovec iov = {const_cast<char*>(data), length};
    ssize_t n = SendWithFd(fd_, &iov, 1, fd);
    if (n < 0 && n != -EAGAIN) return static_cast<int>(n);
    if (n > 0) {
      sent = static_cast<size_t>(n);
      fd = -1;  // it went with the first byte
    }
  }
  if (sent == length) {
    if (scratch.capacity() > kScratchKeep) scratch.Release();
    return kWritten;
  }

  auto* req = new WriteReq();
  req->fd = fd;
  if (isBuffer && length - sent > kAppendLimit) {
    req->buffer.Reset(buffer.As<v8::Object>());
    req->data = data;
    req->length = length;
    req->offset = sent;
  } else {
    // The request owns the bytes still to go: encoded bytes are taken over without a copy;
    // a small Buffer's rest is copied so later small frames can join it.
    if (isBuffer) {
      req->owned.Reserve(length - sent);
      memcpy(req->owned.data(), data + sent, length - sent);
      req->owned.set_size(length - sent);
    } else {
      req->owned.Swap(scratch);
      if (sent > 0) {
        memmove(req->owned.data(), req->owned.data() + sent, length - sent);
        req->owned.set_size(length - sent);
      }
    }
    req->data = req->owned.data();
    req->length = req->owned.size();
  }
  queued_bytes_ += req->length - req->offset;
  queue_.push_back(req);
  UpdatePoll();
  return kQueued;
}

// write(data: Buffer | string, fd = -1) → 0 when the kernel took every byte now, 1 when
// (part of) it is queued as a new request that onwrite will report, 2 when it was appended
// to the last queued request and completes with it, or a negative errno.
// The first write on an idle socket always reaches the kernel inside this call, as Node's
// does: a message leaves when send() returns. Only while the kernel is not taking bytes do
// writes wait, and then small ones are gathered into the last request (one sendmsg later).
NAN_METHOD(Channel::Write) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed_) return info.GetReturnValue().Set(UV_EBADF);
  int fd = info.Length() > 1 && info[1]->IsInt32() ? Nan::To<int32_t>(info[1]).FromJust() : -1;
  v8::Isolate* isolate = info.GetIsolate();

  const bool isBuffer = node::Buffer::HasInstance(info[0]);
  if (!isBuffer && !info[0]->IsString()) {
    return Nan::ThrowTypeError("write(data): data must be a Buffer or a string");
  }
  const size_t bound = BoundBytes(info[0]);
  if (WriteReq* tail = self->TailFor(bound, fd)) {
    self->Appended(tail, WriteBytes(isolate, info[0], tail->owned.data() + tail->owned.size()));
    return info.GetReturnValue().Set(kAppended);
  }
  if (isBuffer) {
    return info.GetReturnValue().Set(
        self->Send(info[0], node::Buffer::Data(info[0]), node::Buffer::Length(info[0]), fd));
  }
  Bytes& scratch = Scratch();
  if (!scratch.Reserve(bound > 0 ? bound : 1)) return Nan::ThrowError("write(data): out of memory");
  scratch.set_size(WriteBytes(isolate, info[0], scratch.data()) - scratch.data());
  info.GetReturnValue().Set(self->Send(v8::Local<v8::Value>(), scratch.data(), scratch.size(), fd));
}

// writeQuoted(value, fd = -1) → as write(JSON.stringify(value) + '\n'), without the
// stringify, for a string that needs no escape and for a flat object of such strings,
// numbers, booleans and null (json-object.h); 3 (nothing written, nothing read from the
// object that a program could notice) for any other value.
NAN_METHOD(Channel::WriteQuoted) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (self->closed_) return info.GetReturnValue().Set(UV_EBADF);
  int fd = info.Length() > 1 && info[1]->IsInt32() ? Nan::To<int32_t>(info[1]).FromJust() : -1;
  v8::Isolate* isolate = info.GetIsolate();
  if (info[0]->IsObject()) {
    // The object's fields are gathered (and the object judged) first, then its text is
    // written where it goes, as a string's is.
    FlatFields fields;
    if (!GatherFlatObject(isolate, info[0].As<v8::Object>(), &fields)) return info.GetReturnValue().Set(kUseJs);
    const size_t bound = fields.bound + 1;  // and the newline
    if (WriteReq* tail = self->TailFor(bound, fd)) {
      char* end = WriteFlatObject(isolate, fields, tail->owned.data() + tail->owned.size());
      if (end == nullptr) return info.GetReturnValue().Set(kUseJs);
      *end++ = '\n';
      self->Appended(tail, end);
      return info.GetReturnValue().Set(kAppended);
    }
    Bytes& scratch = Scratch();
    if (!scratch.Reserve(bound)) return Nan::ThrowError("writeQuoted: out of memory");
    char* end = WriteFlatObject(isolate, fields, scratch.data());
    if (end == nullptr) return info.GetReturnValue().Set(kUseJs);
    *end++ = '\n';
    scratch.set_size(end - scratch.data());
    return info.GetReturnValue().Set(self->Send(v8::Local<v8::Value>(), scratch.data(), scratch.size(), fd));
  }
  if (!info[0]->IsString()) return info.GetReturnValue().Set(kUseJs);
  v8::Local<v8::String> str = info[0].As<v8::String>();
  if (!str->IsOneByte()) return info.GetReturnValue().Set(kUseJs);
  const size_t bound = BoundQuoted(str);
  if (WriteReq* tail = self->TailFor(bound, fd)) {
    char* end = EncodeQuoted(isolate, str, tail->owned.data() + tail->owned.size());
    if (end == nullptr) return info.GetReturnValue().Set(kUseJs);
    self->Appended(tail, end);
    return info.GetReturnValue().Set(kAppended);
  }
  Bytes& scratch = Scratch();
  if (!scratch.Reserve(bound)) return Nan::ThrowError("writeQuoted: out of memory");
  char* end = EncodeQuoted(isolate, str, scratch.data());
  if (end == nullptr) return info.GetReturnValue().Set(kUseJs);
  scratch.set_size(end - scratch.data());
  info.GetReturnValue().Set(self->Send(v8::Local<v8::Value>(), scratch.data(), scratch.size(), fd));
}

// writeAdvanced(value, fd = -1) → as write(frame) for the value's advanced frame, serialized
// by V8 straight into the bytes sent; throws what V8's serializer throws (nothing is
// written then); 3 (nothing written) for a value left to the JS encoder.
NAN_METHOD(Channel::WriteAdvanced) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  int fd = info.Length() > 1 && info[1]->IsInt32() ? Nan::To<int32_t>(info[1]).FromJust() : -1;
  Bytes& scratch = Scratch();
  Encoded encoded = SerializeFrame(info.GetIsolate(), info[0], scratch);
  if (encoded == Encoded::kThrown) return;
  if (encoded == Encoded::kUseJs) return info.GetReturnValue().Set(kUseJs);
  if (self->closed_) return info.GetReturnValue().Set(UV_EBADF);
  if (WriteReq* tail = self->TailFor(scratch.size(), fd)) {
    memcpy(tail->owned.data() + tail->owned.size(), scratch.data(), scratch.size());
    self->Appended(tail, tail->owned.data() + tail->owned.size() + scratch.size());
    return info.GetReturnValue().Set(kAppended);
  }
  info.GetReturnValue().Set(self->Send(v8::Local<v8::Value>(), scratch.data(), scratch.size(), fd));
}

// flushSync([channels], timeoutMs, stallMs, [peerPids]) → bytes still queued in all of them.
// Blocks (outside the loop) while the channels' queues are written, all at once: used when
// the process is exiting and the loop will not run again. Each channel is judged by what its
// peer does (peer-activity.h): it is waited for while the peer takes bytes or runs (a child
// still starting up takes no byte but runs), and given up once it has done neither for
// stallMs (stopped, blocked in Atomics.wait, gone: EPIPE ends it at once); where the peer
// cannot be watched (no pid, no /proc) only taken bytes count. All end at timeoutMs.
// Completion callbacks are not called: nobody is left to run them.
NAN_METHOD(Channel::FlushSync) {
  if (!info[0]->IsArray()) return Nan::ThrowTypeError("flushSync(channels, timeoutMs, stallMs, peerPids): channels must be an array");
  v8::Local<v8::Array> list = info[0].As<v8::Array>();
  v8::Local<v8::Array> pids = info[3]->IsArray() ? info[3].As<v8::Array>() : Nan::New<v8::Array>(0);
  auto ms = [&](int index) -> int64_t {
    return info[index]->IsNumber() ? static_cast<int64_t>(Nan::To<double>(info[index]).FromJust()) : 0;
  };
  const int64_t start = NowMs();
  const int64_t deadline = start + ms(1);
  const int64_t stall = ms(2);
  // How often a quiet peer is looked at: /proc counts CPU time in 10 ms ticks.
  constexpr int64_t kLookMs = 50;
  struct Flushing {
    Channel* channel;
    PeerWatch peer;
    int64_t lastProgress;
    int64_t nextLook;
  };
  std::vector<Flushing> channels;
  for (uint32_t i = 0; i < list->Length(); i++) {
    v8::Local<v8::Value> item = Nan::Get(list, i).ToLocalChecked();
    if (!item->IsObject() || item.As<v8::Object>()->InternalFieldCount() < 1) continue;
    v8::Local<v8::Value> pid = i < pids->Length() ? Nan::Get(pids, i).ToLocalChecked() : Nan::Undefined().As<v8::Value>();
    channels.push_back({Nan::ObjectWrap::Unwrap<Channel>(item.As<v8::Object>()),
                        PeerWatch(pid->IsInt32() ? Nan::To<int32_t>(pid).FromJust() : 0), start, start + kLookMs});
  }
  for (;;) {
    std::vector<struct pollfd> waiting;
    int64_t now = NowMs();
    for (Flushing& flushing : channels) {
      Channel* channel = flushing.channel;
      if (channel->closed_ || channel->queue_.empty()) continue;
      if (now - flushing.lastProgress >= stall) continue;  // given up: neither reads nor runs
      size_t before = channel->queued_bytes_;
      int err = 0;
      if (!channel->shmOut_ || channel->socketReqs_ > 0) channel->SendQueued(&err);
      // On the ring, a byte from the peer says it made room; read them so the poll can wait.
      if (err == 0 && channel->RingBound()) {
        if (channel->DiscardSignals()) channel->FlushRing(&err);
        else err = UV_EOF;  // the peer is gone
      }
      if (err != 0) channel->DropQueue();  // the peer is gone: nothing more can leave
      now = NowMs();
      if (channel->queued_bytes_ != before) {
        flushing.lastProgress = now;
      } else if (now >= flushing.nextLook) {
        flushing.nextLook = now + kLookMs;
        if (flushing.peer.Alive()) flushing.lastProgress = now;
      }
      if (!channel->queue_.empty() && now - flushing.lastProgress < stall) {
        waiting.push_back({channel->fd_, static_cast<short>(channel->RingBound() ? POLLIN : POLLOUT), 0});
      }
    }
    const int64_t left = std::min(deadline - now, kLookMs);
    if (waiting.empty() || now >= deadline) break;
    poll(waiting.data(), waiting.size(), static_cast<int>(std::max<int64_t>(left, 1)));
  }
  double queued = 0;
  for (Flushing& flushing : channels) queued += static_cast<double>(flushing.channel->queued_bytes_);
  info.GetReturnValue().Set(queued);
}

NAN_METHOD(Channel::RefHandle) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (!self->closed_) uv_ref(reinterpret_cast<uv_handle_t*>(&self->poll_));
}

NAN_METHOD(Channel::UnrefHandle) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  if (!self->closed_) uv_unref(reinterpret_cast<uv_handle_t*>(&self->poll_));
}

// close(): stop polling and close the socket now (the peer sees EOF at once). Queued
// bytes are dropped; callers that must deliver them drain first.
NAN_METHOD(Channel::Close) {
  Nan::ObjectWrap::Unwrap<Channel>(info.Holder())->DoClose();
}

void Channel::DoClose() {
  if (closed_) return;
  closed_ = true;
  reading_ = false;
  DropQueue();
  uv_poll_stop(&poll_);
  close(fd_);
  uv_close(reinterpret_cast<uv_handle_t*>(&poll_), OnClosed);
  if (shm_ != nullptr) {
    // The peer keeps its own mapping: what we published stays readable for it.
    uv_close(reinterpret_cast<uv_handle_t*>(&idle_), OnClosed);
    closesPending_++;
    if (shmIn_) shm_->MarkClosed();
    delete shm_;
    shm_ = nullptr;
    shmIn_ = shmOut_ = false;
    if (shmFd_ >= 0) close(shmFd_);
    shmFd_ = -1;
  }
  // The callbacks are strong roots, and their closures hold this channel's JS object and
  // everything the protocol kept (the ChildProcess, a partial frame): let go of them now,
  // or none of it could ever be collected. Nothing calls back after a close.
  onread_.Reset();
  onwrite_.Reset();
}

void Channel::OnClosed(uv_handle_t* handle) {
  auto* self = static_cast<Channel*>(handle->data);
  if (--self->closesPending_ > 0) return;
  // The async resource's end is reported to Node here, on the loop: once unreferenced, the
  // channel is deleted from inside a garbage collection, where calling into Node crashes.
  delete self->async_;
  self->async_ = nullptr;
  self->Unref();
}

NAN_GETTER(Channel::GetWriteQueueSize) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  info.GetReturnValue().Set(static_cast<double>(self->queued_bytes_));
}

NAN_GETTER(Channel::GetFd) {
  auto* self = Nan::ObjectWrap::Unwrap<Channel>(info.Holder());
  info.GetReturnValue().Set(self->closed_ ? -1 : self->fd_);
}

}  // namespace deka
