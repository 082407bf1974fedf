// yamuxbench: the Go baselines for yamux.bench.ts, measured the way the TypeScript side is
// (hashicorp/yamux + net/rpc over a unix socket). Test-only.
//
//	yamuxbench rpc -n 20000                  net/rpc round trips, 1 KiB []byte echoed, client and
//	                                         server in this process
//	yamuxbench throughput -mib 256 -chunk N  one stream, client → server, N-byte writes, one process
//	yamuxbench call -addr A -n N             dial a yamux server at A, make N such calls
//	yamuxbench serve -addr A                 listen at A (yamux server), serve Bench on the first
//	                                         stream; prints "ready", then the CPU it spent serving
//	yamuxbench send -addr A -mib M -chunk N  dial A, send M MiB on one stream in N-byte writes, wait
//	                                         for the peer's one-byte acknowledgement
//	yamuxbench sink -addr A                  listen at A, read the first stream to EOF, send one
//	                                         byte back; prints "ready", then bytes and CPU
//
// Prints one JSON object on stdout. CPU is user + system time of this process (getrusage) over the
// measured part only, so it can be set beside process.cpuUsage() of the Node side.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/hashicorp/yamux"
)

type Bench struct{}

func (Bench) Echo(args []byte, reply *[]byte) error {
	*reply = args
	return nil
}

const warmup = 2000

func main() {
	mode := os.Args[1]
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	n := fs.Int("n", 20000, "round trips")
	mib := fs.Int("mib", 256, "MiB to send")
	chunk := fs.Int("chunk", 64*1024, "bytes per write")
	addr := fs.String("addr", "", "unix socket to dial (call, send) or to listen on (serve, sink)")
	fs.Parse(os.Args[2:])
	switch mode {
	case "call":
		st := dialStream(*addr)
		out(measure(rpc.NewClient(st), *n))
		return
	case "serve":
		ln, err := net.Listen("unix", *addr)
		check(err)
		fmt.Println("ready")
		st := acceptStream(ln)
		cpu0 := cpuTime()
		srv := rpc.NewServer()
		check(srv.Register(Bench{}))
		srv.ServeConn(st)
		out(map[string]float64{"cpuUs": float64((cpuTime() - cpu0).Nanoseconds()) / 1000})
		return
	case "send":
		st := dialStream(*addr)
		out(send(st, int64(*mib)<<20, *chunk, func() { buf := make([]byte, 1); _, err := io.ReadFull(st, buf); check(err) }))
		return
	case "sink":
		ln, err := net.Listen("unix", *addr)
		check(err)
		fmt.Println("ready")
		st := acceptStream(ln)
		cpu0 := cpuTime()
		got, err := io.Copy(io.Discard, st)
		check(err)
		_, err = st.Write([]byte{1})
		check(err)
		out(map[string]float64{"bytes": float64(got), "cpuUs": float64((cpuTime() - cpu0).Nanoseconds()) / 1000})
		st.Close()
		time.Sleep(50 * time.Millisecond) // let the byte and FIN leave before the process exits
		return
	}

	dir, err := os.MkdirTemp("", "yamuxbench")
	check(err)
	defer os.RemoveAll(dir)
	ln, err := net.Listen("unix", filepath.Join(dir, "sock"))
	check(err)

	serverStream := make(chan *yamux.Stream, 1)
	go func() { serverStream <- acceptStream(ln) }()
	st := dialStream(filepath.Join(dir, "sock"))

	switch mode {
	case "rpc":
		srv := rpc.NewServer()
		check(srv.Register(Bench{}))
		go func() { srv.ServeConn(<-serverStream) }()
		out(measure(rpc.NewClient(st), *n))
	case "throughput":
		acked := make(chan struct{})
		go func() {
			s := <-serverStream
			_, err := io.Copy(io.Discard, s)
			check(err)
			_, err = s.Write([]byte{1})
			check(err)
			close(acked)
		}()
		out(send(st, int64(*mib)<<20, *chunk, func() {
			buf := make([]byte, 1)
			_, err := io.ReadFull(st, buf)
			check(err)
			<-acked
		}))
	default:
		check(fmt.Errorf("unknown mode %q", mode))
	}
}

// send writes total bytes in chunk-sized writes, half-closes, and waits (done) until the receiver
// has read everything; it reports MB/s and the CPU per MB of this process.
func send(st *yamux.Stream, total int64, chunk int, done func()) map[string]float64 {
	buf := make([]byte, chunk)
	for i := range buf {
		buf[i] = 7
	}
	start := time.Now()
	cpu0 := cpuTime()
	for sent := int64(0); sent < total; sent += int64(len(buf)) {
		_, err := st.Write(buf)
		check(err)
	}
	check(st.Close())
	done()
	secs := time.Since(start).Seconds()
	cpu := cpuTime() - cpu0
	return map[string]float64{"mbPerSec": float64(total) / 1e6 / secs, "cpuUsPerMb": float64(cpu.Nanoseconds()) / 1000 / (float64(total) / 1e6)}
}

// measure: warm-up calls, then n timed calls one at a time; latency percentiles and the CPU time
// of this process per timed call.
func measure(client *rpc.Client, n int) map[string]float64 {
	arg := make([]byte, 1024)
	var reply []byte
	for i := 0; i < warmup; i++ {
		check(client.Call("Bench.Echo", arg, &reply))
	}
	samples := make([]float64, n)
	start := time.Now()
	cpu0 := cpuTime()
	for i := range samples {
		t := time.Now()
		check(client.Call("Bench.Echo", arg, &reply))
		samples[i] = float64(time.Since(t).Nanoseconds()) / 1000
		if len(reply) != len(arg) {
			check(fmt.Errorf("bad echo: %d bytes", len(reply)))
		}
	}
	cpu := cpuTime() - cpu0
	total := time.Since(start)
	check(client.Close())
	sort.Float64s(samples)
	return map[string]float64{
		"meanUs": float64(total.Nanoseconds()) / 1000 / float64(n),
		"p50Us":  samples[len(samples)/2],
		"p99Us":  samples[len(samples)*99/100],
		"cpuUs":  float64(cpu.Nanoseconds()) / 1000 / float64(n),
	}
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func out(v interface{}) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "yamuxbench:", err)
		os.Exit(1)
	}
}

func dialStream(addr string) *yamux.Stream {
	conn, err := net.Dial("unix", addr)
	check(err)
	sess, err := yamux.Client(conn, nil)
	check(err)
	st, err := sess.OpenStream()
	check(err)
	return st
}

// acceptStream takes one connection as a yamux server and returns the first stream it opens.
func acceptStream(ln net.Listener) *yamux.Stream {
	conn, err := ln.Accept()
	check(err)
	sess, err := yamux.Server(conn, nil)
	check(err)
	st, err := sess.AcceptStream()
	check(err)
	return st
}
