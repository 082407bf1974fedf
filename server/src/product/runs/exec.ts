/**
 * `/run exec <item>` (and the card's Run button): an item's slash command, run through Mattermost
 * (ExecuteSlashCommand) as the person who asked, in the run's channel, the way it would run had
 * they typed it there. Mattermost's plugin API checks no permission on that call and executes as
 * whatever `UserId` it is given, so three rules hold here and in the service:
 * - the user is the acting user, never the bot; channel and team are the run's channel read live;
 * - the service only calls this once the actor may post in that channel (the `work` rule, which is
 *   what Mattermost's own `POST /commands/execute` asks: create_post in the channel);
 * - a command that would run `/run exec` again is refused before it runs (no loops).
 * What came back — the command's text, or its error — is the outcome the timeline records.
 */
import { AppError } from '../../plugin/api/app_error';
import type { PluginAPI } from '../../plugin/api/plugin_api';
import { withoutChannelMentions } from '../shared/text/mentions';

/** How much of a command's answer or error the timeline keeps. */
export const EXEC_TEXT_MAX = 300;

export type ExecOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

export type CommandCheck = { readonly ok: true; readonly command: string } | { readonly ok: false; readonly why: 'notSlash' | 'recursive' };

/** The command as Mattermost will read it (one line, trimmed), or why it may not run from an item. */
export function checkItemCommand(command: string): CommandCheck {
  const line = command.trim().split(/\r?\n/)[0]!.trim();
  if (!/^\/[^\s/]/.test(line)) return { ok: false, why: 'notSlash' };
  // Mattermost lower-cases the trigger; our own parser lower-cases subcommand names.
  const [trigger, sub] = line.toLowerCase().split(/\s+/);
  if (trigger === '/run' && sub === 'exec') return { ok: false, why: 'recursive' };
  return { ok: true, command: line };
}

/** One short line of what a command said (its markdown kept, channel-wide mentions defused). */
function shortText(text: string): string {
  const flat = withoutChannelMentions(text).replace(/\s+/g, ' ').trim();
  return flat.length > EXEC_TEXT_MAX ? `${flat.slice(0, EXEC_TEXT_MAX - 1)}…` : flat;
}

/**
 * Runs `command` as `userId` in the channel. Channel and team are read from Mattermost now (a run
 * record's ids are never trusted for where to act). Mattermost's refusals and the command's own
 * failure come back as a failed outcome; only a lost connection to the server throws.
 */
export async function executeAs(api: PluginAPI, userId: string, channelId: string, command: string): Promise<ExecOutcome> {
  const channel = await api.getChannel(channelId);
  try {
    const response = await api.executeSlashCommand({ UserId: userId, ChannelId: channel.Id, TeamId: channel.TeamId, Command: command });
    return { ok: true, text: shortText(response.Text ?? '') };
  } catch (err) {
    if (!(err instanceof AppError) || err.id === 'plugin.api.connection_error') throw err;
    return { ok: false, error: shortText(err.message || err.id) || 'the command failed' };
  }
}
