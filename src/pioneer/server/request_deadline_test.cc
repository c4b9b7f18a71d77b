#include "pioneer/server/request_deadline.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace pioneer::server {
namespace {

using std::chrono::milliseconds;

// A listening socket on loopback and one accepted connection to it: the server side is what
// the watchdog watches, the client side is how the test sees a cut (end of stream).
class Connection {
 public:
  Connection() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listener_, 4), 0);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    client_ = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(connect(client_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    server_ = accept(listener_, nullptr, nullptr);
    EXPECT_GE(server_, 0);
    sockaddr_in local{};
    len = sizeof local;
    getsockname(client_, reinterpret_cast<sockaddr*>(&local), &len);
    client_port_ = ntohs(local.sin_port);
  }
  ~Connection() {
    close(client_);
    close(server_);
    close(listener_);
  }
  int port() const { return port_; }
  int client_port() const { return client_port_; }
  // True when the client sees the server side shut down within `wait`.
  bool CutWithin(milliseconds wait) {
    timeval tv{static_cast<time_t>(wait.count() / 1000),
               static_cast<suseconds_t>((wait.count() % 1000) * 1000)};
    setsockopt(client_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char c;
    return recv(client_, &c, 1, 0) == 0;
  }

 private:
  int listener_ = -1, client_ = -1, server_ = -1, port_ = 0, client_port_ = 0;
};

RequestDeadlines::Options Quick(int port) {
  RequestDeadlines::Options o;
  o.port = port;
  o.request_deadline = milliseconds(300);
  o.keep_alive = milliseconds(200);
  o.period = milliseconds(50);
  return o;
}

TEST(RequestDeadlinesTest, AConnectionWithoutAWholeRequestIsCut) {
  Connection c;
  RequestDeadlines d(Quick(c.port()));
  EXPECT_TRUE(c.CutWithin(milliseconds(3000)));
  EXPECT_EQ(d.cut(), 1);
}

TEST(RequestDeadlinesTest, AHandlerAtWorkIsNotCutAndTheNextRequestGetsItsOwnDeadline) {
  Connection c;
  RequestDeadlines d(Quick(c.port()));
  d.Busy("127.0.0.1", c.client_port());          // may come before the watchdog has seen it
  EXPECT_FALSE(c.CutWithin(milliseconds(900)));  // three deadlines long
  EXPECT_EQ(d.cut(), 0);
  d.Done("127.0.0.1", c.client_port());  // response written: keep-alive wait + a request
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.CutWithin(milliseconds(3000)));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, milliseconds(400));  // not before 500 ms
  EXPECT_EQ(d.cut(), 1);
}

TEST(RequestDeadlinesTest, OtherPortsAreNotWatched) {
  Connection c;
  RequestDeadlines::Options o = Quick(c.port() == 1 ? 2 : 1);  // another server's port
  RequestDeadlines d(o);
  EXPECT_FALSE(c.CutWithin(milliseconds(800)));
  EXPECT_EQ(d.cut(), 0);
}

}  // namespace
}  // namespace pioneer::server
