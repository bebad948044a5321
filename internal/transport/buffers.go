package transport

import (
	"runtime"
	"sync"
	"time"
)

// Limits of what a BufferPool keeps between requests.
const (
	// maxPooledBuffer is the largest buffer kept: bigger ones (rare, huge
	// responses) are left to the garbage collector.
	maxPooledBuffer = 8 << 20
	// keptBuffers is how many buffers are kept across garbage collections
	// (one per concurrent pager is typical); more are kept in a sync.Pool,
	// which a collection empties.
	keptBuffers = 2
	// keptIdle is how long kept buffers outlive their last use.
	keptIdle = 30 * time.Second
)

// A BufferPool reuses byte slices for response bodies and their
// translations, so that reading and translating a large page costs no
// allocation (and no zeroing of fresh memory) once the pool is warm. It
// keeps at most keptBuffers buffers of at most maxPooledBuffer bytes until
// the first garbage collection after none has been used for keptIdle (the
// runtime collects at least every two minutes), and others until the next
// collection. The zero value is ready to use.
type BufferPool struct {
	mu       sync.Mutex
	kept     []*[]byte
	lastPut  time.Time
	trimming sync.Once
	p        sync.Pool
}

// bodyBuffers holds the buffers DoJSON reads CopyingDecoder bodies into.
var bodyBuffers BufferPool

// Get returns an empty buffer (its capacity from an earlier use, if any).
func (bp *BufferPool) Get() *[]byte {
	bp.mu.Lock()
	if n := len(bp.kept); n > 0 {
		b := bp.kept[n-1]
		bp.kept[n-1] = nil
		bp.kept = bp.kept[:n-1]
		bp.mu.Unlock()
		*b = (*b)[:0]
		return b
	}
	bp.mu.Unlock()
	if b, ok := bp.p.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

// Put returns a buffer for reuse; the caller must not use it, or anything
// sliced from it, afterwards.
func (bp *BufferPool) Put(b *[]byte) {
	if cap(*b) > maxPooledBuffer {
		return
	}
	bp.mu.Lock()
	defer bp.mu.Unlock()
	if len(bp.kept) >= keptBuffers {
		bp.p.Put(b)
		return
	}
	bp.kept = append(bp.kept, b)
	bp.lastPut = time.Now()
	bp.trimming.Do(func() { afterEveryGC(bp.trimIdle) })
}

// trimIdle drops the kept buffers when none has been returned for
// keptIdle.
func (bp *BufferPool) trimIdle() {
	bp.mu.Lock()
	defer bp.mu.Unlock()
	if len(bp.kept) > 0 && time.Since(bp.lastPut) >= keptIdle {
		clear(bp.kept)
		bp.kept = bp.kept[:0]
	}
}

// afterEveryGC calls f after every garbage collection, from the runtime's
// cleanup goroutine: an unreachable sentinel's cleanup runs f and arms the
// next sentinel. It uses no timer, so nothing runs while the process is
// idle beyond the collections the runtime makes anyway.
func afterEveryGC(f func()) {
	type sentinel struct{ _ [32]byte } // not a tiny allocation
	var arm func()
	arm = func() {
		runtime.AddCleanup(new(sentinel), func(struct{}) {
			f()
			arm()
		}, struct{}{})
	}
	arm()
}
