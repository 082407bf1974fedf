// Command gobconformance is the Go half of the gob conformance test (gob.wire.test.ts).
//
//	gobconformance encode   writes every corpus case as a fresh gob stream, then all cases in one stream
//	gobconformance bench    Go's own gob throughput for the shapes of gob.bench.ts (the baseline)
//	gobconformance check    reads streams (same framing), decodes each into its Go type, compares it
//	                        deeply with the corpus value, and answers with Go's own re-encoding
//
// Framing on stdin/stdout: frames of [u32 len][name][u32 len][bytes]; the answer to a check frame
// is [u32 len][name][u32 len]["ok" | "FAIL: why"][u32 len][re-encoded bytes].
// The frame named "*stream*" holds every case, in corpus order, in one gob stream.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"reflect"
	"time"
)

const allInOne = "*stream*"

func init() {
	gob.RegisterName("*model.AppError", &AppError{})
	gob.Register([]interface{}{})
	gob.Register(map[string]interface{}{})
	gob.Register(time.Time{})
	gob.Register(Point{})
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gobconformance encode|check")
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	cases := corpus()
	switch os.Args[1] {
	case "encode":
		for _, c := range cases {
			writeFrame(out, c.Name, encode(c.Value))
		}
		var all bytes.Buffer
		enc := gob.NewEncoder(&all)
		for _, c := range cases {
			must(enc.Encode(c.Value))
		}
		writeFrame(out, allInOne, all.Bytes())
	case "bench":
		benchGob()
	case "check":
		in := bufio.NewReader(os.Stdin)
		byName := map[string]Case{}
		for _, c := range cases {
			byName[c.Name] = c
		}
		for {
			name, data, err := readFrame(in)
			if err == io.EOF {
				return
			}
			must(err)
			verdict, again := check(name, data, cases, byName)
			writeChunk(out, []byte(name))
			writeChunk(out, []byte(verdict))
			writeChunk(out, again)
		}
	default:
		os.Exit(2)
	}
}

func check(name string, data []byte, cases []Case, byName map[string]Case) (string, []byte) {
	dec := gob.NewDecoder(bytes.NewReader(data))
	var again bytes.Buffer
	enc := gob.NewEncoder(&again)
	list := cases
	if name != allInOne {
		c, ok := byName[name]
		if !ok {
			return "FAIL: unknown case " + name, nil
		}
		list = []Case{c}
	}
	for _, c := range list {
		got := c.New()
		if err := dec.Decode(got); err != nil {
			return fmt.Sprintf("FAIL: %s: decode: %v", c.Name, err), nil
		}
		v := reflect.ValueOf(got).Elem().Interface()
		if why := diff(reflect.ValueOf(c.Value), reflect.ValueOf(v), c.Name); why != "" {
			return fmt.Sprintf("FAIL: %s: %s", c.Name, why), nil
		}
		if err := enc.Encode(v); err != nil {
			return fmt.Sprintf("FAIL: %s: re-encode: %v", c.Name, err), nil
		}
	}
	if err := dec.Decode(new(interface{})); err != io.EOF {
		return fmt.Sprintf("FAIL: trailing data after the last value: %v", err), nil
	}
	return "ok", again.Bytes()
}

var timeType = reflect.TypeOf(time.Time{})

// diff compares deeply like reflect.DeepEqual, except that NaN equals NaN (bit for bit) and
// times compare by instant and zone offset (decoded zones are new *Location values).
func diff(want, got reflect.Value, path string) string {
	if want.IsValid() != got.IsValid() {
		return fmt.Sprintf("%s: validity %v vs %v", path, want.IsValid(), got.IsValid())
	}
	if !want.IsValid() {
		return ""
	}
	if want.Type() != got.Type() {
		return fmt.Sprintf("%s: type %v vs %v", path, want.Type(), got.Type())
	}
	if want.Type() == timeType {
		w, g := want.Interface().(time.Time), got.Interface().(time.Time)
		_, wo := w.Zone()
		_, gof := g.Zone()
		if !w.Equal(g) || wo != gof || w.IsZero() != g.IsZero() {
			return fmt.Sprintf("%s: time %v vs %v", path, w, g)
		}
		return ""
	}
	switch want.Kind() {
	case reflect.Float32, reflect.Float64:
		if want.Float() != got.Float() && !(want.Float() != want.Float() && got.Float() != got.Float()) {
			return fmt.Sprintf("%s: %v vs %v", path, want.Float(), got.Float())
		}
	case reflect.Complex64, reflect.Complex128:
		if want.Complex() != got.Complex() {
			return fmt.Sprintf("%s: %v vs %v", path, want.Complex(), got.Complex())
		}
	case reflect.Pointer, reflect.Interface:
		if want.IsNil() != got.IsNil() {
			return fmt.Sprintf("%s: nil %v vs %v", path, want.IsNil(), got.IsNil())
		}
		if !want.IsNil() {
			return diff(want.Elem(), got.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < want.NumField(); i++ {
			if d := diff(want.Field(i), got.Field(i), path+"."+want.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice:
		if want.IsNil() != got.IsNil() {
			return fmt.Sprintf("%s: nil slice %v vs %v", path, want.IsNil(), got.IsNil())
		}
		fallthrough
	case reflect.Array:
		if want.Len() != got.Len() {
			return fmt.Sprintf("%s: len %d vs %d", path, want.Len(), got.Len())
		}
		for i := 0; i < want.Len(); i++ {
			if d := diff(want.Index(i), got.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if want.IsNil() != got.IsNil() {
			return fmt.Sprintf("%s: nil map %v vs %v", path, want.IsNil(), got.IsNil())
		}
		if want.Len() != got.Len() {
			return fmt.Sprintf("%s: map len %d vs %d", path, want.Len(), got.Len())
		}
		for _, k := range want.MapKeys() {
			g := got.MapIndex(k)
			if !g.IsValid() {
				return fmt.Sprintf("%s: missing key %v", path, k)
			}
			if d := diff(want.MapIndex(k), g, fmt.Sprintf("%s[%v]", path, k)); d != "" {
				return d
			}
		}
	case reflect.String:
		if want.String() != got.String() {
			return fmt.Sprintf("%s: %q vs %q", path, want.String(), got.String())
		}
	case reflect.Bool:
		if want.Bool() != got.Bool() {
			return fmt.Sprintf("%s: %v vs %v", path, want.Bool(), got.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if want.Int() != got.Int() {
			return fmt.Sprintf("%s: %d vs %d", path, want.Int(), got.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if want.Uint() != got.Uint() {
			return fmt.Sprintf("%s: %d vs %d", path, want.Uint(), got.Uint())
		}
	default:
		if !reflect.DeepEqual(want.Interface(), got.Interface()) {
			return fmt.Sprintf("%s: differs", path)
		}
	}
	return ""
}

func encode(v interface{}) []byte {
	var b bytes.Buffer
	must(gob.NewEncoder(&b).Encode(v))
	return b.Bytes()
}

func writeChunk(w io.Writer, b []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	_, err := w.Write(n[:])
	must(err)
	_, err = w.Write(b)
	must(err)
}

func writeFrame(w io.Writer, name string, data []byte) {
	writeChunk(w, []byte(name))
	writeChunk(w, data)
}

func readChunk(r io.Reader) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	b := make([]byte, binary.BigEndian.Uint32(n[:]))
	_, err := io.ReadFull(r, b)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return b, err
}

func readFrame(r io.Reader) (string, []byte, error) {
	name, err := readChunk(r)
	if err != nil {
		return "", nil, err
	}
	data, err := readChunk(r)
	return string(name), data, err
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
