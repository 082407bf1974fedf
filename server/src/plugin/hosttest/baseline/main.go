// Command baseline is a minimal Go plugin doing what the TypeScript probe does for the benchmark
// (ExecuteCommand answering with a text, ServeHTTP answering 1 KiB of JSON), so the host bench
// measures the Node plugin against Mattermost's native plugin stack doing the same work.
package main

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

type baseline struct {
	plugin.MattermostPlugin
	payload []byte
}

func (p *baseline) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	return &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, Text: "probe " + args.Command}, nil
}

func (p *baseline) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Mattermost-User-Id") == "" {
		http.Error(w, `{"error":"Not logged in."}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(p.payload)
}

func main() {
	payload, _ := json.Marshal(map[string]string{"data": strings.Repeat("x", 1012)})
	plugin.ClientMain(&baseline{payload: payload})
}
