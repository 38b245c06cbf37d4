// Heap bytes that are not zero-filled: an encoding can reserve a generous upper bound, and
// only the pages it actually writes are committed.
#pragma once

#include <stdlib.h>

#include <utility>

namespace deka {

class Bytes {
 public:
  Bytes() = default;
  ~Bytes() { free(data_); }
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;

  bool Reserve(size_t n) {
    if (n <= capacity_) return true;
    // Grow at least twofold: a request that small frames keep joining is not copied per frame.
    if (n < capacity_ * 2) n = capacity_ * 2;
    char* grown = static_cast<char*>(realloc(data_, n));
    if (grown == nullptr) return false;
    data_ = grown;
    capacity_ = n;
    return true;
  }

  void Release() {
    free(data_);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

  void Swap(Bytes& other) {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  // Hands the memory (shrunk to size()) to the caller, who frees it with free().
  char* Detach() {
    char* data = data_;
    if (size_ < capacity_ && size_ > 0) {
      char* shrunk = static_cast<char*>(realloc(data_, size_));
      if (shrunk != nullptr) data = shrunk;
    }
    data_ = nullptr;
    size_ = capacity_ = 0;
    return data;
  }

  char* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  void set_size(size_t n) { size_ = n; }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace deka
