// The channel's stream, after libuv's stream.c: it owns the write queue and the read loop,
// reports completions to JS, and hands the bytes to a transport (transport.h) chosen by one
// state value per direction. One end of a socketpair polled on the libuv loop; it moves bytes
// and descriptors and nothing else (framing and the protocol live in TypeScript).
#pragma once

#include <nan.h>
#include <uv.h>

#include <memory>
#include <string>

#include "contract.h"
#include "read-pacing.h"
#include "ring-transport.h"
#include "socket-transport.h"

namespace deka {

class Stream : public Nan::ObjectWrap {
 public:
  // Where our bytes go: the socket; the socket for the requests queued before the switch
  // (ahead_ of them), then the ring; the ring.
  enum class Out { kSocket, kSocketThenRing, kRing };
  // Where the peer's bytes come from: the socket; the ring; the ring to its end, then the
  // socket again (the peer's 'E'); the ring to its end, then the socket's end (inEnd_).
  enum class In { kSocket, kRing, kRingThenSocket, kRingThenEnd };

 protected:
  Stream(int fd, v8::Local<v8::Function> onread, v8::Local<v8::Function> onwrite);
  ~Stream() override;
  // Polls the socket; a libuv error (the caller still owns the fd then) or 0.
  int Open();

  bool closed() const { return closed_; }
  int fd() const { return socket_.fd(); }
  size_t queuedBytes() const { return queue_.bytes; }
  bool queueEmpty() const { return queue_.empty(); }

  void ReadStart();
  void ReadStop();
  void ReadPending();
  void SetRef(bool ref);
  // The writes whose completions were held back (pacing): they are written.
  size_t Close();

  // The writes: contract.h's kWritten, kQueued, kAppended or kWrittenBehind, or -errno; kUseJs (contract.h)
  // and kNoMemory from encoders (see there).
  static constexpr int kNoMemory = -0x10000;
  // `buffer` (a JS Buffer holding data..data+length) or, when empty, the scratch bytes.
  int Send(v8::Local<v8::Value> buffer, const char* data, size_t length, int fd);
  // After kWrittenBehind, for a write JS waits on: its completion comes once the reader caught up.
  void HoldCompletion();
  // A frame of at most `bound` bytes written by encode(out) → its end (nullptr: left to JS).
  template <typename Encode>
  int WriteEncoded(size_t bound, int fd, Encode encode);
  // Behind a queue, the last request with room reserved for a frame of `bound` bytes to join
  // it, or nullptr; Appended() after writing there.
  WriteReq* TailFor(size_t bound, int fd);
  void Appended(WriteReq* tail, char* end);
  static Bytes& Scratch();

  // The exit flush (flushSync): writes what the transports take now, drops the queue when
  // the peer is gone; the events to poll the socket for while it waits.
  void FlushAtExit();
  short ExitWaitEvents() { return Writer().ExitWaitEvents(); }

  // The rings (ring-transport.h) and the switches.
  bool HasRings() const { return ring_ != nullptr; }
  void SetupRings(SharedRings* rings, int memfd);
  void RingReadStart();
  void RingWriteStart();
  void RingWriteStop();
  bool readsRing() const { return in_ != In::kSocket; }
  bool writesRing() const { return out_ != Out::kSocket; }
  void TakeSignals(const char* bytes, size_t n);

 private:
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnIdle(uv_idle_t* handle);
  static void OnClosed(uv_handle_t* handle);

  Transport& Writer();
  // Writes the queue as far as the transports take it (the socket only when writable);
  // returns the requests JS counts; *err a negative errno on a hard failure.
  size_t Flush(bool socketWritable, bool atExit, int* err);
  // Writes and reports it.
  void WriteQueued(bool socketWritable);
  void UpdatePoll();
  void StartIdle();
  void StopIdle();
  void FinishWrites(size_t count, int status);
  void WakeWriter();
  // Pacing (see stream.cc): whether completions wait for the reader, and reporting them.
  bool Paces() const;
  void Complete(size_t count);
  void DropQueue();

  // The read loop (stream-read.cc). socketReadable: woken by the poll (else by the idle
  // handle, for bytes left in the ring).
  void ReadSome(bool socketReadable = true);
  // ReadSome on the ring; true when the peer's bytes continue on the socket.
  bool ReadRing(int64_t wakeupEnd, size_t cap, bool socketReadable);
  // The socket's signals while we read the ring; false when a callback closed the channel.
  bool DrainSignals();
  bool AwaitMore();
  // The peer's bytes are over (EOF or an error): stop reading and report `status` once.
  void EndReading(int status);
  void EmitRead(v8::Local<v8::Value> chunk, int fd, int status);
  // The thread's read buffer, and its first n bytes emitted as a chunk.
  static char* ReadAreaData();
  void EmitBytes(size_t n, int fd, int status);
  // EmitBytes, timed for the next read's size.
  void EmitTimed(size_t n, int fd, int status);

  uv_poll_t poll_;
  SocketTransport socket_;
  bool reading_ = false;
  bool readAll_ = false;  // readPending(): no budget, no spin
  bool closed_ = false;
  int pollEvents_ = 0;
  SpinPolicy spin_;
  ReadSizer sizer_;
  WriteQueue queue_;
  Nan::Callback onread_;
  Nan::Callback onwrite_;
  Nan::AsyncResource* async_;  // deleted in OnClosed, never from a GC (see there)
  int closesPending_ = 0;      // handles still closing (OnClosed)

  std::unique_ptr<RingTransport> ring_;  // once rings are shared (shmCreate/shmAttach)
  Out out_ = Out::kSocket;
  size_t ahead_ = 0;         // Out::kSocketThenRing: requests still for the socket
  In in_ = In::kSocket;
  int inEnd_ = 0;            // In::kRingThenEnd: the socket's EOF or error (or a byte that is no signal)
  std::string resumeBytes_;  // In::kRingThenSocket: the peer's bytes read along with its 'E'
  uv_idle_t idle_;           // runs the loop's turns while the ring holds unread bytes
  bool idleActive_ = false;
  size_t withheld_ = 0;    // writes in the ring whose completion waits for the reader (pacing)
  size_t paceFrame_ = 0;  // the size of the last of them
};

template <typename Encode>
int Stream::WriteEncoded(size_t bound, int fd, Encode encode) {
  if (WriteReq* tail = TailFor(bound, fd)) {
    char* end = encode(tail->owned.data() + tail->owned.size());
    if (end == nullptr) return kUseJs;
    Appended(tail, end);
    return kAppended;
  }
  Bytes& scratch = Scratch();
  if (!scratch.Reserve(bound > 0 ? bound : 1)) return kNoMemory;
  char* end = encode(scratch.data());
  if (end == nullptr) return kUseJs;
  scratch.set_size(end - scratch.data());
  return Send(v8::Local<v8::Value>(), scratch.data(), scratch.size(), fd);
}

}  // namespace deka
