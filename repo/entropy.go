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
//
// A first look at a quarter of the sample (the first quarter of each run)
// settles nearly every blob for a quarter of the cost: random bytes
// measure within about 0.02 bits of what 1,024 random bytes give, text
// and other compressible data far under it. Only a blob in between is
// sampled in full and judged by the full sample, as if the first look had
// not been taken.
func incompressible(data []byte) bool {
	if len(data) < sampleRun {
		return false
	}
	h, n := sampleEntropy(data, sampleRun/4)
	if n < sampleRuns*sampleRun/4 {
		return judge(h, n) // the whole blob was counted
	}
	switch {
	case h > expectedRandom(n)-glanceMargin:
		return true
	case h < glanceCompressible:
		return false
	}
	return judge(sampleEntropy(data, sampleRun))
}

const (
	// glanceMargin is about three standard deviations of the entropy
	// measured on 1,024 random bytes: about one random blob in a thousand
	// is sampled in full.
	glanceMargin = 0.05
	// glanceCompressible: data measuring under it over 1,024 bytes is
	// far from highEntropy, and the full sample would not skip it.
	glanceCompressible = 7.5
)

// judge is the rule on a sample of n bytes of entropy h.
func judge(h float64, n int) bool {
	return h > min(highEntropy, expectedRandom(n)-0.15)
}

// sampleEntropy returns the order-0 entropy, in bits per byte, of
// sampleRuns runs of run bytes spread over data (of all of data if that is
// no longer), and how many bytes it counted. The runs start where the
// full sample's do, so a shorter run counts the start of each of those.
func sampleEntropy(data []byte, run int) (float64, int) {
	var hist [256]int
	n := 0
	if len(data) <= sampleRuns*run {
		for _, b := range data {
			hist[b]++
		}
		n = len(data)
	} else {
		step := (len(data) - sampleRun) / (sampleRuns - 1)
		for i := range sampleRuns {
			for _, b := range data[i*step : i*step+run] {
				hist[b]++
			}
		}
		n = sampleRuns * run
	}
	// A small sample of random bytes holds each value only a few times,
	// which alone pulls its measured entropy under 8 bits: judge compares
	// with what n random bytes would give, less a margin. The entropy,
	// -sum (c/n) log2(c/n), is log2(n) - sum c log2(c) / n, from a table.
	var s float64
	for _, c := range hist {
		s += cLog2c[c]
	}
	return math.Log2(float64(n)) - s/float64(n), n
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
