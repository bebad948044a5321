package office365test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
)

// PipeTransport is an http.RoundTripper that serves requests with a
// Server's handler (faults, auth check and mounted fakes included) in
// memory, over net.Pipe connections, with a real http.Transport and
// http.Server on either end: chunked streaming responses, flushes, dropped
// connections and cancellation behave as over TCP.
//
// It exists for tests under testing/synctest: there, real network I/O
// keeps the bubble's fake clock from advancing, while a net.Pipe blocks
// durably, so keep-alive intervals, watchdogs, backoffs and subscription
// lifetimes of minutes take no real time. Create the Server outside the
// bubble (its httptest listener does real I/O) and the PipeTransport
// inside it:
//
//	srv := office365test.NewServer()
//	defer srv.Close()
//	synctest.Test(t, func(t *testing.T) {
//		pt := office365test.NewPipeTransport(srv)
//		defer pt.Close()
//		client, _ := streaming.New(cred, office365.WithBaseURL(srv.URL()), office365.WithHTTPClient(pt.Client()))
//		…
//	})
//
// Close it before the bubble ends so no goroutine outlives it.
type PipeTransport struct {
	srv *Server
	tr  *http.Transport

	mu      sync.Mutex
	hs      *http.Server
	ln      *pipeListener
	serving sync.WaitGroup
	closed  bool
}

// NewPipeTransport returns a transport that reaches srv in memory.
func NewPipeTransport(srv *Server) *PipeTransport {
	t := &PipeTransport{srv: srv}
	t.tr = &http.Transport{
		DialContext:       t.dial,
		ForceAttemptHTTP2: false,
	}
	return t
}

// RoundTrip implements http.RoundTripper.
func (t *PipeTransport) RoundTrip(r *http.Request) (*http.Response, error) { return t.tr.RoundTrip(r) }

// Client returns an *http.Client (without Timeout) using the transport.
func (t *PipeTransport) Client() *http.Client { return &http.Client{Transport: t} }

// CloseIdleConnections closes idle client connections.
func (t *PipeTransport) CloseIdleConnections() { t.tr.CloseIdleConnections() }

// Close closes every connection, client and server side, and waits for the
// server loop to stop. Requests in flight fail.
func (t *PipeTransport) Close() error {
	t.mu.Lock()
	t.closed = true
	hs := t.hs
	t.mu.Unlock()
	t.tr.CloseIdleConnections()
	var err error
	if hs != nil {
		err = hs.Close()
	}
	t.serving.Wait()
	t.tr.CloseIdleConnections()
	return err
}

var errPipeClosed = errors.New("office365test: PipeTransport closed")

func (t *PipeTransport) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil, errPipeClosed
	}
	if t.hs == nil {
		t.ln = &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
		t.hs = &http.Server{Handler: http.HandlerFunc(t.srv.ServeInProcess), ErrorLog: log.New(io.Discard, "", 0)}
		hs, ln := t.hs, t.ln
		t.serving.Add(1)
		go func() {
			defer t.serving.Done()
			_ = hs.Serve(ln)
		}()
	}
	ln := t.ln
	t.mu.Unlock()
	client, server := net.Pipe()
	select {
	case ln.conns <- server:
		return client, nil
	case <-ln.done:
		client.Close()
		server.Close()
		return nil, errPipeClosed
	case <-ctx.Done():
		client.Close()
		server.Close()
		return nil, ctx.Err()
	}
}

// pipeListener hands the server ends of pipes to http.Server.Serve.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
