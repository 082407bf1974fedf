// yamuxpeer: hashicorp/yamux v0.1.2 on one end of a unix socket, driven by the TypeScript
// conformance test (yamux.wire.test.ts) on the other end. Test-only.
//
// Usage: yamuxpeer -role client|server -addr /path/to/socket
//
//	client: dial addr (the TS side listens) and run yamux.Client
//	server: listen on addr, print "ready", accept one connection, run yamux.Server
//
// Every stream the TS side opens starts with one command line; see handle().
// When the session ends the program prints "closed: <reason>" and exits 0.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/yamux"
)

var (
	lastErrMu sync.Mutex
	lastErr   = "none"
)

func main() {
	role := flag.String("role", "client", "client or server")
	addr := flag.String("addr", "", "unix socket path")
	flag.Parse()

	cfg := yamux.DefaultConfig()
	// Fast keepalives so the test proves the TS side answers pings; a short close timeout so
	// the Go side sends RST within the test's time.
	cfg.KeepAliveInterval = 100 * time.Millisecond
	cfg.ConnectionWriteTimeout = 2 * time.Second
	cfg.StreamCloseTimeout = 500 * time.Millisecond
	cfg.LogOutput = os.Stderr

	var conn net.Conn
	var err error
	if *role == "server" {
		ln, lerr := net.Listen("unix", *addr)
		if lerr != nil {
			fail(lerr)
		}
		fmt.Println("ready")
		conn, err = ln.Accept()
		ln.Close()
	} else {
		conn, err = net.Dial("unix", *addr)
	}
	if err != nil {
		fail(err)
	}
	var sess *yamux.Session
	if *role == "server" {
		sess, err = yamux.Server(conn, cfg)
	} else {
		sess, err = yamux.Client(conn, cfg)
	}
	if err != nil {
		fail(err)
	}
	for {
		st, err := sess.AcceptStream()
		if err != nil {
			fmt.Printf("closed: %v\n", err)
			return
		}
		go handle(sess, st)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "yamuxpeer:", err)
	os.Exit(1)
}

func pattern(n int, seed uint32) []byte {
	out := make([]byte, n)
	x := seed
	if x == 0 {
		x = 1
	}
	for i := range out {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out[i] = byte(x)
	}
	return out
}

// handle runs one command. Replies are single lines.
func handle(sess *yamux.Session, st *yamux.Stream) {
	r := bufio.NewReader(st)
	line, err := r.ReadString('\n')
	if err != nil {
		st.Close()
		return
	}
	args := strings.Fields(line)
	if len(args) == 0 {
		st.Close()
		return
	}
	num := func(i int) int {
		n, _ := strconv.Atoi(args[i])
		return n
	}
	switch args[0] {
	case "echo": // copy everything back; FIN after the peer's FIN
		io.Copy(st, r)
		st.Close()
	case "sink": // read to EOF, then reply "<count> <sha256>" and FIN (half-close proof)
		h := sha256.New()
		n, err := io.Copy(h, r)
		if err != nil {
			fmt.Fprintf(st, "error %v\n", err)
		} else {
			fmt.Fprintf(st, "%d %s\n", n, hex.EncodeToString(h.Sum(nil)))
		}
		st.Close()
	case "source": // source <n> <seed>: write the pattern, FIN, then read to EOF
		st.Write(pattern(num(1), uint32(num(2))))
		st.Close()
		io.Copy(io.Discard, r)
	case "open": // open <k> <n>: open k streams at once, each sends n bytes and expects them echoed
		k, n := num(1), num(2)
		var wg sync.WaitGroup
		errs := make(chan error, k)
		for i := 0; i < k; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs <- roundTrip(sess, n, uint32(i+1))
			}(i)
		}
		wg.Wait()
		close(errs)
		reply := "ok"
		for err := range errs {
			if err != nil {
				reply = "error " + err.Error()
			}
		}
		fmt.Fprintln(st, reply)
		st.Close()
	case "ping": // ping the TS side
		rtt, err := sess.Ping()
		if err != nil {
			fmt.Fprintf(st, "error %v\n", err)
		} else {
			fmt.Fprintf(st, "ok %d\n", rtt.Microseconds())
		}
		st.Close()
	case "rstwait": // read until an error; remember it for "report"
		_, err := io.Copy(io.Discard, r)
		if err == nil {
			err = errors.New("EOF")
		}
		lastErrMu.Lock()
		lastErr = err.Error()
		lastErrMu.Unlock()
	case "report":
		lastErrMu.Lock()
		fmt.Fprintln(st, lastErr)
		lastErrMu.Unlock()
		st.Close()
	case "linger": // FIN our side now; the TS side keeps its side open, so Go sends RST after StreamCloseTimeout
		st.Close()
	case "goaway":
		err := sess.GoAway()
		fmt.Fprintf(st, "ok %v\n", err)
		st.Close()
	case "tryopen": // try to open a stream to the TS side; reply the error, if any
		s2, err := sess.OpenStream()
		if err != nil {
			fmt.Fprintf(st, "error %v\n", err)
		} else {
			s2.Close()
			fmt.Fprintln(st, "ok")
		}
		st.Close()
	case "count": // the number of streams the Go session still tracks
		fmt.Fprintf(st, "%d\n", sess.NumStreams())
		st.Close()
	default:
		fmt.Fprintf(st, "error unknown command %q\n", args[0])
		st.Close()
	}
}

// roundTrip opens a stream to the TS side (which echoes), sends n pattern bytes, half-closes
// and checks the echo.
func roundTrip(sess *yamux.Session, n int, seed uint32) error {
	st, err := sess.OpenStream()
	if err != nil {
		return err
	}
	defer st.Close()
	want := pattern(n, seed)
	werr := make(chan error, 1)
	go func() {
		_, err := st.Write(want)
		if err == nil {
			err = st.Close()
		}
		werr <- err
	}()
	got, err := io.ReadAll(st)
	if err != nil {
		return err
	}
	if err := <-werr; err != nil {
		return err
	}
	if string(got) != string(want) {
		return fmt.Errorf("stream %d: echo mismatch (%d bytes back, %d sent)", st.StreamID(), len(got), n)
	}
	return nil
}
