package main

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"io"
	"time"
)

// Struct60 mirrors the 60-field struct of gob.bench.ts.
type Struct60 struct {
	S00, S01, S02, S03, S04, S05, S06, S07, S08, S09 string
	S10, S11, S12, S13, S14, S15, S16, S17, S18, S19 string
	I00, I01, I02, I03, I04, I05, I06, I07, I08, I09 int64
	I10, I11, I12, I13, I14, I15, I16, I17, I18, I19 int64
	B00, B01, B02, B03, B04, B05, B06, B07, B08, B09 bool
	F00, F01, F02, F03, F04                          float64
	L00, L01, L02, L03, L04                          []string
}

func bench60() Struct60 {
	return Struct60{
		S00: "id-0000000000", S01: "user-1", S02: "channel-2", S03: "root", S04: "original", S05: "message body text that is a bit longer",
		S06: "type", S07: "hashtags", S08: "pending", S09: "remote", S10: "a", S11: "b", S12: "c", S13: "d", S14: "e",
		S15: "f", S16: "g", S17: "h", S18: "i", S19: "j",
		I00: 1700000000000, I01: 1700000000001, I02: 3, I03: -4, I04: 5, I05: 600, I06: 70000, I07: 8, I08: 9, I09: 10,
		I10: 11, I11: 12, I12: 13, I13: 14, I14: 15, I15: 16, I16: 17, I17: 18, I18: 19, I19: 20,
		B00: true, B01: true, B02: true, B03: true, B04: true, B05: true, B06: true, B07: true, B08: true, B09: true,
		F00: 1.5, F01: 2.25, F02: -3.125, F03: 1e10, F04: 0.1,
		L00: []string{"x", "y"}, L01: []string{"z"}, L02: []string{"p", "q", "r"}, L03: []string{"s"}, L04: []string{"t", "u"},
	}
}

// benchGob prints encode and decode figures for a 60-field struct and a 1 MiB []byte:
// one line per figure, "name ops/s MB/s", the best of 5 rounds (the machine is shared).
func benchGob() {
	best := map[string][2]float64{}
	var order []string
	report := func(name string, ops, mbs float64) {
		if _, ok := best[name]; !ok {
			order = append(order, name)
		}
		if ops > best[name][0] {
			best[name] = [2]float64{ops, mbs}
		}
	}
	measure := func(name string, value interface{}, fresh func() interface{}, n int) {
		var sink bytes.Buffer
		enc := gob.NewEncoder(&sink)
		must(enc.Encode(value)) // type definitions once
		sink.Reset()
		start := time.Now()
		for i := 0; i < n; i++ {
			sink.Reset()
			must(enc.Encode(value))
		}
		el := time.Since(start).Seconds()
		size := sink.Len()
		report(name+"-encode", float64(n)/el, float64(size*n)/el/1e6)

		var stream bytes.Buffer
		enc = gob.NewEncoder(&stream)
		for i := 0; i < n; i++ {
			must(enc.Encode(value))
		}
		total := stream.Len()
		dec := gob.NewDecoder(&stream)
		start = time.Now()
		for {
			if err := dec.Decode(fresh()); err == io.EOF {
				break
			} else {
				must(err)
			}
		}
		el = time.Since(start).Seconds()
		report(name+"-decode", float64(n)/el, float64(total)/el/1e6)
	}
	for round := 0; round < 5; round++ {
		measure("struct60", bench60(), func() interface{} { return new(Struct60) }, 20000)
		measure("bytes1m", bytes.Repeat([]byte{7}, 1<<20), func() interface{} { return new([]byte) }, 100)
	}
	for _, name := range order {
		fmt.Printf("%s %f %f\n", name, best[name][0], best[name][1])
	}
}
