package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// serverEnvVar switches the test binary into serving mode: it starts the
// fake and the replay server, prints their addresses and serves until its
// standard input closes. BenchmarkList runs the servers that way, in a
// child process, so that the benchmark process's CPU time, allocations and
// garbage collection are the clients' alone.
const serverEnvVar = "O365_BENCH_SERVE"

// TestMain runs the tests and benchmarks, or serves when serverEnvVar is set.
func TestMain(m *testing.M) {
	if os.Getenv(serverEnvVar) == "1" {
		os.Exit(serve())
	}
	os.Exit(m.Run())
}

// serve is the child process: it prints one line
// "<fake URL> <replay URL> <want subject bytes> <page bytes>" and serves
// until stdin reaches EOF (the parent exited or closed it).
func serve() int {
	e, err := newEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench server:", err)
		return 1
	}
	fmt.Printf("%s %s %d %d\n", e.fake.URL(), e.replay.URL, e.wantSubjectBytes, e.pageBytes)
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// remote is the child process's servers, as seen from the benchmark.
type remote struct {
	fakeURL, replayURL string
	wantSubjectBytes   int
	pageBytes          int
}

var (
	remoteOnce sync.Once
	remoteVal  remote
	remoteErr  error
	// remoteStdin is the child's stdin; the child serves until it closes.
	remoteStdin io.WriteCloser
)

// startRemote starts the serving child once per process. It exits when
// this process does (its stdin is this process's pipe).
func startRemote(tb testing.TB) remote {
	tb.Helper()
	remoteOnce.Do(func() {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), serverEnvVar+"=1")
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			remoteErr = err
			return
		}
		remoteStdin = stdin // held (not collected and closed) for the life of this process
		out, err := cmd.StdoutPipe()
		if err != nil {
			remoteErr = err
			return
		}
		if err := cmd.Start(); err != nil {
			remoteErr = err
			return
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			remoteErr = fmt.Errorf("bench server: %w", err)
			return
		}
		var r remote
		if _, err := fmt.Sscan(strings.TrimSpace(line), &r.fakeURL, &r.replayURL, &r.wantSubjectBytes, &r.pageBytes); err != nil {
			remoteErr = fmt.Errorf("bench server said %q: %w", line, err)
			return
		}
		remoteVal = r
	})
	if remoteErr != nil {
		tb.Fatal(remoteErr)
	}
	return remoteVal
}
