package streaming

import (
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHeapStaysFlatWhileStreaming pushes a long stream through an io.Pipe
// and checks that the decoder's memory does not grow with it: 64 MB by
// default, 1 GB with O365_LONG=1.
func TestHeapStaysFlatWhileStreaming(t *testing.T) {
	size := int64(64 << 20)
	if os.Getenv("O365_LONG") == "1" {
		size = 1 << 30
	}

	// Nine rich notifications and a keep-alive, each with its leading comma.
	var block strings.Builder
	for i := range 10 {
		block.WriteByte(',')
		if i == 9 {
			block.WriteString(wireKeepAlive)
		} else {
			block.WriteString(richNotification(i + 1))
		}
	}
	blockBytes := []byte(block.String())
	blocks := size / int64(len(blockBytes))

	pr, pw := io.Pipe()
	defer pr.Close()
	go func() {
		write := func(b []byte) bool {
			_, err := pw.Write(b)
			return err == nil
		}
		if !write([]byte(wirePreamble + wireKeepAlive)) {
			return
		}
		for range blocks {
			if !write(blockBytes) {
				return
			}
		}
		write([]byte("]}"))
		pw.Close()
	}()

	var base, m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	start := time.Now()
	d := NewDecoder(pr)
	var objects, notifications int64
	var peak uint64
	for {
		n, err := d.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		objects++
		if !n.IsKeepAlive() {
			notifications++
		}
		if objects%4096 == 0 {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&m)
	allocated := m.TotalAlloc - base.TotalAlloc
	mallocs := m.Mallocs - base.Mallocs
	runtime.GC()
	runtime.ReadMemStats(&m)
	streamed := blocks*int64(len(blockBytes)) + int64(len(wirePreamble+wireKeepAlive)) + 2

	require.Equal(t, blocks*10+1, objects)
	t.Logf("streamed %d MB in %v (%.0f MB/s): %d objects, peak HeapInuse +%.1f MiB, retained after GC %+.2f MiB, "+
		"TotalAlloc +%.1f MiB (%.3f bytes per byte streamed), %.3f allocs per notification",
		streamed>>20, elapsed.Round(time.Millisecond), float64(streamed)/1e6/elapsed.Seconds(), objects,
		float64(int64(peak)-int64(base.HeapInuse))/(1<<20), float64(int64(m.HeapInuse)-int64(base.HeapInuse))/(1<<20),
		float64(allocated)/(1<<20), float64(allocated)/float64(streamed), float64(mallocs)/float64(notifications))

	// Nothing accumulates: what is left after a GC is the decoder itself.
	assert.Less(t, int64(m.HeapInuse)-int64(base.HeapInuse), int64(2<<20), "heap retained after streaming")
	// The heap between collections stays small, independent of the length.
	assert.Less(t, int64(peak)-int64(base.HeapInuse), int64(32<<20), "peak heap while streaming")
	// Only the notification strings are allocated: a small fraction of the
	// bytes streamed (a decoder copying each object would allocate more than
	// the stream itself).
	assert.Less(t, float64(allocated), float64(streamed)/5, "bytes allocated while streaming")
}
