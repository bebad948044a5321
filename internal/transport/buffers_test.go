package transport

import (
	"runtime"
	"testing"
	"time"
)

func TestBufferPoolReusesKeptBuffers(t *testing.T) {
	var bp BufferPool
	b := bp.Get()
	*b = append(*b, make([]byte, 1<<20)...)
	bp.Put(b)
	// Kept buffers survive garbage collections (a sync.Pool's would not).
	for range 3 {
		runtime.GC()
	}
	got := bp.Get()
	if got != b || len(*got) != 0 || cap(*got) < 1<<20 {
		t.Fatalf("Get after Put: same=%v len=%d cap=%d; want the kept, emptied buffer", got == b, len(*got), cap(*got))
	}
}

func TestBufferPoolKeepsNoHugeBuffers(t *testing.T) {
	var bp BufferPool
	huge := make([]byte, 0, maxPooledBuffer+1)
	bp.Put(&huge)
	if got := bp.Get(); cap(*got) > maxPooledBuffer {
		t.Fatalf("a %d-byte buffer was kept (limit %d)", cap(*got), maxPooledBuffer)
	}
}

func TestBufferPoolKeepsAtMostTwoBuffersForGood(t *testing.T) {
	var bp BufferPool
	bufs := []*[]byte{bp.Get(), bp.Get(), bp.Get()}
	for _, b := range bufs {
		bp.Put(b)
	}
	if len(bp.kept) != keptBuffers {
		t.Fatalf("kept %d buffers, want %d", len(bp.kept), keptBuffers)
	}
}

func TestBufferPoolDropsBuffersWhenIdle(t *testing.T) {
	var bp BufferPool
	bp.Put(bp.Get())
	kept := func() int {
		bp.mu.Lock()
		defer bp.mu.Unlock()
		return len(bp.kept)
	}
	// Used just now: collections keep it.
	runtime.GC()
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if n := kept(); n != 1 {
		t.Fatalf("%d buffers kept right after a use; want 1", n)
	}
	bp.mu.Lock()
	bp.lastPut = time.Now().Add(-keptIdle)
	bp.mu.Unlock()
	for deadline := time.Now().Add(5 * time.Second); kept() != 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d buffers still kept after %v idle and collections; want 0", kept(), keptIdle)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
