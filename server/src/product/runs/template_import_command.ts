/**
 * `/infra template import`: a template from a file the caller attached, or from JSON typed after
 * the command. A slash command carries no file, so "attach the file" means: the caller posts the
 * exported `.json` in this channel, then runs the command here; we take the newest `.json`
 * attachment of the caller's own posts in this channel from the last ATTACHMENT_WINDOW_MS (found
 * with GetFileInfos, filtered by creator and channel), check the post is still there, theirs, in
 * this channel, and that they can read the channel now, and read the file through the plugin API.
 * Parsing, people and the carried-over / not-carried lists are the HTTP import's (service.ts).
 */
import { AppError } from '../../plugin/api/app_error';
import type { FileInfo } from '../../plugin/model/types';
import { TEMPLATE_DOCUMENT_MAX } from '../contract/runs';
import { ephemeral, type SubcommandSpec } from '../shared/commands';
import type { ProductContext } from '../shared/context';
import { UserError } from '../shared/errors';
import { ACTION_WORDS, TEMPLATE_FILE } from './messages';
import { runPolicy } from './policy';
import type { RunService } from './service';

/** How far back the caller's attachment is looked for. */
export const ATTACHMENT_WINDOW_MS = 10 * 60_000;
/** Files looked at (newest first) before giving up: enough for a burst of uploads. */
const FILES_LOOKED_AT = 20;

type Ctx = Pick<ProductContext, 'api' | 'access' | 'now'>;

export interface AttachedDocument {
  readonly name: string;
  readonly text: string;
}

const isJsonFile = (f: FileInfo): boolean => (f.Extension ?? '').toLowerCase() === 'json' || /\.json$/i.test(f.Name);

/** The newest `.json` the caller attached to a post of theirs in this channel lately, read and decoded; null if none. */
export async function attachedDocument(ctx: Ctx, userId: string, channelId: string): Promise<AttachedDocument | null> {
  if (!(await ctx.access().canRead(userId, channelId))) return null;
  const files = await ctx.api.getFileInfos(0, FILES_LOOKED_AT, {
    UserIds: [userId],
    ChannelIds: [channelId],
    Since: ctx.now() - ATTACHMENT_WINDOW_MS,
    SortBy: 'CreateAt',
    SortDescending: true,
  });
  for (const file of files) {
    if (!isJsonFile(file) || !file.PostId || file.DeleteAt) continue;
    const post = await ctx.api.getPost(file.PostId).catch((err: unknown) => {
      if (err instanceof AppError && err.isNotFound) return null;
      throw err;
    });
    // Deleted, moved or someone else's: not the caller's attachment here.
    if (!post || post.DeleteAt || post.ChannelId !== channelId || post.UserId !== userId) continue;
    if ((file.Size ?? 0) > TEMPLATE_DOCUMENT_MAX) throw UserError.badRequest(TEMPLATE_FILE.tooLarge(file.Name, file.Size ?? 0, TEMPLATE_DOCUMENT_MAX));
    const bytes = await ctx.api.getFile(file.Id);
    if (bytes.length > TEMPLATE_DOCUMENT_MAX) throw UserError.badRequest(TEMPLATE_FILE.tooLarge(file.Name, bytes.length, TEMPLATE_DOCUMENT_MAX));
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      throw UserError.badRequest(TEMPLATE_FILE.notText(file.Name));
    }
    if (!text.trim()) throw UserError.badRequest(TEMPLATE_FILE.empty(file.Name));
    return { name: file.Name, text };
  }
  return null;
}

/** Our own format names itself; anything else is read as a Playbooks export (whose errors then say why not). */
export function sourceOf(text: string): 'infra-ops' | 'playbooks' {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && (parsed as Record<string, unknown>)['format'] === 'infra-ops.template' ? 'infra-ops' : 'playbooks';
  } catch {
    return 'playbooks';
  }
}

/** `/infra template import [JSON]` (team admins). */
export function templateInfraSubcommand(ctx: Ctx, runs: RunService): SubcommandSpec {
  return {
    name: 'template',
    usage: '',
    help: TEMPLATE_FILE.help,
    subcommands: [
      {
        name: 'import',
        usage: TEMPLATE_FILE.usage,
        help: TEMPLATE_FILE.importHelp,
        run: async (inv) => {
          // Refused before anything is read, in the words of every template change.
          await runPolicy.require(ctx.access(), inv.userId, 'manageTemplates', { scope: { teamId: inv.teamId, channelId: null } }, ACTION_WORDS.manageTemplates);
          const typed = inv.rest.trim();
          if (typed.length > TEMPLATE_DOCUMENT_MAX) throw UserError.badRequest(TEMPLATE_FILE.tooLarge('the text', typed.length, TEMPLATE_DOCUMENT_MAX));
          const document = typed ? { name: null, text: typed } : await attachedDocument(ctx, inv.userId, inv.channelId);
          if (!document) throw UserError.badRequest(TEMPLATE_FILE.noFile(ATTACHMENT_WINDOW_MS / 60_000));
          const source = sourceOf(document.text);
          const answer = await runs.importTemplate(inv.userId, inv.teamId, source, document.text);
          return ephemeral(TEMPLATE_FILE.imported(answer, document.name, source));
        },
      },
    ],
  };
}
