// Turning a chat message into the start of an incident or a PICK idea (post "..." menu actions).
import type { Post } from '@mattermost/types/posts';
import type { DeclareDraft } from './actions';

export const TITLE_MAX = 80;

/** The first non-empty line, without markdown emphasis/heading marks, cut at a word near the limit. */
export function titleFromMessage(message: string, max = TITLE_MAX): string {
  const line = message
    .split('\n')
    .map((l) => l.replace(/^[#>\-*\s]+/, '').replace(/[*_`~]/g, '').trim())
    .find((l) => l.length > 0);
  if (!line) return '';
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A declare form prefilled from a post: the title from its first line, the summary quoting it. */
export function declareDraftFromPost(post: Post, permalink: string): DeclareDraft {
  const quoted = post.message
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return {
    title: titleFromMessage(post.message),
    summary: `${quoted}\n\n(from ${permalink})`,
  };
}

/** Posts that can seed an incident or idea: user messages with text, not system or plugin posts. */
export const isActionablePost = (post: Post | undefined): post is Post =>
  Boolean(post && post.message.trim() && !post.type?.startsWith('system_') && !post.type?.startsWith('custom_'));

export interface PostMenuAction {
  text: string;
  action: (postId: string) => void;
  filter: (postId: string) => boolean;
}

export interface PostMenuDeps {
  getPost: (postId: string) => Post | undefined;
  /** Absolute permalink of a post, for the incident summary. */
  permalink: (postId: string) => string;
  openDeclareForm: (draft: DeclareDraft) => void;
  addIdea: (channelId: string, title: string) => Promise<void>;
  warn: (message: string, detail?: unknown) => void;
}

/** "Declare incident from message" and "Add as PICK idea" in the post "..." menu. */
export function postMenuActions(deps: PostMenuDeps): PostMenuAction[] {
  const filter = (postId: string) => isActionablePost(deps.getPost(postId));
  return [
    {
      text: 'Declare incident from message',
      filter,
      action: (postId) => {
        const post = deps.getPost(postId);
        if (isActionablePost(post)) deps.openDeclareForm(declareDraftFromPost(post, deps.permalink(post.id)));
      },
    },
    {
      text: 'Add as PICK idea',
      filter,
      action: (postId) => {
        const post = deps.getPost(postId);
        if (!isActionablePost(post)) return;
        deps.addIdea(post.channel_id, titleFromMessage(post.message, IDEA_TITLE_MAX)).catch((err: unknown) => deps.warn('could not add the PICK idea', err));
      },
    },
  ];
}

/** The server accepts idea titles up to 300 characters. */
export const IDEA_TITLE_MAX = 300;
