// The peer of bench/server_bench.sh and bench/soak.sh: cpp-httplib with the thread pool and
// keep-alive settings of `pioneer serve` (server.cc), answering every GET with a fixed JSON
// body the size of a one-patient FHIR searchset, with no authentication, IG gate, store or
// audit. Prints `listening on http://127.0.0.1:PORT` once bound; stops on SIGTERM/SIGINT.
//
//   pioneer_bare_httplib [PORT] [THREADS]
#include <httplib.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 8;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  httplib::Server svr;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(1000);
  svr.set_keep_alive_timeout(5);
  // About the size of a searchset Bundle holding one Patient.
  std::string body = R"({"resourceType":"Bundle","type":"searchset","total":1,"entry":[{)"
                     R"("fullUrl":"Patient/1","resource":{"resourceType":"Patient","id":"1",)"
                     R"("identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number",)"
                     R"("value":"9434765919"}],"name":[{"family":"Example","given":["Pat"]}],)"
                     R"("gender":"female","birthDate":"1940-05-17"}}]})";
  svr.Get(".*", [&body](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/fhir+json");
  });
  const int bound = port == 0 ? svr.bind_to_any_port("127.0.0.1")
                              : (svr.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound <= 0) {
    std::fprintf(stderr, "bare_httplib: cannot listen\n");
    return 2;
  }
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    svr.stop();
  });
  std::printf("listening on http://127.0.0.1:%d\n", bound);
  std::fflush(stdout);
  svr.listen_after_bind();
  stopper.join();
  return 0;
}
