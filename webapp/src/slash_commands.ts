// What the webapp adds to the server's slash commands. The server command always stays the
// authority; the webapp only opens UI next to it, except `/incident declare` with no title,
// where the sidebar form replaces the server's interactive dialog (same fields, same POST).

export type SlashIntent =
  | { kind: 'pass' }
  /** Open the sidebar's PICK chart and still send the command (the server prints its text chart). */
  | { kind: 'open-pick-board' }
  /** Open the sidebar's declare form instead of sending the command. */
  | { kind: 'open-declare-form' };

/** Splits a slash command into lower-cased trigger and words; quotes don't matter for these checks. */
function words(message: string): string[] {
  return message.trim().split(/\s+/).filter(Boolean);
}

export function slashIntent(message: string): SlashIntent {
  const [trigger, sub, ...rest] = words(message);
  const t = trigger?.toLowerCase();
  const s = sub?.toLowerCase();
  if (t === '/pick' && s === 'board') return { kind: 'open-pick-board' };
  if (t === '/incident' && s === 'declare' && rest.length === 0) return { kind: 'open-declare-form' };
  return { kind: 'pass' };
}

/** The hook registered with registerSlashCommandWillBePostedHook. */
export function slashCommandHook(ui: { openPickBoard: () => void; openDeclareForm: () => void }) {
  return <A>(message: string, args: A): { message: string; args: A } | Record<string, never> => {
    const intent = slashIntent(message);
    if (intent.kind === 'open-declare-form') {
      ui.openDeclareForm();
      return {}; // swallowed: the sidebar form replaces the server's dialog
    }
    if (intent.kind === 'open-pick-board') ui.openPickBoard();
    return { message, args };
  };
}
