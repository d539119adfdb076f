package repo

import "fmt"

// spillCache holds a few chunks of the spill file whole, for lookups
// that find blobs in the order they were stored: a backup without its
// file cache (a new machine, a cache deleted) finds every blob of its
// source again, in about the order the index lists them. A lookup that
// misses the cache reads its one record; a second miss in the same chunk
// reads the chunk whole (checked against its sum), so that lookups all
// over the file cost one small read each and lookups in order cost a
// chunk read each 4,096 records. A session's index files are written
// from whole chunks only (read's whole).
type spillCache struct {
	num      [spillCached]int64 // chunk held in buf, or -1
	buf      [spillCached][]byte
	next     int   // buf to use next
	lastMiss int64 // chunk of the last single-record read, or -1
}

const spillCached = 4

// reset empties the cache.
func (k *spillCache) reset() {
	for j := range k.num {
		k.num[j] = -1
	}
	k.lastMiss = -1
}

// read reads record i of a written chunk through the cache; whole reads
// its chunk whole if the cache does not hold it. Readers may call it at
// once.
func (s *spill) read(i uint32, r *blobRec, whole bool) bool {
	c := int64(i / recChunk)
	s.cmu.Lock()
	defer s.cmu.Unlock()
	k := &s.cache
	for j := range k.num {
		if k.num[j] == c {
			decodeRec(k.buf[j][int(i%recChunk)*recSize:], r)
			return true
		}
	}
	if k.lastMiss != c && !whole {
		k.lastMiss = c
		var b [recSize]byte
		if _, err := s.f.ReadAt(b[:], int64(i)*recSize); err != nil {
			s.fail(fmt.Errorf("read the index's spill file: %w", err))
			return false
		}
		decodeRec(b[:], r)
		return true
	}
	j := k.next
	k.next = (j + 1) % spillCached
	if len(k.buf[j]) == 0 {
		k.buf[j] = make([]byte, recChunk*recSize)
	}
	k.num[j] = -1
	if err := s.readRaw(uint32(c), k.buf[j]); err != nil {
		return false
	}
	k.num[j], k.lastMiss = c, -1
	decodeRec(k.buf[j][int(i%recChunk)*recSize:], r)
	return true
}
