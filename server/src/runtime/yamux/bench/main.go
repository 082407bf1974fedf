// yamuxbench: the Go baselines for yamux.bench.ts, measured the way the TypeScript side is
// (client and server in one process, over a unix socket). Test-only.
//
//	yamuxbench rpc -n 20000        net/rpc round trips, 1 KiB []byte argument echoed back
//	yamuxbench throughput -mib 256 one stream, client → server
//	yamuxbench call -addr A -n N   dial the TS side at A (yamux client), make N such calls
//	yamuxbench serve -addr A       listen at A (yamux server), serve Bench on the first stream
//
// Prints one JSON object on stdout ("serve" prints "ready" and serves until the peer leaves).
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
	"time"

	"github.com/hashicorp/yamux"
)

type Bench struct{}

func (Bench) Echo(args []byte, reply *[]byte) error {
	*reply = args
	return nil
}

func main() {
	mode := os.Args[1]
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	n := fs.Int("n", 20000, "round trips")
	mib := fs.Int("mib", 256, "MiB to send")

	addr := fs.String("addr", "", "unix socket of the TS side (call) or to listen on (serve)")
	fs.Parse(os.Args[2:])
	switch mode {
	case "call":
		conn, err := net.Dial("unix", *addr)
		check(err)
		sess, err := yamux.Client(conn, nil)
		check(err)
		st, err := sess.OpenStream()
		check(err)
		out(measure(rpc.NewClient(st), *n))
		return
	case "serve":
		ln, err := net.Listen("unix", *addr)
		check(err)
		fmt.Println("ready")
		st := acceptStream(ln)
		srv := rpc.NewServer()
		check(srv.Register(Bench{}))
		srv.ServeConn(st)
		return
	}

	dir, err := os.MkdirTemp("", "yamuxbench")
	check(err)
	defer os.RemoveAll(dir)
	ln, err := net.Listen("unix", filepath.Join(dir, "sock"))
	check(err)

	serverStream := make(chan *yamux.Stream, 1)
	go func() { serverStream <- acceptStream(ln) }()
	conn, err := net.Dial("unix", filepath.Join(dir, "sock"))
	check(err)
	sess, err := yamux.Client(conn, nil)
	check(err)
	st, err := sess.OpenStream()
	check(err)

	switch mode {
	case "rpc":
		srv := rpc.NewServer()
		check(srv.Register(Bench{}))
		go func() { srv.ServeConn(<-serverStream) }()
		out(measure(rpc.NewClient(st), *n))
	case "throughput":
		total := int64(*mib) << 20
		done := make(chan int64)
		go func() {
			s := <-serverStream
			got, _ := io.Copy(io.Discard, s)
			done <- got
		}()
		buf := make([]byte, 64*1024)
		start := time.Now()
		for sent := int64(0); sent < total; sent += int64(len(buf)) {
			_, err := st.Write(buf)
			check(err)
		}
		check(st.Close())
		got := <-done
		secs := time.Since(start).Seconds()
		if got != total {
			check(fmt.Errorf("received %d of %d bytes", got, total))
		}
		out(map[string]float64{"mbPerSec": float64(total) / 1e6 / secs})
	default:
		check(fmt.Errorf("unknown mode %q", mode))
	}
}

// measure: 2000 warm-up calls, then n timed calls one at a time.
func measure(client *rpc.Client, n int) map[string]float64 {
	arg := make([]byte, 1024)
	var reply []byte
	for i := 0; i < 2000; i++ {
		check(client.Call("Bench.Echo", arg, &reply))
	}
	samples := make([]float64, n)
	start := time.Now()
	for i := range samples {
		t := time.Now()
		check(client.Call("Bench.Echo", arg, &reply))
		samples[i] = float64(time.Since(t).Nanoseconds()) / 1000
		if len(reply) != len(arg) {
			check(fmt.Errorf("bad echo: %d bytes", len(reply)))
		}
	}
	total := time.Since(start)
	sort.Float64s(samples)
	return map[string]float64{"meanUs": float64(total.Nanoseconds()) / 1000 / float64(n), "p50Us": samples[len(samples)/2], "p99Us": samples[len(samples)*99/100]}
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
