// The IPC channel at the fd level: one end of a socketpair polled on the libuv loop.
// It moves bytes (and later file descriptors, one per frame) and nothing else; framing,
// serialization and the protocol live in TypeScript.
#pragma once

#include <nan.h>
#include <uv.h>

#include <deque>
#include <string>

#include "bytes.h"
#include "read-pacing.h"
#include "shm-ring.h"

namespace deka {

// One queued write. The bytes are kept alive here until the kernel has taken all of them;
// `fd` travels with the first byte still to be sent, then is cleared.
struct WriteReq {
  Bytes owned;                         // bytes encoded from JS strings
  Nan::Persistent<v8::Object> buffer;  // or a JS Buffer we point into
  const char* data = nullptr;
  size_t length = 0;
  size_t offset = 0;
  int fd = -1;
  bool internal = false;  // ours (shm-channel.cc's 'E'), not a write JS waits on
};

class Channel : public Nan::ObjectWrap {
 public:
  static NAN_MODULE_INIT(Init);

 private:
  Channel(int fd, v8::Local<v8::Function> onread, v8::Local<v8::Function> onwrite);
  ~Channel() override;

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
  static NAN_METHOD(ShmCreate);
  static NAN_METHOD(ShmAttach);
  static NAN_METHOD(ShmReadStart);
  static NAN_METHOD(ShmWriteStart);
  static NAN_METHOD(ShmWriteStop);
  static NAN_METHOD(ShmSignals);
  static NAN_GETTER(GetWriteQueueSize);
  static NAN_GETTER(GetFd);

  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnClosed(uv_handle_t* handle);
  static void OnIdle(uv_idle_t* handle);

  WriteReq* TailFor(size_t bound, int fd);
  void Appended(WriteReq* tail, char* end);
  int Send(v8::Local<v8::Value> buffer, const char* data, size_t length, int fd);
  void UpdatePoll();
  // socketReadable: woken by the poll (else by the idle handle, for bytes left in the ring).
  void ReadSome(bool socketReadable = true);
  bool AwaitMore();
  template <typename Encode>
  int WriteEncoded(size_t bound, int fd, Encode encode);
  // Sends as much of the queue as the kernel accepts without blocking. Returns the number
  // of requests completed; sets *err to a negative errno on a hard failure.
  size_t SendQueued(int* err);
  // Writes what the queue holds as far as the socket and the ring take it, and reports it.
  void WriteQueued(bool writable);

  // The shared-memory transport (shm-channel.cc).
  bool RingBound() const { return shmOut_ && socketReqs_ == 0; }
  void SetupShm(SharedRings* rings);
  ssize_t PutNow(const char* data, size_t length, int* fd);
  size_t FlushRing(int* err);
  int SendCarrier(int fd);
  int Signal(char byte);
  int WakeReader();
  void EndShmOut();
  void TakeSignals(const char* bytes, size_t n);
  bool ReadShm(int64_t wakeupEnd, size_t readSize, bool socketReadable);
  bool DrainSignals();
  bool DiscardSignals();
  void StartIdle();
  void StopIdle();
  void FinishWrites(size_t count, int status);
  void DropQueue();
  void EmitRead(v8::Local<v8::Value> chunk, int fd, int status);
  // The peer's bytes are over (EOF or an error): stop reading and report `status` once.
  void EndReading(int status);
  // The thread's read buffer, and its first n bytes emitted as a chunk.
  char* ReadAreaData();
  void EmitBytes(size_t n, int fd, int status);
  void DoClose();

  uv_poll_t poll_;
  int fd_;
  bool reading_ = false;
  bool readAll_ = false;      // readPending(): no budget, no spin
  bool closed_ = false;
  int poll_events_ = 0;
  SpinPolicy spin_;
  std::deque<WriteReq*> queue_;
  size_t queued_bytes_ = 0;
  Nan::Callback onread_;
  Nan::Callback onwrite_;
  Nan::AsyncResource* async_;  // deleted in OnClosed, never from a GC (see there)
  int closesPending_ = 0;      // handles still closing (OnClosed)

  // Shared-memory transport, once the peers switched to it (see shm-channel.cc).
  SharedRings* shm_ = nullptr;
  int shmFd_ = -1;          // the memfd we created and sent; open until close
  bool shmIn_ = false;      // incoming bytes come from the ring; the socket's are signals
  bool shmOut_ = false;     // outgoing bytes go to the ring, after socketReqs_ requests
  size_t socketReqs_ = 0;   // requests queued before the switch: they still go to the socket
  uint64_t fdsReceived_ = 0;
  int shmEnd_ = 0;          // the socket's EOF or error, reported once the ring is drained
  bool shmResumed_ = false; // the peer's 'E' came: its bytes follow on the socket
  std::string resumeBytes_; // bytes read along with the peer's 'E': the first of those
  int peerGone_ = 0;        // a signal met EPIPE/ECONNRESET: every later write fails so too

  uv_idle_t idle_;          // runs the loop's turns while the ring holds unread bytes
  bool idleActive_ = false;
};

}  // namespace deka
