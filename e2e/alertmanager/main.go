// Test-only: drives Alertmanager's own webhook notifier (prometheus/alertmanager notify/webhook)
// against the plugin, so the e2e test receives the bytes, headers and retry decisions of the real
// thing. The receiver is configured from alertmanager.yml text through Alertmanager's own config
// parser, exactly as the README tells users to write it (http_config.http_headers).
//
//	go run . -url <hook URL> -secret <secret> -group <name> -alerts 3 [-resolved]
//
// Prints one JSON line: {"retry": bool, "error": string}.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"time"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/notify"
	"github.com/prometheus/alertmanager/notify/webhook"
	"github.com/prometheus/alertmanager/template"
	"github.com/prometheus/alertmanager/types"
	"github.com/prometheus/common/model"
)

func main() {
	hook := flag.String("url", "", "the source's hook URL")
	secret := flag.String("secret", "", "the source's secret")
	group := flag.String("group", "AmProbe", "alertname of the group")
	count := flag.Int("alerts", 2, "alerts in the group")
	resolved := flag.Bool("resolved", false, "send the alerts as resolved")
	flag.Parse()

	yml := fmt.Sprintf(`
route:
  receiver: infra-ops
  group_by: [alertname]
receivers:
  - name: infra-ops
    webhook_configs:
      - url: %q
        send_resolved: true
        http_config:
          http_headers:
            X-Infra-Ops-Token:
              secrets: [%q]
`, *hook, *secret)
	cfg, err := config.Load(yml)
	if err != nil {
		fail(err)
	}
	tmpl, err := template.FromGlobs(nil)
	if err != nil {
		fail(err)
	}
	// Alertmanager sets this from --web.external-url; the notification's externalURL comes from it.
	if tmpl.ExternalURL, err = url.Parse("http://alertmanager.example:9093"); err != nil {
		fail(err)
	}
	n, err := webhook.New(cfg.Receivers[0].WebhookConfigs[0], tmpl, slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err != nil {
		fail(err)
	}

	now := time.Now()
	alerts := make([]*types.Alert, 0, *count)
	for i := 0; i < *count; i++ {
		a := &types.Alert{Alert: model.Alert{
			Labels:       model.LabelSet{"alertname": model.LabelValue(*group), "severity": "critical", "instance": model.LabelValue(fmt.Sprintf("node-%d", i))},
			Annotations:  model.LabelSet{"summary": "sent by Alertmanager's own notifier"},
			StartsAt:     now.Add(-time.Minute),
			GeneratorURL: "http://prometheus.example/graph",
		}, UpdatedAt: now}
		if *resolved {
			a.EndsAt = now.Add(-time.Second)
		}
		alerts = append(alerts, a)
	}
	groupLabels := model.LabelSet{"alertname": model.LabelValue(*group)}
	ctx := notify.WithGroupKey(context.Background(), fmt.Sprintf("{}:{alertname=%q}", *group))
	ctx = notify.WithReceiverName(ctx, "infra-ops")
	ctx = notify.WithGroupLabels(ctx, groupLabels)
	ctx = notify.WithNow(ctx, now)
	retry, err := n.Notify(ctx, alerts...)
	out := map[string]any{"retry": retry, "error": ""}
	if err != nil {
		out["error"] = err.Error()
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(2)
}
