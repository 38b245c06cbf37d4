// The stream's read loop: the socket's, and the ring's with the socket's signals beside it.
#include <errno.h>
#include <node_buffer.h>
#include <string.h>

#include "stream.h"

namespace deka {

namespace {

// Reads go into one buffer per thread (each loop is single-threaded; worker threads and
// loader-hook threads have loops of their own), handed to JS as a view: no allocation and
// no copy per read. The view is only valid during the callback; decoders copy what they
// keep. The buffer lives as long as the thread's isolate may read (never freed).
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

// Signals read per pass; a peer sending nothing but signals cannot hold a turn beyond it.
constexpr int kSignalReads = 16;

}  // namespace

char* Stream::ReadAreaData() { return ReadBuffer(v8::Isolate::GetCurrent()).data; }

void Stream::EmitBytes(size_t n, int fd, int status) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::Object> chunk =
      node::Buffer::New(isolate, ReadBuffer(isolate).arrayBuffer.Get(isolate), 0, n).ToLocalChecked();
  EmitRead(chunk, fd, status);
}

void Stream::EmitTimed(size_t n, int fd, int status) {
  const int64_t start = NowNs();
  EmitBytes(n, fd, status);
  sizer_.Took(n, NowNs() - start);
}

void Stream::EmitRead(v8::Local<v8::Value> chunk, int fd, int status) {
  if (onread_.IsEmpty()) return;  // closed
  v8::Local<v8::Value> argv[] = {chunk, Nan::New(fd), Nan::New(status)};
  onread_.Call(handle(), 3, argv, async_);
}

void Stream::EndReading(int status) {
  reading_ = false;
  StopIdle();
  UpdatePoll();
  EmitRead(Nan::Undefined(), -1, status);
}

// Whatever was just delivered may have been answered already (its reply sent from the
// callback); the next message is often microseconds away. Waiting for it briefly here can
// be far cheaper than going to sleep in the loop and being woken again (read-pacing.h).
bool Stream::AwaitMore() {
  if (!reading_ || closed_) return false;
  if (in_ != In::kSocket) return spin_.AwaitMore([this] { return ring_->rings()->HasData(); }, true);
  return spin_.AwaitMore([this] { return socket_.Readable(); }, false);
}

void Stream::ReadSome(bool socketReadable) {
  // readPending(): to the end of what is there, without a budget and without spinning.
  const int64_t wakeupEnd = readAll_ ? INT64_MAX : TurnEnd();
  // Woken after the turn's budget is spent (other channels had it): one small read, its share.
  const size_t cap = NowNs() >= wakeupEnd ? kShareReadSize : kReadSize;
  int reads = 0;
  while (reading_ && !closed_) {
    // From the start, or from the frame just delivered (the peer's switch).
    if (in_ != In::kSocket && !ReadRing(wakeupEnd, cap, socketReadable)) return;
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
    ssize_t n = socket_.Receive(ReadAreaData(), sizer_.Next(cap), &fd, &truncated);
    if (n == -EAGAIN) {
      if (readAll_ || NowNs() >= wakeupEnd || !AwaitMore()) return;
      reads = 0;
      continue;
    }
    if (n <= 0) {
      EndReading(n == 0 ? UV_EOF : static_cast<int>(n));
      return;
    }
    EmitTimed(static_cast<size_t>(n), fd, truncated ? UV_ENOBUFS : 0);
    // The poll is level-triggered: what is left is read on the loop's next turn.
    if (!readAll_ && (++reads >= kReadsPerWakeup || NowNs() >= wakeupEnd)) return;
  }
}

// Reads the socket's signals: delivers descriptors, notes EOF or an error for later.
bool Stream::DrainSignals() {
  char bytes[256];
  for (int i = 0; i < kSignalReads && in_ == In::kRing; i++) {
    int fd = -1;
    bool truncated = false;
    ssize_t n = socket_.Receive(bytes, sizeof(bytes), &fd, &truncated);
    if (n == -EAGAIN) break;
    if (n <= 0) {
      in_ = In::kRingThenEnd;
      inEnd_ = n == 0 ? UV_EOF : static_cast<int>(n);
      ring_->SocketEnded(n);
      break;
    }
    TakeSignals(bytes, static_cast<size_t>(n));
    if (fd >= 0 || truncated) {
      // Ahead of the frame it belongs to, as on the socket: the decoder keeps it for that frame.
      EmitBytes(0, fd, truncated ? UV_ENOBUFS : 0);
      if (closed_) return false;
    }
  }
  return true;
}

bool Stream::ReadRing(int64_t wakeupEnd, size_t cap, bool socketReadable) {
  // Signals and EOF make the socket readable: the idle handle's turns need not look (a
  // system call saved per turn), unless a descriptor is due.
  bool checkSocket = socketReadable;
  int reads = 0;
  while (reading_ && !closed_) {
    // The tail first, then the carriers: one counted for a frame below this tail is in the
    // socket now, and is received before the frame's bytes are delivered. (Checked before
    // the tail, a carrier counted in between was missed: its frame came without it.)
    const uint64_t published = ring_->rings()->Published();
    if (checkSocket || ring_->FdsPending()) {
      checkSocket = false;
      if (!DrainSignals()) return false;
    }
    ssize_t n = ring_->rings()->Get(ReadAreaData(), sizer_.Next(cap), published);
    if (n < 0) {
      // The peer wrote impossible indices into the mapping: nothing after can be trusted.
      EndReading(kProtocolError);
      return false;
    }
    if (n > 0) {
      WakeWriter();
      EmitTimed(static_cast<size_t>(n), -1, 0);
      if (!readAll_ && (++reads >= kReadsPerWakeup || NowNs() >= wakeupEnd)) {
        StartIdle();  // the rest on the loop's next turn, as a level-triggered poll would
        return false;
      }
      continue;
    }
    if (in_ == In::kRingThenSocket) {
      // The ring is read to the peer's 'E': the socket again, for good.
      in_ = In::kSocket;
      StopIdle();
      return true;
    }
    if (in_ == In::kRingThenEnd) {
      // Everything the peer published before its end (or a byte that is no signal) has been
      // delivered.
      EndReading(inEnd_);
      return false;
    }
    if (!readAll_ && NowNs() < wakeupEnd && AwaitMore()) {
      reads = 0;
      continue;
    }
    if (ring_->rings()->AnnounceReaderWaiting()) continue;  // bytes came while we announced the sleep
    StopIdle();
    return false;  // asleep on the socket: the writer's 'W' wakes us
  }
  return false;
}

}  // namespace deka
