// gopluginhost: HashiCorp go-plugin's own client, configured like Mattermost's plugin supervisor
// (server/public/plugin/supervisor.go), launching the plugin executable given as the first
// argument. Test-only; driven by goplugin.wire.test.ts.
//
// Every step prints one JSON line {"step","ok","detail"} on stdout; the host's own hclog output
// (including the plugin's stderr lines as go-plugin parsed them) goes to stderr as JSON.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/rpc"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// handshake is Mattermost's (server/public/plugin/client.go).
var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "MATTERMOST_PLUGIN",
	MagicCookieValue: "Securely message teams, anywhere.",
}

type testPlugin struct{}

func (testPlugin) Server(*plugin.MuxBroker) (interface{}, error) {
	return nil, errors.New("the host does not serve plugins")
}

func (testPlugin) Client(b *plugin.MuxBroker, c *rpc.Client) (interface{}, error) {
	return &testClient{broker: b, rpc: c}, nil
}

type testClient struct {
	broker *plugin.MuxBroker
	rpc    *rpc.Client
}

// HostService is what the plugin calls back through the broker (served as "Plugin", like
// Mattermost's API server).
type HostService struct{}

type AddArgs struct {
	A int
	B int
}

func (HostService) Add(args AddArgs, reply *int) error {
	*reply = args.A + args.B + 1000
	return nil
}

type CallHostArgs struct {
	BrokerId uint32
	A        int
	B        int
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func report(step string, err error, detail interface{}) {
	line := map[string]interface{}{"step": step, "ok": err == nil, "detail": detail}
	if err != nil {
		line["error"] = err.Error()
	}
	b, _ := json.Marshal(line)
	fmt.Println(string(b))
}

func expect(step string, got, want interface{}, err error) {
	if err == nil && fmt.Sprint(got) != fmt.Sprint(want) {
		err = fmt.Errorf("got %v, want %v", got, want)
	}
	report(step, err, got)
}

func main() {
	exe := os.Args[1]
	file, err := os.Open(exe)
	if err != nil {
		report("checksum", err, nil)
		return
	}
	h := sha256.New()
	_, err = io.Copy(h, file)
	file.Close()
	if err != nil {
		report("checksum", err, nil)
		return
	}

	var stdoutStream, stderrStream syncBuffer
	logger := hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Trace, Output: os.Stderr, JSONFormat: true})
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          map[string]plugin.Plugin{"test": &testPlugin{}, "nope": &testPlugin{}},
		Cmd:              exec.Command(exe),
		SecureConfig:     &plugin.SecureConfig{Checksum: h.Sum(nil), Hash: sha256.New()},
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolNetRPC},
		StartTimeout:     3 * time.Second,
		SyncStdout:       &stdoutStream,
		SyncStderr:       &stderrStream,
		Logger:           logger,
	})

	start := time.Now()
	rpcClient, err := client.Client()
	report("start", err, time.Since(start).Milliseconds())
	if err != nil {
		client.Kill()
		return
	}
	reattach := client.ReattachConfig()
	report("address", nil, map[string]interface{}{"network": reattach.Addr.Network(), "addr": reattach.Addr.String(), "pid": reattach.Pid})

	raw, err := rpcClient.Dispense("test")
	report("dispense", err, nil)
	if err != nil {
		client.Kill()
		return
	}
	tc := raw.(*testClient)

	report("ping", rpcClient.Ping(), nil)

	var echoed string
	err = tc.rpc.Call("Plugin.Echo", "hello from Go", &echoed)
	expect("echo", echoed, "hello from Go", err)

	var ignored string
	err = tc.rpc.Call("Plugin.Fail", "boom", &ignored)
	report("error-reply", nil, fmt.Sprint(err))

	err = tc.rpc.Call("Plugin.Nope", "x", &ignored)
	report("unknown-method", nil, fmt.Sprint(err))

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var out string
			in := fmt.Sprintf("call %d", i)
			if err := tc.rpc.Call("Plugin.Echo", in, &out); err != nil {
				errs <- err
			} else if out != in {
				errs <- fmt.Errorf("got %q for %q", out, in)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	report("concurrent", <-errs, nil)

	id := tc.broker.NextId()
	go tc.broker.AcceptAndServe(id, &HostService{})
	var sum int
	err = tc.rpc.Call("Plugin.CallHost", CallHostArgs{BrokerId: id, A: 2, B: 3}, &sum)
	expect("callback", sum, 1005, err)

	_, err = rpcClient.Dispense("nope")
	report("dispense-unknown", nil, fmt.Sprint(err))

	report("ping-again", rpcClient.Ping(), nil)

	start = time.Now()
	client.Kill()
	elapsed := time.Since(start)
	report("kill", nil, elapsed.Milliseconds())

	gone := syscall.Kill(reattach.Pid, 0) == syscall.ESRCH
	var goneErr error
	if !gone {
		goneErr = errors.New("process still exists")
	}
	report("process-gone", goneErr, nil)
	_, statErr := os.Stat(reattach.Addr.String())
	var sockErr error
	if !os.IsNotExist(statErr) {
		sockErr = fmt.Errorf("socket file still there: %v", statErr)
	}
	report("socket-removed", sockErr, nil)
	report("stdio-streams", nil, map[string]string{"stdout": stdoutStream.String(), "stderr": stderrStream.String()})
	report("done", nil, nil)
}
