// Command host is a test-only Mattermost plugin host: Mattermost's own plugin.Environment (the
// supervisor the real server uses: go-plugin netrpc, 3 s start timeout, SHA-256 checksum of the
// executable) with an in-memory API. The TypeScript host tests drive it with one JSON request per
// line on stdin and read one JSON reply per line on stdout.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/shared/mlog"
)

type request struct {
	Op          string            `json:"op"`
	Bundle      string            `json:"bundle,omitempty"`
	Dir         string            `json:"dir,omitempty"`
	ID          string            `json:"id,omitempty"`
	Command     string            `json:"command,omitempty"`
	Method      string            `json:"method,omitempty"`
	Path        string            `json:"path,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
	BodySize    int               `json:"bodySize,omitempty"`
	Body        string            `json:"body,omitempty"`
	Message     string            `json:"message,omitempty"`
	N           int               `json:"n,omitempty"`
	Concurrency int               `json:"concurrency,omitempty"`
	Kind        string            `json:"kind,omitempty"`
}

type reply map[string]any

type host struct {
	env       *plugin.Environment
	api       *fakeAPI
	pluginDir string
	sockDir   string
	id        string
}

func main() {
	h := &host{api: newFakeAPI()}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			_ = out.Encode(reply{"error": err.Error()})
			continue
		}
		res, err := h.handle(req)
		if err != nil {
			res = reply{"error": err.Error()}
		}
		if err := out.Encode(res); err != nil {
			os.Exit(1)
		}
		if req.Op == "exit" {
			return
		}
	}
}

func (h *host) handle(req request) (reply, error) {
	switch req.Op {
	case "init":
		return h.init(req)
	case "activate":
		start := time.Now()
		_, activated, err := h.env.Activate(h.id)
		if err != nil {
			return nil, err
		}
		return reply{"activated": activated, "ms": ms(time.Since(start)), "pid": h.pluginPid(), "startedAt": start.UnixMicro()}, nil
	case "implemented":
		hooks, err := h.env.HooksForPlugin(h.id)
		if err != nil {
			return nil, err
		}
		names, err := hooks.Implemented()
		sort.Strings(names)
		return reply{"hooks": names}, err
	case "execute":
		return h.execute(req.Command)
	case "http":
		return h.http(req)
	case "posted":
		hooks, err := h.env.HooksForPlugin(h.id)
		if err != nil {
			return nil, err
		}
		post := &model.Post{Id: model.NewId(), ChannelId: "channel1", UserId: "user1", Message: req.Message, Props: model.StringInterface{"n": 1.5, "tags": []any{"a", true}}}
		start := time.Now()
		hooks.MessageHasBeenPosted(&plugin.Context{RequestId: "req-posted"}, post)
		return reply{"ms": ms(time.Since(start))}, nil
	case "hook":
		return h.hook(req.Kind)
	case "health":
		return reply{"ok": h.env.PerformHealthCheck(h.id) == nil}, nil
	case "state":
		return h.api.snapshot(), nil
	case "rss":
		return reply{"kb": rssKB(h.pluginPid())}, nil
	case "bench":
		return h.bench(req)
	case "deactivate":
		return h.deactivate()
	case "exit":
		h.env.Shutdown()
		return reply{"ok": true}, nil
	}
	return nil, fmt.Errorf("unknown op %q", req.Op)
}

// init unpacks a bundle into a fresh plugin directory and builds the environment over it.
func (h *host) init(req request) (reply, error) {
	h.pluginDir = filepath.Join(req.Dir, "plugins")
	webappDir := filepath.Join(req.Dir, "client")
	h.sockDir = filepath.Join(req.Dir, "sock")
	for _, d := range []string{h.pluginDir, webappDir, h.sockDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	// go-plugin hands the host's environment to the plugin: its socket lands in our own temp dir.
	os.Setenv("TMPDIR", h.sockDir)
	manifest, err := unpack(req.Bundle, h.pluginDir)
	if err != nil {
		return nil, err
	}
	h.id = manifest
	logger, err := mlog.NewLogger()
	if err != nil {
		return nil, err
	}
	logConfig := os.Getenv("HOST_LOG_CONFIG")
	if logConfig == "" {
		// The server log on stderr (plugin stderr lines arrive here wrapped with the plugin id).
		logConfig = `{"console":{"Type":"console","Format":"plain","Levels":[{"ID":2,"Name":"error"},{"ID":3,"Name":"warn"},{"ID":4,"Name":"info"},{"ID":5,"Name":"debug"}],"Options":{"Out":"stderr"},"MaxQueueSize":1000}}`
	}
	if err := logger.Configure("", logConfig, nil); err != nil {
		return nil, err
	}
	h.env, err = plugin.NewEnvironment(func(*model.Manifest) plugin.API { return h.api }, nil, h.pluginDir, webappDir, logger, nil)
	if err != nil {
		return nil, err
	}
	return reply{"id": h.id}, nil
}

// hook calls one of the notification hooks with Go-built arguments.
func (h *host) hook(kind string) (reply, error) {
	hooks, err := h.env.HooksForPlugin(h.id)
	if err != nil {
		return nil, err
	}
	c := &plugin.Context{RequestId: "req-" + kind}
	member := &model.ChannelMember{ChannelId: "channel1", UserId: "user2", Roles: "channel_user", NotifyProps: model.StringMap{"desktop": "all"}}
	switch kind {
	case "joined":
		hooks.UserHasJoinedChannel(c, member, &model.User{Id: "user1", Username: "alice"})
	case "left":
		hooks.UserHasLeftChannel(c, member, nil)
	case "channelCreated":
		hooks.ChannelHasBeenCreated(c, &model.Channel{Id: "channel9", TeamId: "team1", Type: model.ChannelTypePrivate, Name: "incident-9", DisplayName: "Incident 9", Props: map[string]any{"k": "v"}})
	case "cluster":
		hooks.OnPluginClusterEvent(c, model.PluginClusterEvent{Id: "refresh", Data: []byte("payload")})
	case "install":
		if err := hooks.OnInstall(c, model.OnInstallEvent{UserId: "user1"}); err != nil {
			return reply{"hookError": err.Error()}, nil
		}
	default:
		return nil, fmt.Errorf("unknown hook %q", kind)
	}
	return reply{"ok": true}, nil
}

func (h *host) execute(command string) (reply, error) {
	hooks, err := h.env.HooksForPlugin(h.id)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, appErr := hooks.ExecuteCommand(&plugin.Context{RequestId: "req-cmd"}, &model.CommandArgs{
		UserId: "user1", ChannelId: "channel1", TeamId: "team1", Command: command, TriggerId: "trigger1",
	})
	elapsed := time.Since(start)
	r := reply{"ms": ms(elapsed)}
	if resp != nil {
		r["response"] = resp
	}
	if appErr != nil {
		r["appError"] = map[string]any{"id": appErr.Id, "message": appErr.Message, "status": appErr.StatusCode}
	}
	return r, nil
}

func (h *host) http(req request) (reply, error) {
	hooks, err := h.env.HooksForPlugin(h.id)
	if err != nil {
		return nil, err
	}
	var body io.Reader = http.NoBody
	var sum [32]byte
	switch {
	case req.BodySize > 0:
		payload := pattern(req.BodySize)
		sum = sha256.Sum256(payload)
		body = bytes.NewReader(payload)
	case req.Body != "":
		body = strings.NewReader(req.Body)
	}
	r := httptest.NewRequest(req.Method, req.Path, body)
	r.RemoteAddr = "10.1.2.3:4567"
	for k, v := range req.Headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	start := time.Now()
	hooks.ServeHTTP(&plugin.Context{RequestId: "req-http", SessionId: "session1"}, w, r)
	elapsed := time.Since(start)
	resBody := w.Body.Bytes()
	resSum := sha256.Sum256(resBody)
	out := reply{
		"status":     w.Code,
		"headers":    w.Header(),
		"bodyLength": len(resBody),
		"bodySha256": hex.EncodeToString(resSum[:]),
		"flushed":    w.Flushed,
		"ms":         ms(elapsed),
	}
	if req.BodySize > 0 {
		out["sentSha256"] = hex.EncodeToString(sum[:])
	}
	if len(resBody) <= 64*1024 {
		out["body"] = string(resBody)
	}
	return out, nil
}

func (h *host) deactivate() (reply, error) {
	pid := h.pluginPid()
	start := time.Now()
	h.env.Deactivate(h.id)
	deactivated := ms(time.Since(start))
	gone := false
	for time.Since(start) < 5*time.Second {
		if !processAlive(pid) && dirEmpty(h.sockDir) {
			gone = true
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return reply{"pid": pid, "deactivateMs": deactivated, "goneMs": ms(time.Since(start)), "gone": gone, "socketsLeft": listDir(h.sockDir)}, nil
}

// bench runs n hook calls with the given concurrency and reports latency percentiles and rate.
func (h *host) bench(req request) (reply, error) {
	hooks, err := h.env.HooksForPlugin(h.id)
	if err != nil {
		return nil, err
	}
	one := func() (time.Duration, error) {
		start := time.Now()
		switch req.Kind {
		case "exec":
			resp, appErr := hooks.ExecuteCommand(&plugin.Context{}, &model.CommandArgs{UserId: "user1", ChannelId: "channel1", TeamId: "team1", Command: req.Command})
			if appErr != nil || resp == nil {
				return 0, fmt.Errorf("execute failed: %v", appErr)
			}
		case "http":
			r := httptest.NewRequest("GET", req.Path, nil)
			r.Header.Set("Mattermost-User-Id", "user1")
			w := httptest.NewRecorder()
			hooks.ServeHTTP(&plugin.Context{}, w, r)
			if w.Code != 200 {
				return 0, fmt.Errorf("status %d", w.Code)
			}
		default:
			return 0, fmt.Errorf("unknown bench kind %q", req.Kind)
		}
		return time.Since(start), nil
	}
	conc := max(req.Concurrency, 1)
	lat := make([]time.Duration, req.N)
	var wg sync.WaitGroup
	var firstErr error
	var mu sync.Mutex
	next := 0
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= req.N {
					return
				}
				d, err := one()
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				lat[i] = d
			}
		}()
	}
	wg.Wait()
	total := time.Since(start)
	if firstErr != nil {
		return nil, firstErr
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return ms(lat[min(len(lat)-1, int(p*float64(len(lat))))]) }
	return reply{"p50": pct(0.5), "p99": pct(0.99), "perSecond": float64(req.N) / total.Seconds()}, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

// pluginPid finds the plugin process: the one whose executable (or argument) lies in our plugin directory.
func (h *host) pluginPid() int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil {
			continue
		}
		// Under an emulator (qemu-aarch64 <plugin>) the executable is the emulator's: look at argv.
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		ours := strings.HasPrefix(exe, h.pluginDir+"/") || bytes.Contains(cmdline, []byte("\x00"+h.pluginDir+"/"))
		if ours && processAlive(pid) {
			return pid
		}
	}
	return 0
}

func processAlive(pid int) bool {
	if pid == 0 {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// A zombie (state Z) has exited; it only waits for its parent to reap it.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

func rssKB(pid int) int {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	return 0
}

func listDir(dir string) []string {
	entries, _ := os.ReadDir(dir)
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func dirEmpty(dir string) bool { return len(listDir(dir)) == 0 }

// unpack extracts a plugin bundle (tar.gz with one top directory) keeping file modes, and
// returns the plugin id read from its plugin.json.
func unpack(bundle, dest string) (string, error) {
	f, err := os.Open(bundle)
	if err != nil {
		return "", err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return "", err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		target := filepath.Join(dest, filepath.Clean(hdr.Name))
		if !strings.HasPrefix(target, dest+string(os.PathSeparator)) {
			return "", fmt.Errorf("bad path in bundle: %s", hdr.Name)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return "", err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return "", err
			}
			out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(hdr.Mode)&0o777)
			if err != nil {
				return "", err
			}
			if _, err := io.Copy(out, tr); err != nil {
				out.Close()
				return "", err
			}
			out.Close()
		}
	}
	manifests, _ := filepath.Glob(filepath.Join(dest, "*", "plugin.json"))
	if len(manifests) != 1 {
		return "", fmt.Errorf("expected one plugin.json in the bundle, found %d", len(manifests))
	}
	raw, err := os.ReadFile(manifests[0])
	if err != nil {
		return "", err
	}
	var m model.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", err
	}
	return m.Id, nil
}
