// RequestDeadlines: a whole-request deadline for the server's connections, against clients
// that trickle a request a byte at a time.
//
// cpp-httplib 0.11 times out each read and write on its own (--request-timeout), not a whole
// request, and gives no hook when it accepts a connection. So a client sending one byte just
// inside the timeout keeps a worker forever, and as many such clients as there are workers
// hold the server. This watchdog closes that gap from outside the library:
//   * it finds the server's connections itself: every `period` it lists the process's open
//     descriptors (/proc/self/fd), and a socket whose local port is the server's and that has
//     a peer is a connection (the listening socket has no peer; clients of other servers have
//     another local port). A connection is known by its socket inode, so a descriptor number
//     reused for a new connection is a new connection;
//   * a connection first seen gets the deadline `first seen + request_deadline` (as it is
//     seen up to one period late, the cut comes up to one period later);
//   * Busy(peer) -- called when a handler starts, so the request has been read whole, body
//     included -- lifts the deadline while the server works on it (handlers bound their own
//     work); Done(peer) -- called when the response has been written -- sets the next
//     deadline to `now + keep_alive + request_deadline`: the idle wait for the next request
//     on a kept-alive connection, then reading it. The peer (address and port as
//     cpp-httplib reports them) names the connection while it is open;
//   * a connection past its deadline is shut down (shutdown(2), both directions): the
//     worker's read or write fails at once and cpp-httplib closes the connection.
// A slow reader of a response is cut the same way: the response must be written and the next
// request read within the time after Done. Logs carry no identifiable data (a count only).
// Thread safety: Busy and Done may be called from any thread; Stop (or the destructor) joins
// the watchdog thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace pioneer::server {

class RequestDeadlines {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    int port = 0;                                       // the server's local port
    std::chrono::milliseconds request_deadline{10000};  // a whole request
    std::chrono::milliseconds keep_alive{5000};         // idle wait between requests
    std::chrono::milliseconds period{250};              // how often connections are checked
    std::function<void(int64_t)> on_cut;                // told how many were cut (optional)
  };

  // Starts the watchdog thread.
  explicit RequestDeadlines(Options options);
  ~RequestDeadlines();
  RequestDeadlines(const RequestDeadlines&) = delete;
  RequestDeadlines& operator=(const RequestDeadlines&) = delete;

  void Busy(std::string_view peer_address, int peer_port);
  void Done(std::string_view peer_address, int peer_port);
  void Stop();

  // Connections cut so far.
  int64_t cut() const;

 private:
  struct Connection {
    int fd = -1;
    std::string peer;  // "address port"
    Clock::time_point deadline;
    bool busy = false;
  };
  // What Busy or Done said of a connection the watchdog has not seen yet.
  struct Pending {
    Clock::time_point noted;
    bool busy = false;
    Clock::time_point deadline;
  };
  void Run();
  // Applies one listing of the process's sockets (inode, descriptor). REQUIRES: mu_ held.
  void Scan(Clock::time_point now, const std::vector<std::pair<uint64_t, int>>& sockets);

  Options options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<uint64_t, Connection> by_inode_;
  std::map<std::string, uint64_t> inode_of_peer_;
  std::map<std::string, Pending> pending_;
  int64_t cut_ = 0;
  std::thread thread_;
};

}  // namespace pioneer::server
