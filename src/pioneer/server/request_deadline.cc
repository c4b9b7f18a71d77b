#include "pioneer/server/request_deadline.h"

#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <utility>

namespace pioneer::server {

namespace {

std::string PeerKey(std::string_view address, int port) {
  return std::string(address) + " " + std::to_string(port);
}

int PortOf(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return -1;
}

// The peer of a connected socket of the server as cpp-httplib names it (numeric address and
// port), or "" when `fd` is not one (not a socket, another local port, or no peer).
std::string ServerPeerOf(int fd, int server_port) {
  sockaddr_storage local{};
  socklen_t len = sizeof local;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) return "";
  if (PortOf(local) != server_port) return "";
  sockaddr_storage peer{};
  len = sizeof peer;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return "";
  char host[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<sockaddr*>(&peer), len, host, sizeof host, nullptr, 0,
                  NI_NUMERICHOST) != 0) {
    return "";
  }
  return PeerKey(host, PortOf(peer));
}

}  // namespace

RequestDeadlines::RequestDeadlines(Options options) : options_(std::move(options)) {
  thread_ = std::thread([this] { Run(); });
}

RequestDeadlines::~RequestDeadlines() { Stop(); }

void RequestDeadlines::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t RequestDeadlines::cut() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cut_;
}

void RequestDeadlines::Busy(std::string_view peer_address, int peer_port) {
  const std::string key = PeerKey(peer_address, peer_port);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = inode_of_peer_.find(key);
  if (it == inode_of_peer_.end()) {
    // Not seen by the watchdog yet (younger than one period): remembered until it is.
    pending_[key] = {Clock::now(), true, {}};
    return;
  }
  by_inode_[it->second].busy = true;
}

void RequestDeadlines::Done(std::string_view peer_address, int peer_port) {
  const std::string key = PeerKey(peer_address, peer_port);
  const Clock::time_point now = Clock::now();
  const Clock::time_point next = now + options_.keep_alive + options_.request_deadline;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = inode_of_peer_.find(key);
  if (it == inode_of_peer_.end()) {
    pending_[key] = {now, false, next};
    return;
  }
  Connection& c = by_inode_[it->second];
  c.busy = false;
  c.deadline = next;
}

void RequestDeadlines::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.period, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    // Descriptors are listed without the lock; what is found is applied under it.
    std::vector<std::pair<uint64_t, int>> sockets;  // (inode, fd)
    if (DIR* d = opendir("/proc/self/fd")) {
      while (dirent* e = readdir(d)) {
        char* end = nullptr;
        const long fd = std::strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end != '\0') continue;
        struct stat st {};
        if (fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
        sockets.emplace_back(static_cast<uint64_t>(st.st_ino), static_cast<int>(fd));
      }
      closedir(d);
    }
    lock.lock();
    Scan(Clock::now(), sockets);
  }
}

void RequestDeadlines::Scan(Clock::time_point now,
                            const std::vector<std::pair<uint64_t, int>>& sockets) {
  std::set<uint64_t> open;
  for (const auto& [inode, fd] : sockets) {
    auto it = by_inode_.find(inode);
    if (it != by_inode_.end()) {
      open.insert(inode);
      it->second.fd = fd;
      continue;
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_ino) != inode) continue;  // reused
    const std::string peer = ServerPeerOf(fd, options_.port);
    if (peer.empty()) continue;  // the listening socket, or not the server's
    open.insert(inode);
    Connection c;
    c.fd = fd;
    c.peer = peer;
    c.deadline = now + options_.request_deadline;
    if (auto p = pending_.find(peer); p != pending_.end()) {
      c.busy = p->second.busy;
      if (!c.busy) c.deadline = p->second.deadline;
      pending_.erase(p);
    }
    inode_of_peer_[peer] = inode;
    by_inode_.emplace(inode, std::move(c));
  }
  int64_t cut_now = 0;
  for (auto it = by_inode_.begin(); it != by_inode_.end();) {
    if (!open.count(it->first)) {  // closed
      inode_of_peer_.erase(it->second.peer);
      it = by_inode_.erase(it);
      continue;
    }
    Connection& c = it->second;
    if (!c.busy && now >= c.deadline) {
      // The descriptor still names this socket (checked again just before: a number is
      // reused only after the connection it named was closed, which the next scan sees).
      struct stat st {};
      if (fstat(c.fd, &st) == 0 && static_cast<uint64_t>(st.st_ino) == it->first) {
        shutdown(c.fd, SHUT_RDWR);
        ++cut_now;
      }
      c.busy = true;  // cut once; the entry goes when the descriptor closes
    }
    ++it;
  }
  // Pending notes of connections that closed before they were seen.
  const auto stale = options_.period * 4;
  for (auto it = pending_.begin(); it != pending_.end();) {
    it = now - it->second.noted > stale ? pending_.erase(it) : std::next(it);
  }
  if (cut_now > 0) {
    cut_ += cut_now;
    if (options_.on_cut) options_.on_cut(cut_now);
  }
}

}  // namespace pioneer::server
