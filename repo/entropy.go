package repo

import "math"

// Compression is tried only where it can pay: data whose bytes are
// spread as evenly as random bytes (encrypted or already compressed data,
// half of a phone's small files) gives zstd nothing to take, and trying
// cost most of the CPU of a backup of small files. A sample of the blob's
// bytes decides: its order-0 entropy above highEntropy bits per byte
// cannot save the 1/32 that Add asks of compression by coding bytes
// alone. (Long repeats inside one high-entropy blob would still have
// compressed; content-defined chunking and dedup take most of those.)
const (
	sampleRuns  = 16  // runs of sampled bytes, spread over the blob
	sampleRun   = 256 // bytes per run
	highEntropy = 7.8 // bits per byte; random bytes sample at about 7.95
)

// incompressible reports whether data looks random enough that zstd is
// not worth trying.
func incompressible(data []byte) bool {
	if len(data) < sampleRun {
		return false
	}
	var hist [256]int
	n := 0
	if len(data) <= sampleRuns*sampleRun {
		for _, b := range data {
			hist[b]++
		}
		n = len(data)
	} else {
		step := (len(data) - sampleRun) / (sampleRuns - 1)
		for i := range sampleRuns {
			for _, b := range data[i*step : i*step+sampleRun] {
				hist[b]++
			}
		}
		n = sampleRuns * sampleRun
	}
	// A small sample of random bytes holds each value only a few times,
	// which alone pulls its measured entropy under 8 bits: compare with
	// what n random bytes would give, less a margin. The entropy,
	// -sum (c/n) log2(c/n), is log2(n) - sum c log2(c) / n, from a table.
	var s float64
	for _, c := range hist {
		s += cLog2c[c]
	}
	h := math.Log2(float64(n)) - s/float64(n)
	return h > min(highEntropy, expectedRandom(n)-0.15)
}

// cLog2c[c] is c log2(c) for every count a sample can hold (0 for 0).
var cLog2c = func() *[sampleRuns*sampleRun + 1]float64 {
	var t [sampleRuns*sampleRun + 1]float64
	for c := 1; c < len(t); c++ {
		t[c] = float64(c) * math.Log2(float64(c))
	}
	return &t
}()

// expectedRandom approximates the order-0 entropy measured on n uniformly
// random bytes (the Miller-Madow bias: 255 / (2 n ln 2) bits under 8).
func expectedRandom(n int) float64 {
	return 8 - 255/(2*float64(n)*math.Ln2)
}
