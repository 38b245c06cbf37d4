// The shared-memory ring as a transport (shm-ring.h), for two deka-ipc peers that agreed on
// it. The protocol of the switch, both ways:
//
// A side sends one last frame on the socket (the TypeScript layer's NODE_DEKA_SHM, or its
// answer NODE_DEKA_SHM_ACK) and calls shmWriteStart(); every byte it sends after that goes to
// the ring, behind whatever was still queued for the socket. The peer reads that frame in
// order, calls shmReadStart(), and from then on reads its bytes from the ring. After the
// switch the socket carries only one-byte signals: 'F' with a descriptor (SCM_RIGHTS) for the
// frame that follows it in the ring, and 'W' to wake the other side (the reader asleep in its
// loop, or the writer waiting for room). A side sends no 'F' or 'W' until the peer has
// switched to reading the ring (readerAttached): before that the peer would take the byte as
// part of a frame.
//
// And back, for good: a program that takes channel.fd may write frames of its own there, as
// Node's tests do. Its side sends 'E' after the last byte it put into the ring, and the rest
// of its bytes on the socket; the peer reads the ring to its end, then the socket again, and
// answers with its own 'E' (after which it sends no more signals either).
//
// A message still leaves when send() returns: its bytes are in memory the peer maps, and a
// peer asleep in its loop is woken at once. EOF and errors still come from the socket; they
// are reported once the ring is empty, so nothing written before a close is lost.
//
// Memory order: every atomic load and store of the mapping is in shm-ring.cc, each with the
// store or load it pairs with. What the ring's callers keep is the order of the calls they
// rely on: a carrier is sent and counted before its frame's bytes are published (SendCarrier,
// then Put); the reader loads the tail before it looks for carriers (stream-read.cc); a side
// publishes (Put, Get) before it looks whether the other sleeps (TakeReaderWaiting,
// TakeWriterWaiting), and announces its own sleep before it looks once more
// (Announce*Waiting).
#pragma once

#include <stdint.h>

#include "shm-ring.h"
#include "transport.h"

namespace deka {

class RingTransport : public Transport {
 public:
  // `rings` is ours from now on; `memfd` (the mapping we created and sent, or -1) too; `sock`
  // is the channel's socket, which carries the signals.
  RingTransport(SharedRings* rings, int memfd, int sock) : shm_(rings), memfd_(memfd), sock_(sock) {}
  ~RingTransport() override;
  SharedRings* rings() const { return shm_; }

  ssize_t WriteNow(const char* data, size_t length, int* fd) override;
  size_t WriteQueued(WriteQueue& queue, size_t count, int* err) override;
  bool WaitsForSocket(const WriteQueue& queue) const override;
  // At exit nobody else reads the peer's wake-ups: read and drop them, so the poll can wait
  // for the next one. False at EOF or on an error.
  bool BeforeExitWrite() override;
  short ExitWaitEvents() const override;

  // A 'W' to the peer, if it takes our socket bytes as signals: it reads the ring
  // (readerAttached) and `ours`, our bytes still go to the ring (after our 'E' they are
  // frames). 0, or the peer's EPIPE/ECONNRESET.
  int Wake(bool ours);
  // Our 'E': sent now (not -EAGAIN), or to be queued by the caller.
  ssize_t SendEnd();

  // What a run of the socket's bytes said after the switch.
  enum class Said { kSignals, kEnd, kNoSignal };
  // Counts the carriers; at 'E' stops with *after at the byte that follows it.
  Said TakeSignals(const char* bytes, size_t n, size_t* after);
  // The socket ended (0) or failed (-errno) while we read the ring.
  void SocketEnded(ssize_t n);
  bool FdsPending() const { return shm_->FdsPending(fdsReceived_); }
  // Whether a write found room freed while it announced its wait: a turn of the loop is due.
  bool TakeWantsTurn() {
    const bool wants = wantsTurn_;
    wantsTurn_ = false;
    return wants;
  }

  static constexpr char kCarrier = 'F';
  static constexpr char kWake = 'W';
  static constexpr char kEnd = 'E';

 private:
  int WakeReader();
  int SendCarrier(int fd);

  SharedRings* shm_;
  int memfd_;
  int sock_;
  uint64_t fdsReceived_ = 0;
  bool wantsTurn_ = false;
  int peerGone_ = 0;  // a signal met EPIPE/ECONNRESET: every later write fails so too
};

}  // namespace deka
