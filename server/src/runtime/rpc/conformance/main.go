// Command rpcconformance is the Go half of rpc.wire.test.ts and rpc.bench.ts.
//
//	rpcconformance server <socket>        serves Arith on a unix socket (prints "listening")
//	rpcconformance client <socket>        runs the scenario below against a server; prints "ok"
//	rpcconformance bench <calls> <size>   Go client ↔ Go server round trips over a unix socket;
//	                                      prints the mean round trip and CPU time per call in ns
package main

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"net"
	"net/rpc"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

type Args struct{ A, B int64 }
type Quotient struct{ Quo, Rem int64 }

type Post struct {
	Id       string
	CreateAt int64
	Message  string
	Props    map[string]interface{}
	FileIds  []string
}

// As Mattermost's client_rpc.go does, so Props values can travel.
func init() {
	gob.Register([]interface{}{})
	gob.Register(map[string]interface{}{})
}

type Arith struct{}

func (Arith) Divide(args Args, reply *Quotient) error {
	if args.B == 0 {
		return errors.New("divide by zero")
	}
	*reply = Quotient{args.A / args.B, args.A % args.B}
	return nil
}

func (Arith) Echo(args []byte, reply *[]byte) error { *reply = args; return nil }

// Sleep answers after args milliseconds, so replies overtake each other.
func (Arith) Sleep(args int, reply *int) error {
	time.Sleep(time.Duration(args) * time.Millisecond)
	*reply = args
	return nil
}

func (Arith) Fail(args string, reply *struct{}) error { return errors.New(args) }

func (Arith) Nothing(args struct{}, reply *struct{}) error { return nil }

func (Arith) Post(args Post, reply *Post) error {
	args.Message += "!"
	*reply = args
	return nil
}

func main() {

	switch {
	case len(os.Args) == 3 && os.Args[1] == "server":
		serve(os.Args[2])
	case len(os.Args) == 3 && os.Args[1] == "client":
		if err := scenario(os.Args[2]); err != nil {
			fmt.Println("FAIL:", err)
			os.Exit(1)
		}
		fmt.Println("ok")
	case len(os.Args) == 4 && os.Args[1] == "bench":
		calls, _ := strconv.Atoi(os.Args[2])
		size, _ := strconv.Atoi(os.Args[3])
		bench(calls, size)
	default:
		fmt.Fprintln(os.Stderr, "usage: rpcconformance server|client <socket> | bench <calls> <size>")
		os.Exit(2)
	}
}

func listen(path string) net.Listener {
	server := rpc.NewServer()
	if err := server.Register(Arith{}); err != nil {
		panic(err)
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go server.ServeConn(conn)
		}
	}()
	return l
}

func serve(path string) {
	listen(path)
	fmt.Println("listening")
	// Serve until stdin closes (the test ends).
	buf := make([]byte, 1)
	os.Stdin.Read(buf)
}

func expectError(c *rpc.Client, method string, args interface{}, want string) error {
	err := c.Call(method, args, nil)
	if err == nil || err.Error() != want {
		return fmt.Errorf("%s: got error %v, want %q", method, err, want)
	}
	if _, ok := err.(rpc.ServerError); !ok {
		return fmt.Errorf("%s: %T is not a ServerError", method, err)
	}
	return nil
}

func scenario(path string) error {
	c, err := rpc.Dial("unix", path)
	if err != nil {
		return err
	}
	defer c.Close()

	// 200 calls in flight at once; Sleep replies overtake each other.
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 {
				var q Quotient
				if err := c.Call("Arith.Divide", Args{int64(1000 + i), 7}, &q); err != nil {
					errs <- err
				} else if q != (Quotient{int64(1000+i) / 7, int64(1000+i) % 7}) {
					errs <- fmt.Errorf("Divide %d: got %+v", i, q)
				}
			} else {
				var n int
				if err := c.Call("Arith.Sleep", (i*7)%20, &n); err != nil {
					errs <- err
				} else if n != (i*7)%20 {
					errs <- fmt.Errorf("Sleep %d: got %d", i, n)
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}

	for _, e := range []struct {
		method string
		args   interface{}
		want   string
	}{
		{"Arith.Divide", Args{1, 0}, "divide by zero"},
		{"Arith.Fail", "custom failure ✗", "custom failure ✗"},
		{"Arith.Nope", Args{}, "rpc: can't find method Arith.Nope"},
		{"Nope.Divide", Args{}, "rpc: can't find service Nope.Divide"},
		{"NoDot", Args{}, "rpc: service/method request ill-formed: NoDot"},
	} {
		if err := expectError(c, e.method, e.args, e.want); err != nil {
			return err
		}
	}
	// A nil reply: the client still reads (and drops) the body.
	if err := c.Call("Arith.Nothing", struct{}{}, nil); err != nil {
		return fmt.Errorf("Nothing: %v", err)
	}
	var empty struct{}
	if err := c.Call("Arith.Nothing", struct{}{}, &empty); err != nil {
		return fmt.Errorf("Nothing: %v", err)
	}
	payload := bytes.Repeat([]byte("0123456789abcdef"), 64*1024) // 1 MiB
	var echoed []byte
	if err := c.Call("Arith.Echo", payload, &echoed); err != nil || !bytes.Equal(echoed, payload) {
		return fmt.Errorf("Echo: %v (len %d)", err, len(echoed))
	}
	// Large and small messages in flight together.
	var mixed sync.WaitGroup
	mixedErrs := make(chan error, 53)
	for k := 0; k < 3; k++ {
		mixed.Add(1)
		go func(k byte) {
			defer mixed.Done()
			want := append([]byte(nil), payload...)
			for i := range want {
				want[i] ^= k
			}
			var got []byte
			if err := c.Call("Arith.Echo", want, &got); err != nil || !bytes.Equal(got, want) {
				mixedErrs <- fmt.Errorf("mixed Echo %d: %v", k, err)
			}
		}(byte(k + 1))
	}
	for i := 1; i <= 50; i++ {
		mixed.Add(1)
		go func(i int64) {
			defer mixed.Done()
			var q Quotient
			if err := c.Call("Arith.Divide", Args{i, 1}, &q); err != nil || q != (Quotient{i, 0}) {
				mixedErrs <- fmt.Errorf("mixed Divide %d: %v %+v", i, err, q)
			}
		}(int64(i))
	}
	mixed.Wait()
	close(mixedErrs)
	for err := range mixedErrs {
		return err
	}
	in := Post{Id: "p1", CreateAt: 1700000000123, Message: "hi", FileIds: []string{"f"},
		Props: map[string]interface{}{"n": 1.5, "s": "x", "b": true, "m": map[string]interface{}{"l": []interface{}{"a", 2.0}}}}
	var out Post
	if err := c.Call("Arith.Post", in, &out); err != nil {
		return fmt.Errorf("Post: %v", err)
	}
	in.Message = "hi!"
	if fmt.Sprintf("%#v", in) != fmt.Sprintf("%#v", out) {
		return fmt.Errorf("Post: got %#v", out)
	}
	// Still usable after errors.
	var q Quotient
	if err := c.Call("Arith.Divide", Args{9, 2}, &q); err != nil || q != (Quotient{4, 1}) {
		return fmt.Errorf("Divide after errors: %v %+v", err, q)
	}
	return nil
}

func bench(calls, size int) {
	dir, err := os.MkdirTemp("", "rpcbench")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	l := listen(filepath.Join(dir, "s"))
	defer l.Close()
	c, err := rpc.Dial("unix", filepath.Join(dir, "s"))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	payload := bytes.Repeat([]byte{7}, size)
	var reply []byte
	for i := 0; i < calls/10; i++ { // warm up
		must(c.Call("Arith.Echo", payload, &reply))
	}
	start := time.Now()
	cpu0 := cpuTime()
	for i := 0; i < calls; i++ {
		must(c.Call("Arith.Echo", payload, &reply))
	}
	fmt.Println(time.Since(start).Nanoseconds()/int64(calls), (cpuTime()-cpu0).Nanoseconds()/int64(calls))
}

// cpuTime is the process's user + system CPU time (client and server both run in it).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	must(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
