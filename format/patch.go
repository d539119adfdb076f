package format

import "io"

// A patch puts back the volatile lines of a vCard or iCalendar file (REV,
// DTSTAMP, PRODID...) that backup keeps out of its record blobs, so that a
// sync that only touched those lines does not store every record again.
//
// A file with a patch is stored as its stable bytes (the content ref) plus
// a list of inserts: insert i puts Data after Delta more stable bytes than
// insert i-1 did (the first counts from the start). Patch blobs hold runs
// of inserts: 0x01, uvarint count, then per insert uvarint Delta and
// uvarint length + bytes.

// Insert is one run of bytes put back into the stable bytes.
type Insert struct {
	Delta uint64
	Data  []byte
}

const patchVersion = 1

// EncodePatch encodes one patch blob.
func EncodePatch(ins []Insert) []byte {
	var e encoder
	e.byte(patchVersion)
	e.uvarint(uint64(len(ins)))
	for _, in := range ins {
		e.uvarint(in.Delta)
		e.bytes(in.Data)
	}
	return e.b
}

// DecodePatch decodes one patch blob.
func DecodePatch(b []byte) ([]Insert, error) {
	d := decoder{b: b}
	if v := d.byte(); d.err == nil && v != patchVersion {
		return nil, corrupt("unknown patch version")
	}
	n := d.count(2)
	ins := make([]Insert, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		delta := d.uvarint()
		data := d.bytes(MaxBlobSize)
		if d.err == nil && len(data) == 0 {
			d.fail("empty insert")
		}
		ins = append(ins, Insert{Delta: delta, Data: data})
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	return ins, nil
}

// PatchWriter writes stable bytes to W with the inserts put back.
type PatchWriter struct {
	W    io.Writer
	Ins  []Insert
	left uint64 // stable bytes until the next insert
	init bool
}

// Write writes stable bytes, inserting where the patch says.
func (p *PatchWriter) Write(b []byte) (int, error) {
	n := len(b)
	p.start()
	for len(p.Ins) > 0 && uint64(len(b)) >= p.left {
		if _, err := p.W.Write(b[:p.left]); err != nil {
			return 0, err
		}
		b = b[p.left:]
		if _, err := p.W.Write(p.Ins[0].Data); err != nil {
			return 0, err
		}
		p.Ins = p.Ins[1:]
		if len(p.Ins) > 0 {
			p.left = p.Ins[0].Delta
		}
	}
	if len(p.Ins) > 0 {
		p.left -= uint64(len(b))
	}
	_, err := p.W.Write(b)
	return n, err
}

func (p *PatchWriter) start() {
	if !p.init {
		p.init = true
		if len(p.Ins) > 0 {
			p.left = p.Ins[0].Delta
		}
	}
}

// Close fails if inserts remain: the stable bytes were shorter than the
// patch says (damage).
func (p *PatchWriter) Close() error {
	p.start()
	for len(p.Ins) > 0 && p.left == 0 {
		if _, err := p.W.Write(p.Ins[0].Data); err != nil {
			return err
		}
		p.Ins = p.Ins[1:]
		if len(p.Ins) > 0 {
			p.left = p.Ins[0].Delta
		}
	}
	if len(p.Ins) > 0 {
		return corrupt("patch goes beyond the file")
	}
	return nil
}
