#pragma once
// The open lists of the route searches (core/routing.cpp), apart so that tests can hold them against a
// plain heap.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "core/grid.hpp"

namespace pocsim::core {

struct OpenEntry {
  double estimate;  // paid + heuristic
  double paid;
  CellIndex cell;
};
// Lowest estimate first; among equals the one nearer the target (more already paid), then the lower cell.
// A strict total order (a cell is queued again only at a lower cost), so the order entries leave the
// queue in does not depend on how the queue is built.
inline bool expanded_before(const OpenEntry& a, const OpenEntry& b) {
  if (a.estimate != b.estimate) return a.estimate < b.estimate;
  if (a.paid != b.paid) return a.paid > b.paid;
  return a.cell < b.cell;
}
// For the std heap algorithms, whose top is the greatest: a function object, so comparisons inline.
struct ExpandedLater {
  bool operator()(const OpenEntry& a, const OpenEntry& b) const { return expanded_before(b, a); }
};

// A binary heap ordered by expanded_before (Dijkstra's open list: cost_to_go).
class OpenQueue {
 public:
  [[nodiscard]] bool empty() const { return heap_.empty(); }
  void push(const OpenEntry& e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), ExpandedLater{});
  }
  OpenEntry pop() {
    std::pop_heap(heap_.begin(), heap_.end(), ExpandedLater{});
    const OpenEntry top = heap_.back();
    heap_.pop_back();
    return top;
  }

 private:
  std::vector<OpenEntry> heap_;
};

// The open list of A*: entries leave in exactly the order a heap ordered by expanded_before gives, so
// searches return the same paths, but faster. Entries wait unordered in buckets of estimates `width`
// wide, and only the bucket being taken from is a heap: a few hundred entries that stay in cache, where
// one heap of the whole frontier (tens of thousands of entries on a national map) missed the cache at
// every level. Every entry of a later bucket has a higher estimate than every entry of the current one,
// so the current heap's top is the least of all. An entry whose estimate falls below the current bucket
// (a heuristic is consistent only up to rounding) joins the current bucket, still below all later ones.
// The last bucket holds everything beyond the others until it is reached; then its entries are spread
// again from the lowest of them.
class BucketQueue {
 public:
  void reset(double origin, double width) {
    for (std::size_t b = current_; b <= highest_; ++b) retire(b);
    origin_ = origin;
    width_ = width;
    current_ = 0;
    highest_ = 0;
    size_ = 0;
  }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  void push(const OpenEntry& e) {
    const std::size_t b = std::max(bucket_of(e.estimate), current_);
    place(b, e);
    if (b == current_) std::push_heap(buckets_[b].begin(), buckets_[b].end(), ExpandedLater{});
    ++size_;
  }
  OpenEntry pop() {
    while (buckets_[current_].empty()) {
      retire(current_);
      ++current_;
      if (current_ == count - 1) spread_last();
      std::make_heap(buckets_[current_].begin(), buckets_[current_].end(), ExpandedLater{});
    }
    std::vector<OpenEntry>& heap = buckets_[current_];
    std::pop_heap(heap.begin(), heap.end(), ExpandedLater{});
    const OpenEntry top = heap.back();
    heap.pop_back();
    --size_;
    return top;
  }

 private:
  static constexpr std::size_t count = 4096;
  [[nodiscard]] std::size_t bucket_of(double estimate) const {
    const double b = std::floor((estimate - origin_) / width_);  // monotone in the estimate
    return b <= 0 ? 0 : b >= static_cast<double>(count - 1) ? count - 1 : static_cast<std::size_t>(b);
  }
  // A bucket done with is freed, so the queue holds about as much as the entries waiting, not every
  // entry the search ever queued (clear() would keep its storage).
  void retire(std::size_t b) { std::vector<OpenEntry>().swap(buckets_[b]); }
  // The last bucket is reached: its entries start a fresh range of buckets from the lowest of them.
  void spread_last() {
    std::vector<OpenEntry> waiting;
    waiting.swap(buckets_[count - 1]);
    double lowest = std::numeric_limits<double>::infinity();
    for (const OpenEntry& e : waiting) lowest = std::min(lowest, e.estimate);
    origin_ = lowest;
    current_ = 0;
    highest_ = 0;
    for (const OpenEntry& e : waiting) place(bucket_of(e.estimate), e);
  }
  void place(std::size_t b, const OpenEntry& e) {
    highest_ = std::max(highest_, b);
    buckets_[b].push_back(e);
  }
  std::vector<std::vector<OpenEntry>> buckets_ = std::vector<std::vector<OpenEntry>>(count);
  double origin_ = 0;
  double width_ = 1;
  std::size_t current_ = 0;
  std::size_t highest_ = 0;
  std::size_t size_ = 0;
};

}  // namespace pocsim::core
