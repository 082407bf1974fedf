// Command mattermost is Mattermost Team Edition's server built from the Go module proxy.
// It mirrors upstream's server/cmd/mattermost/main.go: the blank imports register the
// built-in slash commands, the GitLab OAuth provider and the enterprise hooks (inactive
// without a licence), exactly as the release binary does.
package main

import (
	"os"

	_ "github.com/mattermost/mattermost/server/v8/channels/app/oauthproviders/gitlab"
	_ "github.com/mattermost/mattermost/server/v8/channels/app/slashcommands"
	"github.com/mattermost/mattermost/server/v8/cmd/mattermost/commands"
	_ "github.com/mattermost/mattermost/server/v8/enterprise"
)

func main() {
	if err := commands.Run(os.Args[1:]); err != nil {
		os.Exit(1)
	}
}
